import { randomUUID } from 'node:crypto';
import { ParleyError } from '../protocol/errors';
import type { Ticket } from '../protocol/operator-socket';
import type { VisitorFields } from '../protocol/visitor-socket';
import type { ServerContext } from './context';
import { maskFor } from './privacy/masking';
import type { Operator, TicketRow } from './storage/schema';

/*
 * Tickets: what a chat turns into when it needs more work, and what the offline form leaves when
 * nobody is online. The ticket list itself comes later; here tickets are created.
 */

/** A ticket as operators see it: the requester's details and the subject as the group's masking rules allow. */
async function toTicket(ctx: ServerContext, row: TicketRow): Promise<Ticket> {
  const mask = await maskFor(ctx, row.group_id, row.requester_fields);
  return {
    id: row.id,
    number: Number(row.number),
    subject: mask.redact(row.subject),
    status: row.status,
    source: row.source,
    groupId: row.group_id,
    chatId: row.chat_id,
    requesterName: mask.fields.name,
    requesterEmail: mask.fields.email,
    createdAt: row.created_at.toISOString(),
  };
}

/** The offline form: the visitor's message becomes a ticket for the group. */
export async function createOfflineTicket(
  ctx: ServerContext,
  input: { groupId: string; visitorId: string; fields: VisitorFields; message: string },
): Promise<Ticket> {
  const firstLine = input.message.split('\n')[0]?.slice(0, 80) ?? '';
  const row = await ctx.db
    .insertInto('tickets')
    .values({
      id: randomUUID(),
      subject: `Offline message: ${firstLine}`,
      body: input.message,
      source: 'offline_form',
      group_id: input.groupId,
      chat_id: null,
      visitor_id: input.visitorId,
      requester_fields: JSON.stringify(input.fields),
      created_by: null,
      created_at: ctx.clock.now(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toTicket(ctx, row);
}

function transcript(messages: { author_name: string; text: string; created_at: Date }[]): string {
  return messages.map((m) => `[${m.created_at.toISOString()}] ${m.author_name}: ${m.text}`).join('\n');
}

/**
 * chat.toTicket: the chat's transcript becomes a ticket. Only the operator who has (or had) the
 * chat may do it, and a chat becomes a ticket once.
 */
export async function ticketFromChat(
  ctx: ServerContext,
  operator: Operator,
  input: { chatId: string; subject?: string | undefined },
): Promise<Ticket> {
  const row = await ctx.db.transaction().execute(async (trx) => {
    const chat = await trx
      .selectFrom('chats')
      .selectAll()
      .where('id', '=', input.chatId)
      .forUpdate()
      .executeTakeFirst();
    if (!chat) throw new ParleyError('not_found', 'There is no such chat.');
    if (chat.operator_id !== operator.id && operator.role === 'agent') {
      throw new ParleyError('forbidden', 'Only the operator who has the chat can turn it into a ticket.');
    }
    const existing = await trx
      .selectFrom('tickets')
      .select('number')
      .where('chat_id', '=', chat.id)
      .executeTakeFirst();
    if (existing) throw new ParleyError('conflict', `This chat is already ticket #${existing.number}.`);
    const messages = await trx
      .selectFrom('chat_messages')
      .select(['author_name', 'text', 'created_at'])
      .where('chat_id', '=', chat.id)
      .orderBy('id')
      .execute();
    return trx
      .insertInto('tickets')
      .values({
        id: randomUUID(),
        subject: input.subject ?? `Chat with ${chat.visitor_name}`,
        body: transcript(messages),
        source: 'chat',
        group_id: chat.group_id,
        chat_id: chat.id,
        visitor_id: chat.visitor_id,
        requester_fields: JSON.stringify(chat.visitor_fields),
        created_by: operator.id,
        created_at: ctx.clock.now(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
  return toTicket(ctx, row);
}
