import { ParleyError } from '../../../protocol/errors';
import type { ConnectionStatus, IpcArgs, IpcResult, Settings } from '../../../protocol/ipc';
import {
  operatorEvents,
  type ChatMessage,
  type OperatorEvent,
  type OperatorEventPayload,
  type OperatorSignal,
  type OperatorSignalPayload,
} from '../../../protocol/operator-socket';
import type { EmitEvent } from '../app-core';
import type { Platform } from '../ports';
import type { Connection, ServerEvent } from '../realtime/connection';
import type { Outbox } from '../realtime/outbox';
import { createAttention } from './attention';
import type { ChatCache } from './chat-cache';
import { createOperatorCall } from './operator-calls';
import { createPresence } from './presence';
import { createQueueView } from './queue-view';

export interface DeskOptions {
  sessionId: string;
  operatorId: string;
  connection: Pick<Connection, 'isReady' | 'request'>;
  /** Undefined when the encrypted cache could not be opened. */
  chats: ChatCache | undefined;
  outbox: Pick<Outbox, 'discard'>;
  platform: Platform;
  settings: () => Settings;
  emit: EmitEvent;
}

function payloadOf<E extends OperatorEvent>(name: E, event: ServerEvent): OperatorEventPayload<E> {
  return operatorEvents[name].parse(event.payload) as OperatorEventPayload<E>;
}

/**
 * The operator's work while signed in: applies the server's events to the cache, the queue, my
 * status and the attention bell, and carries out what the operator does with chats.
 */
