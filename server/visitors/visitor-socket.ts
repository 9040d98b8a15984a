import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { describeIssues, ParleyError, type ParleyErrorData } from '../../protocol/errors';
import {
  maxVisitorFrameBytes,
  visitorClientFrameSchema,
  type VisitorEvent,
  type VisitorEventPayload,
  type VisitorServerFrame,
} from '../../protocol/visitor-socket';
import { clientAddress } from '../auth/ip-rules';
import type { ServerContext } from '../context';
import { readSecurityPolicy } from '../policy';
import { onSignal, type Signal } from '../signals';
import { createRateLimit } from './rate-limit';
import { queuePositions } from '../queues/queue-view';
import { messagesAfter, toVisitorMessage, visitorChatState, type VisitorChatState } from './visitor-chat';
import { callVisitorMethod, type VisitorSession } from './visitor-methods';
import { touchVisitors } from './visitor-sessions';

/*
 * The visitor socket. Each connection shows one chat; when a signal says the chat (or its group's
 * queue) changed, the connection re-reads it and sends what the widget lacks: new messages after
 * the last one it sent, and the chat's state when it differs. Reading instead of forwarding makes
 * a lost or repeated signal harmless.
 */

interface Connection {
  socket: WebSocket;
  session: VisitorSession;
  /** The newest message of the chat this connection has sent (or that resume/start returned). */
  lastMessageId: string | null;
  lastState: VisitorChatState | undefined;
  groupId: string | undefined;
  refreshing: Promise<void>;
  alive: boolean;
}

export interface VisitorSocketOptions {
  heartbeatMs?: number;
  /** How long queue moves are gathered before waiting visitors get their new places (default 250 ms). */
  queueUpdateMs?: number;
  /** Messages per visitor: a burst, then one per refill. */
  messageBurst?: number;
  messageRefillMs?: number;
}

function errorData(error: unknown): ParleyErrorData {
  return error instanceof ParleyError
    ? error.toData()
    : { code: 'internal', message: 'Something went wrong. Please try again.' };
}

