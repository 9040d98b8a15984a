import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { describeIssues, ParleyError, type ParleyErrorData } from '../protocol/errors';
import { protocolVersion } from '../protocol/auth';
import {
  clientFrameSchema,
  maxOperatorFrameBytes,
  socketCloseCodes,
  type ClientFrame,
  type ServerFrame,
} from '../protocol/operator-socket';
import { operatorPermissions, operatorProfile } from './accounts';
import type { ServerContext } from './context';
import { ensureAddressAllowed } from './auth/address-check';
import { clientAddress } from './auth/ip-rules';
import { authenticateSession } from './auth/sessions';
import {
  createEventStream,
  lastEventSeq,
  onEventsStored,
  publishToSession,
  trimEvents,
  type EventStream,
  type StoredEvent,
} from './events';
import { bearerToken } from './http/auth-routes';
import { httpStatusOf } from './http/respond';
import { callOperatorMethod, trimAppliedActions, type Caller } from './operator-methods';
import { readSecurityPolicy } from './policy';
import { dropPresence, notePresence, refreshPresence } from './presence';
import { onSignal } from './signals';

/**
 * How often open sockets re-check their session, so revocations made elsewhere take effect, and
 * events and applied actions past retention are forgotten.
 */
const sweepMs = 30_000;

interface Connection {
  socket: WebSocket;
  sessionId: string;
  operatorId: string;
  address: string;
  events: EventStream;
  /** Heard from since the last heartbeat ping (a pong or any frame). */
  alive: boolean;
}

type RequestFrame = Extract<ClientFrame, { type: 'request' }>;
type HelloFrame = Extract<ClientFrame, { type: 'hello' }>;

function errorData(error: unknown): ParleyErrorData {
  return error instanceof ParleyError
    ? error.toData()
    : { code: 'internal', message: 'The server could not do that.' };
}

