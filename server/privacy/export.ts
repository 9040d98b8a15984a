import type { OperatorParams, PersonExport } from '../../protocol/operator-socket';
import { auditCaller } from '../caller-audit';
import type { ServerContext } from '../context';
import type { Caller } from '../operator-methods';
import { expandRecords, orNone } from './person-records';

/** Text fields as stored; empty ones say nothing about the person and are left out. */
function filled(fields: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '',
    ),
  );
}

/** Everything about the records named, for the person's access and portability request; audited. */
export async function exportPerson(
  ctx: ServerContext,
  caller: Caller,
  params: OperatorParams<'privacy.export'>,
): Promise<PersonExport> {
  const { db } = ctx;
  const records = await expandRecords(db, params);
  const chatIds = records.chats.map((chat) => chat.id);
  const visitors = await db
    .selectFrom('visitors')
    .selectAll()
    .where('id', 'in', orNone(records.visitorIds))
    .execute();
  const consents = await db
    .selectFrom('consents')
    .selectAll()
    .where('visitor_id', 'in', orNone(records.visitorIds))
    .orderBy('given_at')
    .execute();
  const chats = await db
    .selectFrom('chats')
    .selectAll()
    .where('id', 'in', orNone(chatIds))
    .orderBy('created_at')
    .execute();
  const messages = await db
    .selectFrom('chat_messages')
    .selectAll()
    .where('chat_id', 'in', orNone(chatIds))
    .where('internal', '=', false)
    .orderBy('id')
    .execute();
  const tickets = await db
    .selectFrom('tickets')
    .selectAll()
    .where('id', 'in', orNone(records.ticketIds))
    .orderBy('created_at')
    .execute();

  const exported: PersonExport = {
    exportedAt: ctx.clock.now().toISOString(),
    visitors: visitors.map((visitor) => ({
      id: visitor.id,
      language: visitor.language,
      address: visitor.address,
      createdAt: visitor.created_at.toISOString(),
      lastSeenAt: visitor.last_seen_at.toISOString(),
      consents: consents
        .filter((consent) => consent.visitor_id === visitor.id)
        .map((consent) => ({
          groupId: consent.group_id,
          noticeVersion: consent.notice_version,
          language: consent.language,
          givenAt: consent.given_at.toISOString(),
        })),
    })),
    chats: chats.map((chat) => ({
      id: chat.id,
      groupId: chat.group_id,
      visitorId: chat.visitor_id,
      visitorName: chat.visitor_name,
      fields: filled(chat.visitor_fields),
      pageUrl: chat.page_url,
      status: chat.status,
      outcome: chat.outcome,
      rating: chat.rating,
      ratingComment: chat.rating_comment,
      createdAt: chat.created_at.toISOString(),
      closedAt: chat.closed_at?.toISOString() ?? null,
      messages: messages
        .filter((message) => message.chat_id === chat.id)
        .map((message) => ({
          author: message.author_kind,
          authorName: message.author_name,
          text: message.text,
          createdAt: message.created_at.toISOString(),
        })),
    })),
    tickets: tickets.map((ticket) => ({
      id: ticket.id,
      number: Number(ticket.number),
      subject: ticket.subject,
      body: ticket.body,
      status: ticket.status,
      source: ticket.source,
      chatId: ticket.chat_id,
      requester: filled(ticket.requester_fields),
      createdAt: ticket.created_at.toISOString(),
    })),
  };
  await auditCaller(ctx, caller, 'data.exported', undefined, {
    visitors: exported.visitors.length,
    chats: exported.chats.length,
    tickets: exported.tickets.length,
  });
  return exported;
}
