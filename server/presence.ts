import type { ServerContext } from './context';
import { instanceIdOf } from './instance';
import { markOffline } from './operator-status';

/*
 * Presence across instances: each instance records which operators have a live socket on it
 * (operator_presence), refreshes the rows while the sockets live, and removes them when the last
 * one closes. An operator with no row left anywhere is offline. Rows of an instance that died
 * without cleaning up go stale and are swept.
 */

/** An operator's socket opened on this instance. */
export async function notePresence(ctx: ServerContext, operatorId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('operator_presence')
    .values({ operator_id: operatorId, instance_id: instanceIdOf(ctx.db), seen_at: now })
    .onConflict((conflict) => conflict.columns(['operator_id', 'instance_id']).doUpdateSet({ seen_at: now }))
    .execute();
}

/** The operator's last socket on this instance closed: offline unless another instance has one. */
export async function dropPresence(ctx: ServerContext, operatorId: string): Promise<void> {
  await ctx.db
    .deleteFrom('operator_presence')
    .where('operator_id', '=', operatorId)
    .where('instance_id', '=', instanceIdOf(ctx.db))
    .execute();
  await markOfflineWithoutPresence(ctx, [operatorId]);
}

/** This instance's operators are still connected. */
export async function refreshPresence(ctx: ServerContext, operatorIds: string[]): Promise<void> {
  if (operatorIds.length === 0) return;
  await ctx.db
    .updateTable('operator_presence')
    .set({ seen_at: ctx.clock.now() })
    .where('instance_id', '=', instanceIdOf(ctx.db))
    .where('operator_id', 'in', operatorIds)
    .execute();
}

/** Forgets rows no instance refreshed within staleMs and marks operators left without any offline. */
export async function sweepPresence(ctx: ServerContext, staleMs: number): Promise<void> {
  await ctx.db
    .deleteFrom('operator_presence')
    .where('seen_at', '<', new Date(ctx.clock.now().getTime() - staleMs))
    .execute();
  const present = await ctx.db
    .selectFrom('operators')
    .select('id')
    .where('status', '!=', 'offline')
    .execute();
  await markOfflineWithoutPresence(
    ctx,
    present.map((row) => row.id),
  );
}

async function markOfflineWithoutPresence(ctx: ServerContext, operatorIds: string[]): Promise<void> {
  if (operatorIds.length === 0) return;
  const candidates = await ctx.db
    .selectFrom('operators')
    .select('id')
    .where('id', 'in', operatorIds)
    .where('status', '!=', 'offline')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('operator_presence')
            .select('operator_presence.operator_id')
            .whereRef('operator_presence.operator_id', '=', 'operators.id'),
        ),
      ),
    )
    .execute();
  for (const { id } of candidates) await markOffline(ctx, id);
}

/** This instance shuts down: its operators are offline unless another instance holds a socket. */
export async function leaveInstance(ctx: ServerContext): Promise<void> {
  const rows = await ctx.db
    .deleteFrom('operator_presence')
    .where('instance_id', '=', instanceIdOf(ctx.db))
    .returning('operator_id')
    .execute();
  await markOfflineWithoutPresence(
    ctx,
    rows.map((row) => row.operator_id),
  );
}
