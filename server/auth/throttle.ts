import { sql } from 'kysely';
import type { SecurityPolicy } from '../../protocol/operator-socket';
import { addMinutes, type Clock } from '../clock';
import type { Db } from '../storage/database';

export type ThrottleScope = 'account' | 'address';
type LockoutPolicy = SecurityPolicy['lockout'];

/** When the scope/key is locked, the time the lock ends; otherwise undefined. */
export async function lockedUntil(
  db: Db,
  clock: Clock,
  scope: ThrottleScope,
  key: string,
): Promise<Date | undefined> {
  const row = await db
    .selectFrom('auth_throttle')
    .select('locked_until')
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return row?.locked_until && row.locked_until > clock.now() ? row.locked_until : undefined;
}

/**
 * Counts one failed attempt. The counter is a single upsert so concurrent attempts on several
 * server instances cannot lose increments; reaching the limit locks the key and restarts the count.
 */
export async function recordFailure(
  db: Db,
  clock: Clock,
  policy: LockoutPolicy,
  scope: ThrottleScope,
  key: string,
): Promise<{ lockedUntil: Date | undefined }> {
  const now = clock.now();
  const windowStart = addMinutes(now, -policy.windowMinutes);
  const row = await db
    .insertInto('auth_throttle')
    .values({ scope, key, failures: 1, window_started_at: now, locked_until: null })
    .onConflict((conflict) =>
      conflict.columns(['scope', 'key']).doUpdateSet({
        failures: sql<number>`case when auth_throttle.window_started_at < ${windowStart} then 1 else auth_throttle.failures + 1 end`,
        window_started_at: sql<Date>`case when auth_throttle.window_started_at < ${windowStart} then ${now} else auth_throttle.window_started_at end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < policy.maxFailures) return { lockedUntil: undefined };
  const until = addMinutes(now, policy.lockMinutes);
  await db
    .updateTable('auth_throttle')
    .set({ locked_until: until, failures: 0, window_started_at: now })
    .where('scope', '=', scope)
    .where('key', '=', key)
    .execute();
  return { lockedUntil: until };
}

export async function clearFailures(db: Db, scope: ThrottleScope, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('scope', '=', scope).where('key', '=', key).execute();
}
