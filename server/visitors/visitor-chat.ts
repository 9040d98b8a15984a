import type { VisitorChat, VisitorMessage } from '../../protocol/visitor-socket';
import type { ServerContext } from '../context';
import { queuePosition } from '../queues/queue-view';
import type { Chat, ChatMessageRow } from '../storage/schema';

/*
 * The visitor's chat as the widget shows it. Operators appear by display name only; their ids,
 * the group's internals and the visitor's own data stay on the server.
 */

export function toVisitorMessage(row: ChatMessageRow): VisitorMessage {
  return {
    id: row.id,
    author: row.author_kind,
    name: row.author_name,
    text: row.text,
    clientMsgId: row.author_kind === 'visitor' ? row.client_msg_id : null,
    createdAt: row.created_at.toISOString(),
  };
}

export type VisitorChatState = Omit<VisitorChat, 'messages'>;

/** The chat's state without messages: what the `chat` event carries. */
export async function visitorChatState(ctx: ServerContext, chat: Chat): Promise<VisitorChatState> {
  const queued =
    chat.queue_state === 'waiting' || (chat.queue_state === 'offered' && chat.operator_id === null);
  const status = chat.status === 'closed' ? 'ended' : queued ? 'queued' : 'active';
  const place = status === 'queued' && chat.group_id !== null ? await queuePosition(ctx, chat.id) : undefined;
  const operatorName =
    status === 'active' && chat.operator_id !== null
      ? ((
          await ctx.db
            .selectFrom('operators')
            .select('display_name')
            .where('id', '=', chat.operator_id)
            .executeTakeFirst()
        )?.display_name ?? null)
      : null;
  return {
    id: chat.id,
    status,
    position: place?.position ?? null,
    estimatedWaitSeconds: place?.estimatedWaitSeconds ?? null,
    operatorName,
    readUpTo: chat.operator_read_up_to,
    rating: chat.rating,
  };
}

export function messagesAfter(
  ctx: ServerContext,
  chatId: string,
  afterId: string | null,
): Promise<ChatMessageRow[]> {
  let query = ctx.db
    .selectFrom('chat_messages')
    .selectAll()
    .where('chat_id', '=', chatId)
    .where('internal', '=', false);
  if (afterId !== null) query = query.where('id', '>', afterId);
  return query.orderBy('id').execute();
}

export async function visitorChat(ctx: ServerContext, chat: Chat): Promise<VisitorChat> {
  const [state, messages] = await Promise.all([
    visitorChatState(ctx, chat),
    messagesAfter(ctx, chat.id, null),
  ]);
  return { ...state, messages: messages.map(toVisitorMessage) };
}

/** The visitor's open chat, else their latest (to rate it or download its transcript). */
export function latestChatOf(ctx: ServerContext, visitorId: string): Promise<Chat | undefined> {
  return ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('visitor_id', '=', visitorId)
    .orderBy((eb) => eb.case().when('status', '=', 'open').then(0).else(1).end())
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}
