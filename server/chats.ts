import { randomUUID } from 'node:crypto';
import { ParleyError } from '../protocol/errors';
import type { VisitorMask } from '../protocol/masking';
import type { ChatMessage, ChatSummary, OperatorParams } from '../protocol/operator-socket';
import type { ServerContext } from './context';
import { transactionWithEvents, type EventWriter } from './events';
import { maskerFor, maskOf } from './privacy/masking';
import { sendSignals } from './signals';
import type { Chat, ChatMessageRow, Operator } from './storage/schema';

/*
 * The chat message core: chats assigned to an operator, their messages, and the chat.message
 * events that tell the operator's devices. A message and its events commit in one transaction.
 * Whatever goes to operators passes the chat's VisitorMask; only the visitor gets their own words back.
 */

function toChatMessage(row: ChatMessageRow): ChatMessage {
  return {
    id: row.id,
    chatId: row.chat_id,
    author: { kind: row.author_kind, id: row.author_id, name: row.author_name },
    text: row.text,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** A message as operators see it: the visitor's name and any masked value in the text as the rules allow. */
function maskedMessage(message: ChatMessage, mask: VisitorMask): ChatMessage {
  const author =
    message.author.kind === 'visitor' ? { ...message.author, name: mask.displayName } : message.author;
  return { ...message, author, text: mask.redact(message.text) };
}

export async function openChat(
  ctx: ServerContext,
  input: { visitorName: string; operatorId: string },
): Promise<string> {
  const id = randomUUID();
  await ctx.db
    .insertInto('chats')
    .values({
      id,
      status: 'open',
      operator_id: input.operatorId,
      visitor_name: input.visitorName,
      created_at: ctx.clock.now(),
      closed_at: null,
    })
    .execute();
  return id;
}

/**
 * Locks the chat for the rest of the transaction: messages of one chat are stored one at a time,
 * so their ids, their events' seqs and the idempotency check below all agree.
 */
export async function lockChat(tx: ServerContext, chatId: string): Promise<Chat> {
  const chat = await tx.db
    .selectFrom('chats')
    .selectAll()
    .where('id', '=', chatId)
    .forUpdate()
    .executeTakeFirst();
  if (!chat) throw new ParleyError('not_found', 'There is no such chat.');
  return chat;
}

async function findByClientMsgId(tx: ServerContext, chatId: string, clientMsgId: string) {
  const row = await tx.db
    .selectFrom('chat_messages')
    .selectAll()
    .where('chat_id', '=', chatId)
    .where('client_msg_id', '=', clientMsgId)
    .executeTakeFirst();
  return row && toChatMessage(row);
}

interface NewMessage {
  author: ChatMessage['author'];
  text: string;
  clientMsgId: string | undefined;
  internal?: boolean;
}

/**
 * Stores a message in an open, locked chat and tells the assigned operator's sessions (masked, with
 * `mask` when the caller has it already). Returns it unmasked: the caller decides who gets it.
 */
async function storeMessage(
  tx: ServerContext,
  events: EventWriter,
  chat: Chat,
  message: NewMessage,
  mask?: VisitorMask,
): Promise<ChatMessage> {
  if (chat.status === 'closed') throw new ParleyError('conflict', 'This chat has ended.');
  const row = await tx.db
    .insertInto('chat_messages')
    .values({
      chat_id: chat.id,
      author_kind: message.author.kind,
      author_id: message.author.id,
      author_name: message.author.name,
      text: message.text,
      client_msg_id: message.clientMsgId ?? null,
      created_at: tx.clock.now(),
      internal: message.internal ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const stored = toChatMessage(row);
  if (chat.operator_id !== null) {
    const seen = maskedMessage(stored, mask ?? (await maskOf(tx, chat)));
    await events.toOperator(chat.operator_id, 'chat.message', { message: seen });
  }
  events.signal({ kind: 'chat', chatId: chat.id, messagesOnly: true });
  return stored;
}

/** A note from Parley for the operators, e.g. who handed the chat over and why; the visitor never sees it. */
export function addSystemMessage(
  tx: ServerContext,
  events: EventWriter,
  chat: Chat,
  text: string,
): Promise<ChatMessage> {
  return storeMessage(tx, events, chat, {
    author: { kind: 'system', id: null, name: 'Parley' },
    text,
    clientMsgId: undefined,
    internal: true,
  });
}

/**
 * A visitor's message (the visitor widget will call this). A repeated clientMsgId returns the
 * stored message and publishes nothing.
 */
export function postVisitorMessage(
  ctx: ServerContext,
  chatId: string,
  text: string,
  clientMsgId?: string,
): Promise<ChatMessage> {
  return transactionWithEvents(ctx, async (tx, events) => {
    const chat = await lockChat(tx, chatId);
    const existing =
      clientMsgId === undefined ? undefined : await findByClientMsgId(tx, chat.id, clientMsgId);
    if (existing) return existing;
    return storeMessage(tx, events, chat, {
      author: { kind: 'visitor', id: null, name: chat.visitor_name },
      text,
      clientMsgId,
    });
  });
}

/**
 * chat.send. Only the assigned operator may write. The chat's row lock serialises concurrent
 * deliveries of one message, so the second finds the first's row and returns it without publishing;
 * the unique index on (chat_id, client_msg_id) guarantees it whatever the code above does.
 */
export function sendOperatorMessage(
  ctx: ServerContext,
  operator: Operator,
  params: OperatorParams<'chat.send'>,
): Promise<ChatMessage> {
  return transactionWithEvents(ctx, async (tx, events) => {
    const chat = await lockChat(tx, params.chatId);
    if (chat.operator_id !== operator.id) {
      throw new ParleyError('forbidden', 'Only the operator the chat is assigned to can write in it.');
    }
    const mask = await maskOf(tx, chat);
    // Before the status check: a retry of a message that got through before the chat ended succeeded.
    const stored =
      (await findByClientMsgId(tx, chat.id, params.clientMsgId)) ??
      (await storeMessage(
        tx,
        events,
        chat,
        {
          author: { kind: 'operator', id: operator.id, name: operator.display_name },
          text: params.text,
          clientMsgId: params.clientMsgId,
        },
        mask,
      ));
    return maskedMessage(stored, mask);
  });
}

const summaryColumns = ['id', 'status', 'visitor_name', 'group_id', 'visitor_id', 'visitor_fields'] as const;

/** Open chats assigned to the operator with all their messages, oldest first. */
export async function listOpenChatsFor(ctx: ServerContext, operatorId: string): Promise<ChatSummary[]> {
  const chats = await ctx.db
    .selectFrom('chats')
    .select(summaryColumns)
    .where('operator_id', '=', operatorId)
    .where('status', '=', 'open')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return withMessages(ctx, chats);
}

/** One chat with all its messages, as chat.assigned and chat.accept hand it to the new assignee. */
export async function chatSummary(ctx: ServerContext, chatId: string): Promise<ChatSummary> {
  const chat = await ctx.db
    .selectFrom('chats')
    .select(summaryColumns)
    .where('id', '=', chatId)
    .executeTakeFirst();
  const [summary] = await withMessages(ctx, chat ? [chat] : []);
  if (!summary) throw new ParleyError('not_found', 'There is no such chat.');
  return summary;
}

async function withMessages(
  ctx: ServerContext,
  chats: Pick<Chat, (typeof summaryColumns)[number]>[],
): Promise<ChatSummary[]> {
  if (chats.length === 0) return [];
  const mask = await maskerFor(ctx, chats);
  const messages = await ctx.db
    .selectFrom('chat_messages')
    .selectAll()
    .where(
      'chat_id',
      'in',
      chats.map((chat) => chat.id),
    )
    .orderBy('id')
    .execute();
  return chats.map((chat) => {
    const chatMask = mask(chat);
    return {
      id: chat.id,
      status: chat.status,
      visitorName: chatMask.displayName,
      groupId: chat.group_id,
      messages: messages
        .filter((row) => row.chat_id === chat.id)
        .map((row) => maskedMessage(toChatMessage(row), chatMask)),
    };
  });
}

async function assignedChat(ctx: ServerContext, operator: Operator, chatId: string): Promise<Chat> {
  const chat = await ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  if (!chat || chat.operator_id !== operator.id) {
    throw new ParleyError('forbidden', 'Only the operator the chat is assigned to can do this.');
  }
  return chat;
}

/** chat.typing: the visitor sees that the operator is writing. Never stored. */
export async function operatorTyping(
  ctx: ServerContext,
  operator: Operator,
  chatId: string,
  typing: boolean,
): Promise<void> {
  const chat = await assignedChat(ctx, operator, chatId);
  if (chat.status === 'closed') return;
  await sendSignals(ctx, [{ kind: 'operator.typing', chatId, name: operator.display_name, typing }]);
}

/** chat.read: the visitor's messages up to this one show as read. Only ever moves forward. */
export async function markRead(
  ctx: ServerContext,
  operator: Operator,
  chatId: string,
  messageId: string,
): Promise<void> {
  await assignedChat(ctx, operator, chatId);
  if (!/^\d+$/.test(messageId)) throw new ParleyError('invalid_request', 'There is no such message.');
  await transactionWithEvents(ctx, async (tx, events) => {
    const updated = await tx.db
      .updateTable('chats')
      .set({ operator_read_up_to: messageId })
      .where('id', '=', chatId)
      .where((eb) =>
        eb.or([eb('operator_read_up_to', 'is', null), eb('operator_read_up_to', '<', messageId)]),
      )
      .executeTakeFirst();
    if (updated.numUpdatedRows > 0n) events.signal({ kind: 'chat', chatId });
  });
}
