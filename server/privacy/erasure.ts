import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ParleyError } from '../../protocol/errors';
import type { OperatorParams, OperatorResult, PersonData } from '../../protocol/operator-socket';
import { auditCaller } from '../caller-audit';
import type { ServerContext } from '../context';
import { transactionWithEvents, type EventWriter } from '../events';
import type { Caller } from '../operator-methods';
import type { Db } from '../storage/database';
import { expandRecords, orNone } from './person-records';

const maxMatches = 200;

/** ILIKE treats % and _ as wildcards; a name typed by an admin means itself. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/**
 * A person's records: chats whose pre-chat email is the query (any case) or whose visitor name
 * contains it, or whose chat or visitor id it is; those chats' visitors with their other chats;
 * and tickets by requester name, by the query's or those chats' emails, or linked to them.
 */
export async function findPerson(db: Db, query: string): Promise<PersonData> {
  const email = query.toLowerCase();
  const name = likePattern(query);
  const chatRows = await db
    .selectFrom('chats')
    .select(['id', 'visitor_id'])
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(visitor_fields->>'email')`, '=', email),
        eb('visitor_name', 'ilike', name),
        eb('id', '=', query),
        eb('visitor_id', '=', query),
      ]),
    )
    .limit(maxMatches)
    .execute();
  const visitorIds = [
    ...new Set([
      ...chatRows.flatMap((row) => (row.visitor_id ? [row.visitor_id] : [])),
      ...(await db.selectFrom('visitors').select('id').where('id', '=', query).execute()).map(
        (row) => row.id,
      ),
    ]),
  ];
  const chatIds = [...new Set(chatRows.map((row) => row.id))];

  const visitors =
    visitorIds.length === 0
      ? []
      : await db
          .selectFrom('visitors')
          .select(['id', 'language', 'created_at', 'last_seen_at'])
          .select((eb) =>
            eb
              .selectFrom('consents')
              .select(eb.fn.countAll<string>().as('count'))
              .whereRef('consents.visitor_id', '=', 'visitors.id')
              .as('consents'),
          )
          .where('id', 'in', visitorIds)
          .execute();
  const chats = await db
    .selectFrom('chats')
    .select([
      'id',
      'visitor_name',
      'status',
      'created_at',
      sql<string | null>`visitor_fields->>'email'`.as('email'),
    ])
    .where((eb) => eb.or([eb('id', 'in', orNone(chatIds)), eb('visitor_id', 'in', orNone(visitorIds))]))
    .orderBy('created_at', 'desc')
    .limit(maxMatches)
    .execute();
  const allChatIds = chats.map((chat) => chat.id);
  // The same person wrote tickets under the email they gave in a chat.
  const emails = [
    ...new Set([email, ...chats.flatMap((chat) => (chat.email ? [chat.email.toLowerCase()] : []))]),
  ];
  const tickets = await db
    .selectFrom('tickets')
    .select([
      'id',
      'number',
      'subject',
      'created_at',
      sql<string | null>`requester_fields->>'name'`.as('requester_name'),
      sql<string | null>`requester_fields->>'email'`.as('requester_email'),
    ])
    .where((eb) =>
      eb.or([
        eb(sql<string>`lower(requester_fields->>'email')`, 'in', emails),
        eb(sql<string>`requester_fields->>'name'`, 'ilike', name),
        eb('chat_id', 'in', orNone(allChatIds)),
        eb('visitor_id', 'in', orNone(visitorIds)),
      ]),
    )
    .orderBy('created_at', 'desc')
    .limit(maxMatches)
    .execute();

  return {
    visitors: visitors.map((visitor) => ({
      id: visitor.id,
      language: visitor.language,
      createdAt: visitor.created_at.toISOString(),
      lastSeenAt: visitor.last_seen_at.toISOString(),
      consents: Number(visitor.consents ?? 0),
    })),
    chats: chats.map((chat) => ({
      id: chat.id,
      visitorName: chat.visitor_name,
      email: chat.email || null,
      status: chat.status,
      createdAt: chat.created_at.toISOString(),
    })),
    tickets: tickets.map((ticket) => ({
      id: ticket.id,
      number: Number(ticket.number),
      subject: ticket.subject,
      requesterName: ticket.requester_name || null,
      requesterEmail: ticket.requester_email || null,
      createdAt: ticket.created_at.toISOString(),
    })),
  };
}

export interface ErasedRecords {
  erasureId: string;
  visitors: number;
  chats: number;
  tickets: number;
  consents: number;
}

/**
 * Erases the records named, and with a visitor their chats, tickets and consents, within the
 * caller's transaction. Copies the server keeps for delivery (stored events, replayable results) go
 * too. A tombstone keeps the ids (and who erased them, null for visitors erasing their own); every
 * live operator session gets `data.erased`, so each desktop purges its cache at once or when it
 * resumes. Refused with `not_found` when none of the records exist.
 */
export async function eraseRecords(
  tx: ServerContext,
  events: EventWriter,
  erasedBy: string | null,
  named: { visitorIds: string[]; chatIds: string[]; ticketIds: string[] },
): Promise<ErasedRecords> {
  const { db } = tx;
  const { visitorIds, chats: chatRows, ticketIds } = await expandRecords(db, named);
  const chatIds = chatRows.map((row) => row.id);
  if (visitorIds.length + chatIds.length + ticketIds.length === 0) {
    throw new ParleyError('not_found', 'Nothing to erase: none of these records exist (any more).');
  }

  // Delivery copies name the chat by id somewhere in their JSON; ids are random UUIDs. One
  // statement per table, so each is read once however many chats go.
  if (chatIds.length > 0) {
    const naming = (column: 'payload' | 'result') =>
      sql<boolean>`${sql.ref(column)}::text like any (array[${sql.join(chatIds.map((chatId) => `%${chatId}%`))}])`;
    await db.deleteFrom('operator_events').where(naming('payload')).execute();
    await db.deleteFrom('applied_actions').where(naming('result')).execute();
  }
  const consents = await db
    .deleteFrom('consents')
    .where('visitor_id', 'in', orNone(visitorIds))
    .executeTakeFirst();
  await db.deleteFrom('tickets').where('id', 'in', orNone(ticketIds)).execute();
  // Messages and offers go with their chat (the foreign keys cascade).
  await db.deleteFrom('chats').where('id', 'in', orNone(chatIds)).execute();
  await db.deleteFrom('visitors').where('id', 'in', orNone(visitorIds)).execute();
  const erasureId = randomUUID();
  await db
    .insertInto('erasures')
    .values({
      id: erasureId,
      erased_at: tx.clock.now(),
      erased_by: erasedBy,
      record_ids: JSON.stringify({ visitors: visitorIds, chats: chatIds, tickets: ticketIds }),
    })
    .execute();
  await events.toEveryone('data.erased', { chatIds, ticketIds });
  // Waiting visitors behind an erased chat move up in the queue.
  for (const groupId of new Set(chatRows.flatMap((row) => (row.group_id ? [row.group_id] : [])))) {
    events.signal({ kind: 'queue', groupId });
  }
  return {
    erasureId,
    visitors: visitorIds.length,
    chats: chatIds.length,
    tickets: ticketIds.length,
    consents: Number(consents.numDeletedRows),
  };
}

/** privacy.erase: an admin erases a person's records, for a reason the audit keeps. All or nothing. */
export function erasePerson(
  ctx: ServerContext,
  caller: Caller,
  params: OperatorParams<'privacy.erase'>,
): Promise<OperatorResult<'privacy.erase'>> {
  return transactionWithEvents(ctx, async (tx, events) => {
    const erased = await eraseRecords(tx, events, caller.operator.id, params);
    const { erasureId, ...counts } = erased;
    await auditCaller(tx, caller, 'data.erased', erasureId, { ...counts, reason: params.reason });
    return erased;
  });
}

/** The ids among these that still exist: the rest were erased or expired. */
export async function existingChats(db: Db, chatIds: string[]): Promise<string[]> {
  if (chatIds.length === 0) return [];
  const rows = await db.selectFrom('chats').select('id').where('id', 'in', chatIds).execute();
  return rows.map((row) => row.id);
}
