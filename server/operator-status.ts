import { ParleyError } from '../protocol/errors';
import type { OperatorResult, OperatorStatus } from '../protocol/operator-socket';
import type { ServerContext } from './context';
import { transactionWithEvents } from './events';
import { lockQueues, routeGroupsOf } from './queues/routing';

/*
 * Operator presence: online, away, busy or offline, and whether new chats are welcome. Colleagues
 * who share a group see every change as an operator.status event; routing offers chats only to
 * operators who are online and accepting.
 */

export interface StatusChange {
  status: OperatorStatus;
  /** Unchanged when left out. */
  acceptingChats?: boolean;
}

/** The operator and everyone sharing a group with them: the operator's own devices follow too. */
async function colleaguesOf(ctx: ServerContext, operatorId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('operator_groups as mine')
    .innerJoin('operator_groups as theirs', 'theirs.group_id', 'mine.group_id')
    .select('theirs.operator_id')
    .distinct()
    .where('mine.operator_id', '=', operatorId)
    .orderBy('theirs.operator_id')
    .execute();
  const ids = new Set(rows.map((row) => row.operator_id));
  return [...ids.add(operatorId)];
}

/** status.set (and the socket layer, for offline). An operator who becomes available gets waiting chats. */
export function setStatus(
  ctx: ServerContext,
  operatorId: string,
  change: StatusChange,
): Promise<OperatorResult<'status.set'>> {
  return transactionWithEvents(ctx, async (tx, events) => {
    // Routing reads statuses: changing one under the queue lock keeps a routing from offering a chat
    // to someone who has just gone away.
    await lockQueues(tx);
    const row = await tx.db
      .updateTable('operators')
      .set({
        status: change.status,
        ...(change.acceptingChats === undefined ? {} : { accepting_chats: change.acceptingChats }),
        status_changed_at: tx.clock.now(),
      })
      .where('id', '=', operatorId)
      .returning(['id', 'display_name', 'status', 'accepting_chats'])
      .executeTakeFirst();
    if (!row) throw new ParleyError('not_found', 'There is no such operator.');
    const payload = {
      operatorId: row.id,
      displayName: row.display_name,
      status: row.status,
      acceptingChats: row.accepting_chats,
    };
    for (const colleague of await colleaguesOf(tx, operatorId)) {
      await events.toOperator(colleague, 'operator.status', payload);
    }
    if (row.status === 'online' && row.accepting_chats) await routeGroupsOf(tx, events, operatorId);
    return { status: row.status, acceptingChats: row.accepting_chats };
  });
}

/**
 * For the socket layer when the operator's last socket closes. Chats still ringing at them ring
 * out and move on by the usual timeout.
 */
export function markOffline(ctx: ServerContext, operatorId: string): Promise<OperatorResult<'status.set'>> {
  return setStatus(ctx, operatorId, { status: 'offline' });
}