function refuseUpgrade(socket: Duplex, error: ParleyErrorData) {
  const body = JSON.stringify(error);
  const status = httpStatusOf(error.code);
  socket.end(
    `HTTP/1.1 ${status} Refused\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export interface OperatorSocketOptions {
  /**
   * How often each socket is pinged; one that answered neither the previous ping nor anything else
   * is terminated, so a client that vanished without a close frame does not linger as "online".
   */
  heartbeatMs?: number;
}

export function createOperatorSocketServer(ctx: ServerContext, options: OperatorSocketOptions = {}) {
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: maxOperatorFrameBytes });
  /** Open connections by session id: one session may have several sockets open. */
  const connections = new Map<string, Set<Connection>>();

  function connectionsOf(sessionId: string): Iterable<Connection> {
    return connections.get(sessionId) ?? [];
  }

  function track(connection: Connection) {
    const ofSession = connections.get(connection.sessionId) ?? new Set<Connection>();
    connections.set(connection.sessionId, ofSession.add(connection));
  }

  function untrack(connection: Connection) {
    const ofSession = connections.get(connection.sessionId);
    ofSession?.delete(connection);
    if (ofSession?.size === 0) connections.delete(connection.sessionId);
  }

  function connectedOperators(): Set<string> {
    const ids = new Set<string>();
    for (const ofSession of connections.values())
      for (const connection of ofSession) ids.add(connection.operatorId);
    return ids;
  }

  /** Set while the server shuts down: its sockets closing then says nothing about anyone's presence. */
  let closing = false;

  function logPresenceFailure(error: unknown) {
    ctx.log.error('could not record presence', { error: String(error) });
  }

  function send(connection: Connection, frame: ServerFrame) {
    if (connection.socket.readyState === connection.socket.OPEN)
      connection.socket.send(JSON.stringify(frame));
  }

  function closeEnded(connection: Connection) {
    connection.socket.close(socketCloseCodes.sessionEnded, 'session ended');
  }

  const stopListening = onEventsStored(ctx.db, (events) => {
    for (const event of events) {
      for (const connection of connectionsOf(event.sessionId)) connection.events.deliver(event);
    }
  });

  const stopSignals = onSignal(ctx.db, (signal) => {
    if (signal.kind !== 'visitor.typing') return;
    const payload = { chatId: signal.chatId, typing: signal.typing };
    for (const ofSession of connections.values()) {
      for (const connection of ofSession) {
        if (connection.operatorId === signal.operatorId)
          send(connection, { type: 'signal', signal: 'visitor.typing', payload });
      }
    }
  });

  /** Stores session.revoked for each session, then closes its sockets once they have sent it. */
  async function endSessions(sessionIds: string[], reason: string): Promise<void> {
    for (const sessionId of sessionIds) {
      let revoked: StoredEvent | undefined;
      try {
        revoked = await publishToSession(ctx, sessionId, 'session.revoked', { sessionId, reason });
      } catch (error) {
        ctx.log.error('could not store session.revoked', { error: String(error) });
      }
      for (const connection of connectionsOf(sessionId)) {
        // The session is over either way: without its event, close at once.
        if (!revoked) {
          closeEnded(connection);
          continue;
        }
        // A socket still waiting for hello, or replaying, sends the event in turn and then closes.
        connection.events.release();
        connection.events.afterSent(revoked.seq, () => closeEnded(connection));
      }
    }
  }

  /** The caller as of now: the session may have been ended or the operator disabled since connecting. */
  async function currentCaller(connection: Connection): Promise<Caller> {
    const policy = await readSecurityPolicy(ctx.db);
    const { session, operator } = await authenticateSession(ctx.db, ctx.clock, policy, {
      sessionId: connection.sessionId,
    });
    return { session, operator, address: connection.address };
  }

  async function handleRequest(connection: Connection, request: RequestFrame) {
    const { id } = request;
    let caller: Caller;
    try {
      caller = await currentCaller(connection);
    } catch (error) {
      send(connection, { type: 'response', id, ok: false, error: errorData(error) });
      closeEnded(connection);
      return;
    }
    try {
      const call = { method: request.method, params: request.params, actionId: request.actionId };
      const result = await callOperatorMethod(ctx, caller, call, { endSessions });
      send(connection, { type: 'response', id, ok: true, result });
    } catch (error) {
      if (!(error instanceof ParleyError))
        ctx.log.error('operator method failed', { method: request.method, error: String(error) });
      send(connection, { type: 'response', id, ok: false, error: errorData(error) });
    }
  }

  function handleHello(connection: Connection, hello: HelloFrame) {
    if (hello.protocolVersion !== protocolVersion) {
      send(connection, {
        type: 'error',
        error: {
          code: 'version_mismatch',
          message: `This server speaks protocol version ${protocolVersion}.`,
        },
      });
      connection.socket.close(1008, 'version mismatch');
      return;
    }
    if (hello.lastSeq === undefined) connection.events.release();
    else connection.events.resume(hello.lastSeq);
  }

  function handleFrame(connection: Connection, data: RawData, isBinary: boolean) {
    let raw: unknown;
    try {
      raw = isBinary ? undefined : JSON.parse(data.toString());
    } catch {
      raw = undefined;
    }
    if (raw === undefined) {
      return send(connection, {
        type: 'error',
        error: { code: 'malformed_frame', message: 'Frames are JSON text.' },
      });
    }
    const frame = clientFrameSchema.safeParse(raw);
    if (!frame.success) {
      const type = (raw as { type?: unknown } | null)?.type;
      const error: ParleyErrorData =
        type === 'request' || type === 'hello'
          ? { code: 'malformed_frame', message: describeIssues(frame.error) }
          : { code: 'unknown_message_type', message: `Unknown frame type ${JSON.stringify(type ?? null)}.` };
      return send(connection, { type: 'error', error });
    }
    if (frame.data.type === 'hello') return handleHello(connection, frame.data);
    // A client that resumes says hello first: after a request, no replay is coming.
    connection.events.release();
    void handleRequest(connection, frame.data);
  }

  /** The welcome carries the session's current seq; the event stream starts after it. */
  async function sendWelcome(connection: Connection, caller: Caller) {
    const [operator, seq] = await Promise.all([
      operatorProfile(ctx.db, caller.operator),
      lastEventSeq(ctx.db, caller.session.id),
    ]);
    send(connection, {
      type: 'welcome',
      protocolVersion,
      sessionId: caller.session.id,
      operator,
      permissions: operatorPermissions(caller.operator),
      seq,
    });
    connection.events.start(seq);
  }

  function attach(socket: WebSocket, caller: Caller) {
    const connection: Connection = {
      socket,
      sessionId: caller.session.id,
      operatorId: caller.operator.id,
      address: caller.address,
      events: createEventStream(ctx, caller.session.id, {
        send: (frame) => send(connection, frame),
        fail(error) {
          // The client reconnects and resumes; the replay decides afresh what it can still have.
          ctx.log.error('operator event stream failed', { error: String(error) });
          socket.close(1011, 'events unavailable');
        },
      }),
      alive: true,
    };
    socket.on('pong', () => (connection.alive = true));
    // Tracked before the welcome reads the seq, so no event committed after that read is missed.
    track(connection);
    notePresence(ctx, connection.operatorId).catch(logPresenceFailure);
    socket.on('close', () => {
      untrack(connection);
      connection.events.stop();
      if (!closing && !connectedOperators().has(connection.operatorId))
        dropPresence(ctx, connection.operatorId).catch(logPresenceFailure);
    });
    socket.on('error', (error) => ctx.log.warn('operator socket error', { error: error.message }));
    const welcomed = sendWelcome(connection, caller);
    welcomed.catch((error: unknown) => {
      ctx.log.error('operator socket welcome failed', { error: String(error) });
      socket.close(1011, 'welcome failed');
    });
    // Frames are handled after the welcome, in the order they came.
    socket.on('message', (data, isBinary) => {
      connection.alive = true;
      welcomed.then(
        () => handleFrame(connection, data, isBinary),
        () => undefined,
      );
    });
  }

  /** Authenticates by bearer token and checks the address before the socket opens. */
  async function handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    try {
      const token = bearerToken(request);
      if (!token) throw new ParleyError('unauthenticated', 'Sign in first.');
      const policy = await readSecurityPolicy(ctx.db);
      const address = clientAddress(
        request.socket.remoteAddress ?? '',
        request.headers['x-forwarded-for'],
        policy.trustedProxies,
      );
      const { session, operator } = await authenticateSession(ctx.db, ctx.clock, policy, { token });
      await ensureAddressAllowed(ctx, policy, operator, address, 'socket');
      socketServer.handleUpgrade(request, socket, head, (ws) => attach(ws, { session, operator, address }));
    } catch (error) {
      if (!(error instanceof ParleyError))
        ctx.log.error('operator socket upgrade failed', { error: String(error) });
      refuseUpgrade(socket, errorData(error));
    }
  }

  const sweep = setInterval(() => {
    for (const ofSession of connections.values()) {
      for (const connection of ofSession) currentCaller(connection).catch(() => closeEnded(connection));
    }
    refreshPresence(ctx, [...connectedOperators()]).catch(logPresenceFailure);
    const now = ctx.clock.now();
    Promise.all([trimEvents(ctx, now), trimAppliedActions(ctx, now)]).catch((error: unknown) =>
      ctx.log.error('retention sweep failed', { error: String(error) }),
    );
  }, sweepMs);
  sweep.unref();

  const heartbeat = setInterval(() => {
    for (const ofSession of connections.values()) {
      for (const connection of ofSession) {
        if (!connection.alive) {
          ctx.log.warn('operator socket did not answer the heartbeat; closing it');
          connection.socket.terminate();
          continue;
        }
        connection.alive = false;
        connection.socket.ping();
      }
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  return {
    handleUpgrade,
    endSessions,
    close() {
      closing = true;
      clearInterval(sweep);
      clearInterval(heartbeat);
      stopListening();
      stopSignals();
      for (const ofSession of connections.values()) {
        for (const connection of ofSession) connection.socket.terminate();
      }
      socketServer.close();
    },
  };
}

export type OperatorSocketServer = ReturnType<typeof createOperatorSocketServer>;
