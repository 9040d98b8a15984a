import { describeIssues, ParleyError } from '../../protocol/errors';
import {
  isVisitorMethod,
  maxVisitorMessageLength,
  visitorMethods,
  type VisitorMethod,
  type VisitorParams,
  type VisitorResult,
} from '../../protocol/visitor-socket';
import { openNow } from '../admin/business-hours';
import { postVisitorMessage } from '../chats';
import type { ServerContext } from '../context';
import { sendSignals } from '../signals';
import { enqueueChat, visitorLeaves } from '../queues/handover';
import { availableOperatorCount } from '../queues/queue-view';
import type { Chat, Visitor } from '../storage/schema';
import { createOfflineTicket } from '../tickets';
import type { RateLimit } from './rate-limit';
import { latestChatOf, visitorChat } from './visitor-chat';
import { deleteVisitorChat, updateVisitorDetails } from './visitor-details';
import { chatNameOf, collectFields } from './visitor-fields';
import { openGroup, recordConsent, visitorByToken } from './visitor-sessions';

/** One widget connection: who it is (after consent) and which chat it shows. */
export interface VisitorSession {
  /** Null when the visitor's browser asked not to be tracked (DNT, GPC) and the policy honours it. */
  address: string | null;
  visitor: Visitor | undefined;
  chatId: string | undefined;
  messages: RateLimit;
  typing: RateLimit;
}

type Handlers = {
  [M in VisitorMethod]: (
    ctx: ServerContext,
    session: VisitorSession,
    params: VisitorParams<M>,
  ) => Promise<VisitorResult<M>>;
};

function consented(session: VisitorSession): Visitor {
  if (!session.visitor) throw new ParleyError('unauthenticated', 'Please accept the privacy notice first.');
  return session.visitor;
}

async function currentChat(
  ctx: ServerContext,
  session: VisitorSession,
  missing = 'Start a chat first.',
): Promise<Chat> {
  const visitor = consented(session);
  const chat =
    session.chatId === undefined
      ? undefined
      : await ctx.db
          .selectFrom('chats')
          .selectAll()
          .where('id', '=', session.chatId)
          .where('visitor_id', '=', visitor.id)
          .executeTakeFirst();
  if (!chat) throw new ParleyError('not_found', missing);
  return chat;
}

function limited(limit: RateLimit, message: string): never {
  throw new ParleyError('rate_limited', message, new Date(limit.nextAt()).toISOString());
}