export function createVisitorSocketServer(ctx: ServerContext, options: VisitorSocketOptions = {}) {
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: maxVisitorFrameBytes });
  const connections = new Set<Connection>();
  const now = () => ctx.clock.now().getTime();

  function send(connection: Connection, frame: VisitorServerFrame) {
    if (connection.socket.readyState === connection.socket.OPEN)
      connection.socket.send(JSON.stringify(frame));
  }

  function sendEvent<E extends VisitorEvent>(
    connection: Connection,
    event: E,
    payload: VisitorEventPayload<E>,
  ) {
    send(connection, { type: 'event', event, payload });
  }

  async function readChat(chatId: string) {
    return ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  }

  function noteState(connection: Connection, state: VisitorChatState): boolean {
    if (JSON.stringify(state) === JSON.stringify(connection.lastState)) return false;
    connection.lastState = state;
    return true;
  }

  /** Groups whose queue moved, refreshed together a moment later: a busy queue moves many times a second. */
  const movedQueues = new Set<string>();
  let queueTimer: NodeJS.Timeout | undefined;

  function queueMoved(groupId: string) {
    movedQueues.add(groupId);
    queueTimer ??= setTimeout(() => {
      queueTimer = undefined;
      const groups = [...movedQueues];
      movedQueues.clear();
      for (const group of groups) {
        sendPositions(group).catch((error: unknown) =>
          ctx.log.error('could not update queue positions', { error: String(error) }),
        );
      }
    }, options.queueUpdateMs ?? 250);
  }

  /** New places in line for this group's waiting visitors, read for all of them at once. */
  async function sendPositions(groupId: string) {
    const waiting = [...connections].filter(
      (connection) => connection.groupId === groupId && connection.lastState?.status === 'queued',
    );
    if (waiting.length === 0) return;
    const positions = await queuePositions(ctx, groupId);
    for (const connection of waiting) {
      const state = connection.lastState;
      const place = state && positions.get(state.id);
      // No longer in line (taken, ended): the chat's own signal brings its new state.
      if (!state || !place) continue;
      const next = { ...state, position: place.position, estimatedWaitSeconds: place.estimatedWaitSeconds };
      if (noteState(connection, next)) sendEvent(connection, 'chat', { chat: next });
    }
  }

  /**
   * Sends the messages and (unless only messages changed) the state the widget has not seen; one
   * refresh at a time per connection.
   */
  function refresh(connection: Connection, what: 'messages' | 'all' = 'all'): Promise<void> {
    connection.refreshing = connection.refreshing.then(async () => {
      const chatId = connection.session.chatId;
      if (chatId === undefined) return;
      for (const row of await messagesAfter(ctx, chatId, connection.lastMessageId)) {
        sendEvent(connection, 'message', { message: toVisitorMessage(row) });
        connection.lastMessageId = row.id;
      }
      if (what === 'messages') return;
      const chat = await readChat(chatId);
      if (!chat) return;
      connection.groupId = chat.group_id ?? undefined;
      const state = await visitorChatState(ctx, chat);
      if (noteState(connection, state)) sendEvent(connection, 'chat', { chat: state });
    });
    connection.refreshing = connection.refreshing.catch((error: unknown) =>
      ctx.log.error('visitor refresh failed', { error: String(error) }),
    );
    return connection.refreshing;
  }

  /** After a method: the connection now shows this chat, and the widget has what the result carried. */
  function adopt(connection: Connection, result: unknown) {
    const chat = (result as { chat?: ({ id: string; messages: { id: string }[] } & VisitorChatState) | null })
      ?.chat;
    if (chat) {
      connection.lastMessageId = chat.messages.at(-1)?.id ?? null;
      const { messages: _messages, ...state } = chat;
      noteState(connection, state);
    }
  }

  function onChatSignal(signal: Signal) {
    if (signal.kind === 'queue') return queueMoved(signal.groupId);
    for (const connection of connections) {
      const { chatId } = connection.session;
      if (chatId === undefined) continue;
      if (signal.kind === 'chat' && signal.chatId === chatId)
        void refresh(connection, signal.messagesOnly ? 'messages' : 'all');

      if (signal.kind === 'operator.typing' && signal.chatId === chatId) {
        sendEvent(connection, 'typing', { typing: signal.typing, name: signal.name });
      }
    }
  }
  const stopSignals = onSignal(ctx.db, onChatSignal);

  async function handleFrame(connection: Connection, data: RawData, isBinary: boolean) {
    let raw: unknown;
    try {
      raw = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      raw = undefined;
    }
    const frame = visitorClientFrameSchema.safeParse(raw);
    if (!frame.success) {
      const error: ParleyErrorData =
        raw === undefined
          ? { code: 'malformed_frame', message: 'Frames are JSON text.' }
          : { code: 'malformed_frame', message: describeIssues(frame.error) };
      return send(connection, { type: 'error', error });
    }
    const { id, method, params } = frame.data;
    try {
      const result = await callVisitorMethod(ctx, connection.session, { method, params });
      adopt(connection, result);
      send(connection, { type: 'response', id, ok: true, result });
      // A chat started or resumed: anything that happened meanwhile follows.
      void refresh(connection);
    } catch (error) {
      if (!(error instanceof ParleyError))
        ctx.log.error('visitor method failed', { method, error: String(error) });
      send(connection, { type: 'response', id, ok: false, error: errorData(error) });
    }
  }

  function attach(socket: WebSocket, address: string | null) {
    const connection: Connection = {
      socket,
      session: {
        address,
        visitor: undefined,
        chatId: undefined,
        messages: createRateLimit({
          capacity: options.messageBurst ?? 8,
          refillMs: options.messageRefillMs ?? 1_500,
          now,
        }),
        typing: createRateLimit({ capacity: 10, refillMs: 1_000, now }),
      },
      lastMessageId: null,
      lastState: undefined,
      groupId: undefined,
      refreshing: Promise.resolve(),
      alive: true,
    };
    connections.add(connection);
    // Frames are handled one at a time, in order: a message never overtakes the consent before it.
    let queue = Promise.resolve();
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      queue = queue.then(() => handleFrame(connection, data, isBinary));
    });
    socket.on('pong', () => (connection.alive = true));
    socket.on('close', () => connections.delete(connection));
    socket.on('error', (error) => ctx.log.warn('visitor socket error', { error: error.message }));
  }

  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    try {
      const policy = await readSecurityPolicy(ctx.db);
      const address = clientAddress(
        request.socket.remoteAddress ?? '',
        request.headers['x-forwarded-for'],
        policy.trustedProxies,
      );
      const doNotTrack = request.headers['dnt'] === '1' || request.headers['sec-gpc'] === '1';
      const kept = doNotTrack && policy.honourDoNotTrack ? null : address;
      socketServer.handleUpgrade(request, socket, head, (ws) => attach(ws, kept));
    } catch (error) {
      ctx.log.error('visitor socket upgrade failed', { error: String(error) });
      socket.destroy();
    }
  }

  const heartbeat = setInterval(() => {
    const present: string[] = [];
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      if (connection.session.visitor) present.push(connection.session.visitor.id);
    }
    // Visitors with a live socket are still there; those without go stale and are abandoned.
    touchVisitors(ctx, present).catch((error: unknown) =>
      ctx.log.error('could not note visitors as present', { error: String(error) }),
    );
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    handleUpgrade,
    close() {
      clearInterval(heartbeat);
      clearTimeout(queueTimer);
      stopSignals();
      for (const connection of connections) connection.socket.terminate();
      socketServer.close();
    },
  };
}
