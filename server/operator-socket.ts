import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { describeIssues, ParleyError, type ParleyErrorData } from '../protocol/errors';
import { protocolVersion } from '../protocol/auth';
import {
  clientFrameSchema,
  isOperatorMethod,
  maxOperatorFrameBytes,
  operatorMethods,
  socketCloseCodes,
  type OperatorEvent,
  type OperatorEventPayload,
  type ServerFrame,
} from '../protocol/operator-socket';
import { can } from '../protocol/roles';
import { operatorPermissions, operatorProfile } from './accounts';
import type { ServerContext } from './context';
import { ensureAddressAllowed } from './auth/address-check';
import { clientAddress } from './auth/ip-rules';
import { authenticateSession } from './auth/sessions';
import { bearerToken } from './http/auth-routes';
import { httpStatusOf } from './http/respond';
import { operatorHandlers, type Caller } from './operator-methods';
import { readSecurityPolicy } from './policy';

/** How often open sockets re-check their session, so revocations made elsewhere take effect. */
const sessionSweepMs = 30_000;

interface Connection {
  socket: WebSocket;
  sessionId: string;
  address: string;
}

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

export function createOperatorSocketServer(ctx: ServerContext) {
  const socketServer = new WebSocketServer({ noServer: true, maxPayload: maxOperatorFrameBytes });
  const connections = new Set<Connection>();
  const lastSeq = new Map<string, number>();

  function send(connection: Connection, frame: ServerFrame) {
    if (connection.socket.readyState === connection.socket.OPEN)
      connection.socket.send(JSON.stringify(frame));
  }

  function sendEvent<E extends OperatorEvent>(sessionId: string, event: E, payload: OperatorEventPayload<E>) {
    const seq = (lastSeq.get(sessionId) ?? 0) + 1;
    lastSeq.set(sessionId, seq);
    for (const connection of connections) {
      if (connection.sessionId === sessionId) send(connection, { type: 'event', seq, event, payload });
    }
  }

  function endSessions(sessionIds: string[], reason: string) {
    for (const sessionId of sessionIds) {
      sendEvent(sessionId, 'session.revoked', { sessionId, reason });
      for (const connection of connections) {
        if (connection.sessionId === sessionId)
          connection.socket.close(socketCloseCodes.sessionEnded, 'session ended');
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

  async function handleRequest(connection: Connection, id: string, method: string, params: unknown) {
    let caller: Caller;
    try {
      caller = await currentCaller(connection);
    } catch (error) {
      send(connection, { type: 'response', id, ok: false, error: errorData(error) });
      connection.socket.close(socketCloseCodes.sessionEnded, 'session ended');
      return;
    }
    try {
      if (!isOperatorMethod(method))
        throw new ParleyError('unknown_method', `There is no method called "${method}".`);
      const spec = operatorMethods[method];
      if (spec.permission && !can(caller.operator.role, spec.permission)) {
        throw new ParleyError('forbidden', 'Your role may not do this.');
      }
      const parsed = spec.params.safeParse(params ?? {});
      if (!parsed.success) throw new ParleyError('invalid_request', describeIssues(parsed.error));
      const handler = operatorHandlers[method] as (...args: unknown[]) => Promise<unknown>;
      const result = await handler(ctx, caller, parsed.data, { endSessions });
      send(connection, { type: 'response', id, ok: true, result });
    } catch (error) {
      if (!(error instanceof ParleyError))
        ctx.log.error('operator method failed', { method, error: String(error) });
      send(connection, { type: 'response', id, ok: false, error: errorData(error) });
    }
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
    if (frame.data.type === 'hello') {
      if (frame.data.protocolVersion !== protocolVersion) {
        send(connection, {
          type: 'error',
          error: {
            code: 'version_mismatch',
            message: `This server speaks protocol version ${protocolVersion}.`,
          },
        });
        connection.socket.close(1008, 'version mismatch');
      }
      return;
    }
    void handleRequest(connection, frame.data.id, frame.data.method, frame.data.params);
  }

  async function attach(socket: WebSocket, caller: Caller) {
    const connection: Connection = { socket, sessionId: caller.session.id, address: caller.address };
    connections.add(connection);
    socket.on('close', () => connections.delete(connection));
    socket.on('error', (error) => ctx.log.warn('operator socket error', { error: error.message }));
    socket.on('message', (data, isBinary) => handleFrame(connection, data, isBinary));
    send(connection, {
      type: 'welcome',
      protocolVersion,
      sessionId: caller.session.id,
      operator: await operatorProfile(ctx.db, caller.operator),
      permissions: operatorPermissions(caller.operator),
      seq: lastSeq.get(caller.session.id) ?? 0,
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
      socketServer.handleUpgrade(
        request,
        socket,
        head,
        (ws) => void attach(ws, { session, operator, address }),
      );
    } catch (error) {
      if (!(error instanceof ParleyError))
        ctx.log.error('operator socket upgrade failed', { error: String(error) });
      refuseUpgrade(socket, errorData(error));
    }
  }

  const sweep = setInterval(() => {
    for (const connection of connections) {
      currentCaller(connection).catch(() =>
        connection.socket.close(socketCloseCodes.sessionEnded, 'session ended'),
      );
    }
  }, sessionSweepMs);
  sweep.unref();

  return {
    handleUpgrade,
    endSessions,
    sendEvent,
    close() {
      clearInterval(sweep);
      for (const connection of connections) connection.socket.terminate();
      socketServer.close();
    },
  };
}

export type OperatorSocketServer = ReturnType<typeof createOperatorSocketServer>;
