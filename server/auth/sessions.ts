import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../protocol/errors';
import type { SecurityPolicy, SessionInfo } from '../../protocol/operator-socket';
import { addMinutes, type Clock } from '../clock';
import type { Db } from '../storage/database';
import type { Operator, Session } from '../storage/schema';
import { anonymiseAddress } from './ip-rules';
import { randomToken, sha256 } from './tokens';

/** Writing last_seen_at on every request would turn every read into a write; a minute is precise enough. */
const touchEveryMs = 60_000;

export interface NewSession {
  operatorId: string;
  deviceId: string | undefined;
  deviceName: string | undefined;
  address: string;
}

export async function createSession(
  db: Db,
  clock: Clock,
  policy: SecurityPolicy,
  input: NewSession,
): Promise<{ token: string; session: Session }> {
  const token = randomToken(32);
  const now = clock.now();
  const session = await db
    .insertInto('sessions')
    .values({
      id: randomUUID(),
      operator_id: input.operatorId,
      token_hash: sha256(token),
      device_id: input.deviceId ?? null,
      device_name: input.deviceName ?? null,
      address: anonymiseAddress(input.address, policy.addressPolicy),
      created_at: now,
      last_seen_at: now,
      expires_at: addMinutes(now, policy.sessionLifetimeHours * 60),
      revoked_at: null,
      revoked_reason: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, session };
}

function expiredReason(session: Session, now: Date, policy: SecurityPolicy): string | undefined {
  if (session.revoked_at) return 'This session was ended. Sign in again.';
  if (session.expires_at <= now) return 'This session has reached its maximum lifetime. Sign in again.';
  if (addMinutes(session.last_seen_at, policy.sessionIdleMinutes) <= now) {
    return 'This session ended after a period of inactivity. Sign in again.';
  }
  return undefined;
}

/** Resolves a bearer token (or, for an open socket, a session id) to a live session and its operator. */
export async function authenticateSession(
  db: Db,
  clock: Clock,
  policy: SecurityPolicy,
  by: { token: string } | { sessionId: string },
): Promise<{ session: Session; operator: Operator }> {
  const query = db.selectFrom('sessions').selectAll();
  const session = await (
    'token' in by ? query.where('token_hash', '=', sha256(by.token)) : query.where('id', '=', by.sessionId)
  ).executeTakeFirst();
  if (!session) throw new ParleyError('unauthenticated', 'Sign in first.');
  const now = clock.now();
  const reason = expiredReason(session, now, policy);
  if (reason) throw new ParleyError('session_expired', reason);
  const operator = await db
    .selectFrom('operators')
    .selectAll()
    .where('id', '=', session.operator_id)
    .executeTakeFirstOrThrow();
  if (operator.disabled) throw new ParleyError('account_disabled', 'This account is disabled.');
  if (now.getTime() - session.last_seen_at.getTime() >= touchEveryMs) {
    await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', session.id).execute();
  }
  return { session, operator };
}

/** Ends sessions; returns the ids that were live, so their sockets can be closed. */
export async function revokeSessions(
  db: Db,
  clock: Clock,
  where: { sessionId: string } | { operatorId: string; exceptSessionId?: string },
  reason: string,
): Promise<string[]> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: clock.now(), revoked_reason: reason })
    .where('revoked_at', 'is', null);
  if ('sessionId' in where) {
    query = query.where('id', '=', where.sessionId);
  } else {
    query = query.where('operator_id', '=', where.operatorId);
    if (where.exceptSessionId) query = query.where('id', '!=', where.exceptSessionId);
  }
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

export async function listLiveSessions(
  db: Db,
  clock: Clock,
  policy: SecurityPolicy,
  options: { operatorId?: string; currentSessionId: string },
): Promise<SessionInfo[]> {
  const now = clock.now();
  let query = db
    .selectFrom('sessions')
    .innerJoin('operators', 'operators.id', 'sessions.operator_id')
    .selectAll('sessions')
    .select('operators.display_name')
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', addMinutes(now, -policy.sessionIdleMinutes))
    .orderBy('sessions.last_seen_at', 'desc');
  if (options.operatorId) query = query.where('sessions.operator_id', '=', options.operatorId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    operatorId: row.operator_id,
    operatorName: row.display_name,
    deviceName: row.device_name,
    address: row.address,
    createdAt: row.created_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    current: row.id === options.currentSessionId,
  }));
}