export function createDesk(options: DeskOptions) {
  const { sessionId, operatorId, connection, chats, platform, emit } = options;
  const log = platform.log;
  const call = createOperatorCall(connection);
  const attention = createAttention({
    port: platform.attention,
    host: platform.host,
    settings: () => options.settings().attention,
    emit,
  });
  const queue = createQueueView({
    operatorId,
    fetch: async () => (await call('queue.list', {})).chats,
    onChange() {
      attention.queueChanged([...queue.offers().map((offer) => offer.chat), ...queue.waiting()]);
      emit('queue.changed', {});
    },
    log,
  });
  const presence = createPresence({
    store: platform.store,
    call,
    isConnected: () => connection.isReady(),
    emit,
    log,
  });
  /** The chat in front of the operator: it never rings and is marked read as messages arrive. */
  let focused: string | null = null;
  /** Chats whose visitor is typing, so the indicators can be cleared when the connection drops. */
  const typingChats = new Set<string>();

  /** Erased (or expired) chats leave the disk entirely: their cached copy and any unsent messages. */
  async function forget(seq: number, chatIds: string[]) {
    const gone = new Set(chatIds);
    // The unsent messages first: the renderer lists them with their chat, so none outlives it.
    await options.outbox.discard((entry) => {
      const params = entry.params;
      return (
        typeof params === 'object' && params !== null && 'chatId' in params && gone.has(String(params.chatId))
      );
    });
    await chats?.purge(sessionId, seq, chatIds);
  }

  /** Read receipts are a courtesy: offline or refused, nothing is lost. */
  function markRead(chatId: string, messageId: string) {
    if (!connection.isReady()) return;
    call('chat.read', { chatId, messageId }).catch((error: unknown) =>
      log.warn('could not mark the chat read', { error: String(error) }),
    );
  }

  function setTyping(chatId: string, isTyping: boolean) {
    if (isTyping === typingChats.has(chatId)) return;
    if (isTyping) typingChats.add(chatId);
    else typingChats.delete(chatId);
    emit('chats.typing', { chatId, typing: isTyping });
  }

  async function focusOn(chatId: string) {
    attention.seen(chatId);
    const newest = (await chats?.get(chatId))?.messages.at(-1);
    if (newest) markRead(chatId, newest.id);
  }

  async function accept(chatId: string) {
    await call('chat.accept', { chatId });
    queue.gone(chatId);
    return {};
  }

  async function receiveMessage(event: ServerEvent, message: ChatMessage) {
    const added = (await chats?.addMessage(sessionId, event.seq, message)) ?? true;
    emit('chats.changed', {});
    // The operator's own messages and Parley's notes never ring; a replayed message rang already.
    if (!added || message.author.kind !== 'visitor') return;
    if (message.chatId === focused) markRead(message.chatId, message.id);
    else attention.message(message.chatId, message.author.name, message.text);
  }

  /** The chat is no longer open for me (handed over, ended): its ringing and its typing go. */
  function chatOver(chatId: string) {
    queue.gone(chatId);
    attention.seen(chatId);
    setTyping(chatId, false);
    emit('chats.changed', {});
  }

  return {
    /** One server event, in seq order. Throws on a payload that breaks the contract (→ resync). */
    async apply(event: ServerEvent): Promise<void> {
      switch (event.event) {
        case 'chat.message':
          return receiveMessage(event, payloadOf('chat.message', event).message);
        case 'chat.assigned': {
          const { chat } = payloadOf('chat.assigned', event);
          await chats?.putChat(sessionId, event.seq, chat);
          queue.gone(chat.id);
          emit('chats.changed', {});
          return;
        }
        case 'chat.unassigned': {
          // Handed over: the conversation is a colleague's now, so its tab goes.
          const { chatId } = payloadOf('chat.unassigned', event);
          await chats?.removeChat(sessionId, event.seq, chatId);
          return chatOver(chatId);
        }
        case 'chat.closed': {
          // Ended: the tab stays, marked ended, so the operator can finish reading until they close it.
          const { chatId } = payloadOf('chat.closed', event);
          await chats?.closeChat(sessionId, event.seq, chatId);
          return chatOver(chatId);
        }
        case 'chat.visitorChanged': {
          const { chatId, visitorName } = payloadOf('chat.visitorChanged', event);
          await chats?.renameVisitor(sessionId, event.seq, chatId, visitorName);
          emit('chats.changed', {});
          emit('chats.visitorChanged', { chatId });
          return;
        }
        case 'data.erased': {
          const { chatIds } = payloadOf('data.erased', event);
          await forget(event.seq, chatIds);
          for (const chatId of chatIds) chatOver(chatId);
          queue.refresh();
          return;
        }
        case 'chat.offered':
          return queue.offered(payloadOf('chat.offered', event));
        case 'queue.changed':
          return queue.refresh(payloadOf('queue.changed', event).groupId);
        case 'operator.status': {
          const change = payloadOf('operator.status', event);
          if (change.operatorId === operatorId) presence.observe(change);
          emit('team.changed', {});
        }
      }
    },

    /** A fresh copy of my open chats (ended ones stay until dismissed); returns the seq it is current to. */
    async snapshot(): Promise<number> {
      const result = await call('chats.mine', {});
      await chats?.replaceAll(sessionId, result.seq, result.chats);
      // Ended chats stay on the desk, so the server's list cannot tell which were erased or expired
      // while this desktop was away: it is asked.
      const kept = ((await chats?.ids()) ?? []).slice(0, 1000);
      if (kept.length > 0) {
        const { chatIds: existing } = await call('chats.existing', { chatIds: kept });
        const gone = kept.filter((chatId) => !existing.includes(chatId));
        if (gone.length > 0) await forget(result.seq, gone);
      }
      attention.retainChats(new Set(result.chats.map((chat) => chat.id)));
      emit('chats.changed', {});
      return result.seq;
    },

    signal<S extends OperatorSignal>(signal: S, payload: OperatorSignalPayload<S>) {
      if (signal === 'visitor.typing') setTyping(payload.chatId, payload.typing);
    },

    /** Caught up with the server: restore my status, refresh the queue, mark the chat in front read. */
    online() {
      presence.resend();
      queue.refresh();
      if (focused !== null) void focusOn(focused);
    },

    /** Signals die with the socket: a "typing…" must not outlive the connection that said it. */
    connectionChanged(status: ConnectionStatus) {
      if (status.state !== 'online') for (const chatId of [...typingChats]) setTyping(chatId, false);
    },

    call,
    presence,

    queue: (): IpcResult<'queue.list'> => ({ chats: queue.chats(), offers: queue.offers() }),

    accept,

    async decline(chatId: string) {
      await call('chat.decline', { chatId });
      queue.gone(chatId);
      return {};
    },

    /** The offer that has waited longest, else the first chat of the queue as the server serves it. */
    async acceptNext(): Promise<IpcResult<'chats.acceptNext'>> {
      const chatId = queue.offers()[0]?.chat.id ?? queue.waiting()[0]?.id;
      if (chatId === undefined) return { chatId: null };
      await accept(chatId);
      return { chatId };
    },

    /** Closes the tab of an ended chat; an open one has to be ended first. */
    async dismiss(chatId: string) {
      const chat = await chats?.get(chatId);
      if (!chat) throw new ParleyError('not_found', 'There is no such chat.');
      if (chat.status === 'open') throw new ParleyError('conflict', 'End the chat first.');
      await chats?.dismiss(chatId);
      emit('chats.changed', {});
      return {};
    },

    typing(args: IpcArgs<'chats.typing'>) {
      // Fire and forget: a lost typing note is harmless, and the composer must never wait for it.
      call('chat.typing', args).catch(() => undefined);
      return {};
    },

    async focus(chatId: string | null) {
      focused = chatId;
      if (chatId !== null) await focusOn(chatId);
      return {};
    },

    close() {
      queue.close();
      attention.close();
    },
  };
}

export type Desk = ReturnType<typeof createDesk>;
