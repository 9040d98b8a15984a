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
  const clock: Clock & { advanceMinutes(minutes: number): void; set(ms: number): void } = {
    now: () => new Date(now),
    advanceMinutes: (minutes) => (now += minutes * 60_000),
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
