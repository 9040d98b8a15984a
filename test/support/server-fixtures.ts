import { randomUUID } from 'node:crypto';
import type { Role } from '../../protocol/roles';
import { createOperator } from '../../server/accounts';
import type { Clock } from '../../server/clock';
import type { ServerContext } from '../../server/context';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import type { Storage } from '../../server/storage/database';
import type { Operator } from '../../server/storage/schema';

export const testPassword = 'correct horse battery staple';

/** A clock that only moves when the test says so. */
export function fakeClock(start = Date.parse('2026-11-23T09:00:00Z')) {
  let now = start;
  const clock: Clock & {
    advanceMinutes(minutes: number): void;
    advanceSeconds(seconds: number): void;
    set(ms: number): void;
  } = {
    now: () => new Date(now),
    advanceMinutes: (minutes) => (now += minutes * 60_000),
    advanceSeconds: (seconds) => (now += seconds * 1000),
    set: (ms) => (now = ms),
  };
  return clock;
}

export function contextFor(storage: Storage, clock: Clock): ServerContext {
  return { db: storage.db, clock, log: silentLog };
}

export async function addOperator(
  ctx: ServerContext,
  username: string,
  role: Role = 'agent',
  password = testPassword,
): Promise<Operator> {
  return createOperator(ctx.db, ctx.clock, { username, displayName: username, role, password }, 12);
}

export async function withoutRequiredTotp(ctx: ServerContext) {
  await updateSecurityPolicy(ctx.db, ctx.clock, { totpRequiredRoles: [] });
}

/** A live session written straight to the table, so events for the operator are stored without a login. */
export async function addSession(ctx: ServerContext, operatorId: string): Promise<string> {
  const id = randomUUID();
  const now = ctx.clock.now();
  await ctx.db
    .insertInto('sessions')
    .values({
      id,
      operator_id: operatorId,
      token_hash: `test-${id}`,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + 24 * 60 * 60_000),
    })
    .execute();
  return id;
}

/** The events stored for the operator's sessions, oldest first. */
export async function storedEvents(ctx: ServerContext, operatorId: string) {
  const rows = await ctx.db
    .selectFrom('operator_events')
    .innerJoin('sessions', 'sessions.id', 'operator_events.session_id')
    .select(['operator_events.event', 'operator_events.payload'])
    .where('sessions.operator_id', '=', operatorId)
    .orderBy('operator_events.seq')
    .execute();
  return rows.map((row) => ({ event: row.event, payload: row.payload }));
}
