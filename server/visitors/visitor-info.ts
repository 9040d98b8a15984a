import { ParleyError } from '../../protocol/errors';
import type { VisitorInfo } from '../../protocol/operator-socket';
import { visitorLanguageSchema } from '../../protocol/visitor-socket';
import type { ServerContext } from '../context';
import { maskOf } from '../privacy/masking';
import { isMember } from '../queues/groups';
import type { Chat, Operator } from '../storage/schema';

/*
 * What operators see of a chat's visitor: the pre-chat fields as the masking rules allow, page,
 * consent record, address (as the policy kept it) and earlier chats. Only for chats the operator
 * has, is offered, or may take.
 */

/** The chat, if the operator may look at it; otherwise not_found (whether it exists is not theirs to know). */
export async function chatVisibleTo(ctx: ServerContext, operator: Operator, chatId: string): Promise<Chat> {
  const chat = await ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  const visible =
    chat !== undefined &&
    (chat.operator_id === operator.id ||
      chat.offered_to === operator.id ||
      operator.role !== 'agent' ||
      (chat.queue_state === 'waiting' &&
        chat.group_id !== null &&
        (await isMember(ctx, operator.id, chat.group_id))));
  if (!visible) throw new ParleyError('not_found', 'There is no such chat.');
  return chat;
}

export async function visitorInfo(
  ctx: ServerContext,
  operator: Operator,
  chatId: string,
): Promise<VisitorInfo> {
  const chat = await chatVisibleTo(ctx, operator, chatId);
  const mask = await maskOf(ctx, chat);
  const group = chat.group_id
    ? await ctx.db
        .selectFrom('groups')
        .select('prechat_fields')
        .where('id', '=', chat.group_id)
        .executeTakeFirst()
    : undefined;
  const visitor = chat.visitor_id
    ? await ctx.db.selectFrom('visitors').selectAll().where('id', '=', chat.visitor_id).executeTakeFirst()
    : undefined;
  const language = visitorLanguageSchema.catch('en').parse(visitor?.language);
  const consent = visitor
    ? await ctx.db
        .selectFrom('consents')
        .select(['notice_version', 'language', 'given_at'])
        .where('visitor_id', '=', visitor.id)
        .orderBy('given_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    : undefined;
  const previous = visitor
    ? await ctx.db
        .selectFrom('chats')
        .select((eb) => [
          'chats.id',
          'chats.created_at',
          'chats.outcome',
          'chats.rating',
          eb
            .selectFrom('chat_messages')
            .whereRef('chat_messages.chat_id', '=', 'chats.id')
            .select((inner) => inner.fn.countAll<string>().as('count'))
            .as('message_count'),
        ])
        .where('chats.visitor_id', '=', visitor.id)
        .where('chats.id', '!=', chat.id)
        .orderBy('chats.created_at', 'desc')
        .limit(20)
        .execute()
    : [];
  return {
    chatId: chat.id,
    visitorId: chat.visitor_id,
    fields: mask.fields,
    maskedFields: mask.masked,
    customLabel: group?.prechat_fields.customLabel[language] ?? '',
    pageUrl: chat.page_url,
    consent: consent
      ? {
          noticeVersion: consent.notice_version,
          language: consent.language,
          givenAt: consent.given_at.toISOString(),
        }
      : null,
    address: visitor?.address ?? null,
    previousChats: previous.map((row) => ({
      id: row.id,
      createdAt: row.created_at.toISOString(),
      outcome: row.outcome,
      messageCount: Number(row.message_count ?? 0),
      rating: row.rating,
    })),
    rating:
      chat.rating === null
        ? null
        : { rating: chat.rating, comment: chat.rating_comment && mask.redact(chat.rating_comment) },
  };
}