export const visitorHandlers: Handlers = {
  async 'session.consent'(ctx, session, params) {
    const { visitor, token } = await recordConsent(ctx, { ...params, address: session.address });
    session.visitor = visitor;
    session.chatId = undefined;
    return { visitorToken: token, visitorId: visitor.id };
  },

  async 'session.resume'(ctx, session, params) {
    const visitor = await visitorByToken(ctx, params.visitorToken);
    session.visitor = visitor;
    const chat = await latestChatOf(ctx, visitor.id);
    session.chatId = chat?.id;
    return {
      visitorId: visitor.id,
      groupId: visitor.group_id,
      chat: chat ? await visitorChat(ctx, chat) : null,
    };
  },

  async 'chat.start'(ctx, session, params) {
    const visitor = consented(session);
    const open = await latestChatOf(ctx, visitor.id);
    if (open?.status === 'open') {
      session.chatId = open.id;
      return { chat: await visitorChat(ctx, open) };
    }
    const group = await openGroup(ctx, visitor.group_id);
    const fields = collectFields(group.prechat_fields, params.fields);
    // Outside business hours is the same to the visitor as nobody being online.
    if (!openNow(ctx, group.business_hours) || (await availableOperatorCount(ctx, group.id)) === 0) {
      throw new ParleyError(
        'conflict',
        'Nobody is available right now. Leave us a message and we will answer by email.',
      );
    }
    const chatId = await enqueueChat(ctx, {
      groupId: group.id,
      visitorName: chatNameOf(fields),
      // The page is technical data, like the address: not kept for a visitor who asked not to be tracked.
      visitor: {
        id: visitor.id,
        fields,
        pageUrl: session.address === null ? null : (params.pageUrl ?? null),
      },
    });
    session.chatId = chatId;
    return { chat: await visitorChat(ctx, await currentChat(ctx, session)) };
  },

  async 'chat.send'(ctx, session, params) {
    const chat = await currentChat(ctx, session);
    if (chat.status === 'closed') throw new ParleyError('conflict', 'This chat has ended.');
    if (!session.messages.take()) {
      limited(session.messages, 'You are sending messages very quickly. Please wait a moment.');
    }
    const message = await postVisitorMessage(ctx, chat.id, params.text, params.clientMsgId);
    return {
      message: {
        id: message.id,
        author: 'visitor',
        name: message.author.name,
        text: message.text,
        clientMsgId: message.clientMsgId,
        createdAt: message.createdAt,
      },
    };
  },

  async 'chat.typing'(ctx, session, params) {
    const chat = await currentChat(ctx, session);
    // Typing notes are worth nothing late: over the limit they are dropped, not refused.
    if (chat.status === 'closed' || chat.operator_id === null || !session.typing.take()) return {};
    await sendSignals(ctx, [
      { kind: 'visitor.typing', operatorId: chat.operator_id, chatId: chat.id, typing: params.typing },
    ]);
    return {};
  },

  async 'details.update'(ctx, session, params) {
    const chat = await currentChat(ctx, session, 'There is no chat whose details could be changed.');
    await updateVisitorDetails(ctx, chat.id, params.fields);
    return {};
  },

  async 'chat.delete'(ctx, session) {
    const chat = await currentChat(ctx, session, 'There is no chat to delete.');
    await deleteVisitorChat(ctx, chat.id);
    session.chatId = undefined;
    return {};
  },

  async 'chat.leave'(ctx, session) {
    const chat = await currentChat(ctx, session);
    await visitorLeaves(ctx, chat.id);
    return {};
  },

  async 'chat.rate'(ctx, session, params) {
    const chat = await currentChat(ctx, session);
    if (chat.status !== 'closed' || chat.outcome !== 'answered') {
      throw new ParleyError('conflict', 'A chat can be rated once it has ended.');
    }
    await ctx.db
      .updateTable('chats')
      .set({ rating: params.rating, rating_comment: params.comment || null })
      .where('id', '=', chat.id)
      .execute();
    return {};
  },

  async 'offline.submit'(ctx, session, params) {
    const visitor = consented(session);
    if (!session.messages.take()) limited(session.messages, 'Please wait a moment before sending again.');
    const group = await openGroup(ctx, visitor.group_id);
    // Without an address nobody could answer an offline message.
    const fields = collectFields(group.prechat_fields, params.fields, ['email']);
    const ticket = await createOfflineTicket(ctx, {
      groupId: group.id,
      visitorId: visitor.id,
      fields,
      message: params.message,
    });
    return { ticketNumber: ticket.number };
  },
};

export interface VisitorCall {
  method: string;
  params: unknown;
}

/** Checks the method and its params, then runs it. Over-long messages get their own clear answer. */
export async function callVisitorMethod(
  ctx: ServerContext,
  session: VisitorSession,
  call: VisitorCall,
): Promise<unknown> {
  const { method } = call;
  if (!isVisitorMethod(method))
    throw new ParleyError('unknown_method', `There is no method called "${method}".`);
  if (method === 'chat.send') {
    const text = (call.params as { text?: unknown } | undefined)?.text;
    if (typeof text === 'string' && text.trim().length > maxVisitorMessageLength) {
      throw new ParleyError(
        'invalid_request',
        `Messages can be at most ${maxVisitorMessageLength} characters long. Please split yours up.`,
      );
    }
  }
  const parsed = visitorMethods[method].params.safeParse(call.params ?? {});
  if (!parsed.success) throw new ParleyError('invalid_request', describeIssues(parsed.error));
  const handler = visitorHandlers[method] as (...args: unknown[]) => Promise<unknown>;
  return handler(ctx, session, parsed.data);
}
