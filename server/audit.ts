import type { AuditEntryInfo } from '../protocol/operator-socket';
import type { Clock } from './clock';
import type { Db } from './storage/database';
import { anonymiseAddress, type AddressPolicy } from './auth/ip-rules';

export interface AuditEvent {
  action: string;
  actor?: { id: string; name: string } | undefined;
  target?: string | undefined;
  address?: string | undefined;
  details?: Record<string, unknown>;
}

/**
 * The append-only security log. Nothing in the server updates or deletes rows here except the
 * retention job; addresses are stored as the address policy allows.
 */
export async function recordAudit(
  db: Db,
  clock: Clock,
  policy: AddressPolicy,
  event: AuditEvent,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: clock.now(),
      actor_id: event.actor?.id ?? null,
      actor_name: event.actor?.name ?? null,
      action: event.action,
      target: event.target ?? null,
      address: event.address === undefined ? null : anonymiseAddress(event.address, policy),
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

export interface AuditFilter {
  actorId?: string | undefined;
  action?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  before?: string | undefined;
  limit: number;
}

export async function listAudit(
  db: Db,
  filter: AuditFilter,
): Promise<{ entries: AuditEntryInfo[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('audit_log')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(filter.limit + 1);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', new Date(filter.from));
  if (filter.to) query = query.where('at', '<', new Date(filter.to));
  if (filter.before) query = query.where('id', '<', filter.before);
  const rows = await query.execute();
  const page = rows.slice(0, filter.limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      target: row.target,
      address: row.address,
      details: row.details,
    })),
    nextCursor: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
