import WebSocket from 'ws';
import { authPaths, protocolVersion } from '../../../protocol/auth';
import { ParleyError, parleyErrorSchema, type ParleyErrorData } from '../../../protocol/errors';
import type { ConnectionStatus } from '../../../protocol/ipc';
import {
  operatorSignals,
  serverFrameSchema,
  socketCloseCodes,
  type OperatorSignal,
  type OperatorSignalPayload,
  type ServerFrame,
} from '../../../protocol/operator-socket';
import {
  connectionOptions,
  describeConnectionError,
  socketUrl,
  type ServerTarget,
} from '../connect/server-target';
import type { Logger } from '../ports';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';

export interface ServerEvent {
  seq: number;
  event: string;
  payload: unknown;
}

export interface ConnectionHandlers {
  /** The highest event seq already applied (persisted by the caller). */
  lastSeq(): number;
  /** Applies one event; called strictly in seq order, never twice for one seq. */
  applyEvent(event: ServerEvent): Promise<void>;
  /** True when the local copy cannot be trusted to resume from (new session, damaged cache). */
  needsSnapshot(): boolean;
  /** The server cannot replay: fetch a full snapshot; returns the seq the snapshot is current to. */
  resync(): Promise<number>;
  /** Called once the socket is online and caught up (after replay or snapshot). */
  onOnline(): void;
  onStatus(status: ConnectionStatus): void;
  /** The session is over (revoked, expired): reconnecting cannot help. */
  onSessionEnded(error: ParleyErrorData): void;
  /** Policy refused us (address, certificate, version): stop and tell the operator. */
  onRefused(error: ParleyErrorData): void;
  /** A live-only note (typing); never replayed, so it may be lost with a connection. */
  onSignal<S extends OperatorSignal>(signal: S, payload: OperatorSignalPayload<S>): void;
  /** The server sent something unreadable; it was ignored. Reported once per connection. */
  onProtocolError(message: string): void;
}

export interface ConnectionOptions {
  target: ServerTarget;
  token: string;
  handlers: ConnectionHandlers;
  log: Logger;
  /** A silent socket is declared dead after at most two of these. */
  heartbeatMs?: number;
  backoff?: BackoffPolicy;
  requestTimeoutMs?: number;
  random?: () => number;
}

type Response = Extract<ServerFrame, { type: 'response' }>;
type SignalFrame = Extract<ServerFrame, { type: 'signal' }>;
type Pending = { resolve(result: unknown): void; reject(error: ParleyError): void; timer: NodeJS.Timeout };

const maxFrameBytes = 4 * 1024 * 1024;
const refusalCodes = new Set([
  'address_not_allowed',
  'certificate_mismatch',
  'version_mismatch',
  'server_not_allowed',
]);
const sessionEndCodes = new Set(['session_expired', 'unauthenticated', 'account_disabled']);

function isKnownSignal(name: string): name is OperatorSignal {
  return Object.hasOwn(operatorSignals, name);
}

/**
 * The operator socket, kept alive: heartbeat, reconnect with backoff, resume from the last seq.
 * Requests fail fast while offline; the outbox above this retries them.
 */
export function createConnection(options: ConnectionOptions) {
  const { target, token, handlers, log } = options;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const backoff = options.backoff ?? defaultBackoff;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;

  let socket: WebSocket | undefined;
  let ready = false;
  let stopped = true;
  let attempt = 0;
  let alive = true;
  let heartbeat: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let appliedSeq = 0;
  let nextRequestId = 1;
  let applying: Promise<void> = Promise.resolve();
  /** Set when applying or resyncing failed: the next welcome must start from a snapshot. */
  let mustResync = false;
  const pending = new Map<string, Pending>();
  let status: ConnectionStatus = { state: 'offline', since: new Date().toISOString() };
  /** The operator hears about unreadable frames once per socket, not once per frame. */
  let reportedProtocolError = false;

  function reportProtocolError(message: string, fields: Record<string, unknown>) {
    log.warn(message, fields);
    if (!reportedProtocolError)
      handlers.onProtocolError('The server sent a message Parley could not read; it was ignored.');
    reportedProtocolError = true;
  }

  function setStatus(next: Omit<ConnectionStatus, 'since'>) {
    if (next.state === status.state && next.nextAttemptAt === status.nextAttemptAt) return;
    status = { ...next, since: next.state === status.state ? status.since : new Date().toISOString() };
    handlers.onStatus(status);
  }

  /** Serialises event application and resyncs so the cache sees one consistent order. */
  function enqueue(step: () => Promise<void>) {
    applying = applying.then(step).catch((error: unknown) => {
      // Whatever went wrong, the local copy is now suspect: start over from a snapshot on a fresh socket.
      log.warn('applying server events failed; reconnecting for a snapshot', { error: String(error) });
      mustResync = true;
      socket?.terminate();
    });
  }

  async function resync() {
    appliedSeq = Math.max(appliedSeq, await handlers.resync());
    mustResync = false;
  }

  function receiveEvent(event: ServerEvent) {
    enqueue(async () => {
      if (event.seq <= appliedSeq) {
        log.warn('ignored a duplicate server event', { seq: event.seq, applied: appliedSeq });
        return;
      }
      if (event.seq > appliedSeq + 1) {
        log.warn('server events skipped a sequence number; resyncing', {
          seq: event.seq,
          applied: appliedSeq,
        });
        await resync();
        if (event.seq <= appliedSeq) return;
      }
      await handlers.applyEvent(event);
      appliedSeq = event.seq;
    });
  }

  function goOnline() {
    enqueue(async () => {
      ready = true;
      attempt = 0;
      setStatus({ state: 'online' });
      handlers.onOnline();
    });
  }

  function startFromSnapshot() {
    // Requests must work during the snapshot fetch, so the socket counts as ready from here.
    ready = true;
    enqueue(resync);
    goOnline();
  }

  function handleFrame(frame: ServerFrame) {
    switch (frame.type) {
      case 'welcome':
        if (mustResync || handlers.needsSnapshot()) {
          // No replay wanted: live events from now on, plus a snapshot that says which seq it covers.
          socket?.send(JSON.stringify({ type: 'hello', protocolVersion }));
          return startFromSnapshot();
        }
        socket?.send(JSON.stringify({ type: 'hello', protocolVersion, lastSeq: appliedSeq }));
        return;
      case 'resumed':
        return goOnline();
      case 'snapshot_required':
        return startFromSnapshot();
      case 'event':
        return receiveEvent(frame);
      case 'response':
        return settle(frame);
      case 'signal':
        return receiveSignal(frame);
      case 'error':
        log.warn('the server reported a frame error', {
          code: frame.error.code,
          message: frame.error.message,
        });
    }
  }

  /** Signals skip the event queue: they carry no seq and are stale a moment later anyway. */
  function receiveSignal(frame: SignalFrame) {
    // A newer server may know signals this version does not: nothing is lost by ignoring them, so
    // this is no warning (the Logger port has no debug level; info is the quietest).
    if (!isKnownSignal(frame.signal)) return log.info('ignored an unknown signal', { signal: frame.signal });
    const payload = operatorSignals[frame.signal].safeParse(frame.payload);
    if (!payload.success) return reportProtocolError('ignored a malformed signal', { signal: frame.signal });
    handlers.onSignal(frame.signal, payload.data);
  }

  function settle(frame: Response) {
    const waiting = pending.get(frame.id);
    if (!waiting) return;
    pending.delete(frame.id);
    clearTimeout(waiting.timer);
    if (frame.ok) waiting.resolve(frame.result);
    else waiting.reject(new ParleyError(frame.error.code, frame.error.message, frame.error.retryAt));
  }

  function failPending(error: ParleyError) {
    for (const waiting of pending.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    pending.clear();
  }

  function checkAlive() {
    if (!socket || socket.readyState !== WebSocket.OPEN) return;
    if (!alive) {
      log.warn('no heartbeat answer; dropping the socket');
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }

  function scheduleReconnect(error: ParleyErrorData | undefined) {
    if (stopped) return;
    const delay = backoffDelay(attempt++, backoff, options.random);
    setStatus({
      state: 'reconnecting',
      nextAttemptAt: new Date(Date.now() + delay).toISOString(),
      ...(error ? { lastError: error } : {}),
    });
    retryTimer = setTimeout(connect, delay);
  }

  function finish(kind: 'ended' | 'refused', error: ParleyErrorData) {
    stop();
    if (kind === 'ended') handlers.onSessionEnded(error);
    else handlers.onRefused(error);
  }

  function connect() {
    retryTimer = undefined;
    if (stopped) return;
    appliedSeq = Math.max(appliedSeq, handlers.lastSeq());
    if (status.state === 'offline') setStatus({ state: 'connecting' });
    let closeReason: ParleyErrorData | undefined;
    const ws = new WebSocket(socketUrl(target, authPaths.operatorSocket), {
      headers: { Authorization: `Bearer ${token}` },
      maxPayload: maxFrameBytes,
      handshakeTimeout: 10_000,
      ...connectionOptions(target),
    });
    socket = ws;
    alive = true;
    reportedProtocolError = false;

    ws.on('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        let parsed: ParleyErrorData | undefined;
        try {
          const error = parleyErrorSchema.safeParse(JSON.parse(body));
          parsed = error.success ? error.data : undefined;
        } catch {
          parsed = undefined;
        }
        if (parsed && sessionEndCodes.has(parsed.code)) finish('ended', parsed);
        else if (parsed && refusalCodes.has(parsed.code)) finish('refused', parsed);
        else {
          closeReason = parsed ?? {
            code: 'unreachable',
            message: `The server refused the connection (HTTP ${response.statusCode}).`,
          };
          ws.terminate();
        }
      });
    });
    ws.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        log.warn('the server sent a frame over the size limit; reconnecting');
        handlers.onProtocolError('The server sent a message larger than Parley accepts; reconnecting.');
      }
      const described = describeConnectionError(error).toData();
      if (described.code === 'certificate_mismatch') return finish('refused', described);
      closeReason = described;
    });
    ws.on('open', () => {
      heartbeat = setInterval(checkAlive, heartbeatMs);
    });
    ws.on('pong', () => (alive = true));
    ws.on('message', (data, isBinary) => {
      alive = true;
      let raw: unknown;
      try {
        raw = isBinary ? undefined : JSON.parse(data.toString());
      } catch {
        raw = undefined;
      }
      const frame = serverFrameSchema.safeParse(raw);
      if (!frame.success) {
        return reportProtocolError('ignored a malformed frame from the server', {
          bytes: data.toString().length,
        });
      }
      handleFrame(frame.data);
    });
    ws.on('close', (code, reason) => {
      clearInterval(heartbeat);
      ready = false;
      if (socket === ws) socket = undefined;
      failPending(new ParleyError('unreachable', 'The connection to the server was lost.'));
      if (stopped) return;
      if (code === socketCloseCodes.sessionEnded) {
        return finish('ended', {
          code: 'session_expired',
          message: 'This session was ended. Sign in again.',
        });
      }
      if (code === socketCloseCodes.addressNotAllowed) {
        return finish('refused', {
          code: 'address_not_allowed',
          message: 'Your network address is not allowed.',
        });
      }
      if (code === 1008 && reason.toString() === 'version mismatch') {
        return finish('refused', {
          code: 'version_mismatch',
          message: 'This server needs a newer version of Parley.',
        });
      }
      scheduleReconnect(
        closeReason ?? { code: 'unreachable', message: 'The connection to the server was lost.' },
      );
    });
  }

  function stop() {
    stopped = true;
    ready = false;
    clearTimeout(retryTimer);
    clearInterval(heartbeat);
    socket?.removeAllListeners('close');
    socket?.terminate();
    socket = undefined;
    failPending(new ParleyError('unreachable', 'Not connected.'));
    setStatus({ state: 'offline' });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      attempt = 0;
      connect();
    },
    stop,
    /** The OS woke up or the network changed: retry now, or prove the open socket still works. */
    nudge() {
      if (stopped) return;
      if (retryTimer) {
        clearTimeout(retryTimer);
        connect();
      } else {
        alive = true;
        checkAlive();
        setTimeout(checkAlive, Math.min(heartbeatMs, 2_000)).unref();
      }
    },
    status: () => status,
    isReady: () => ready,
    /** The local copy was found damaged: fetch a snapshot now if online (else at the next welcome). */
    resyncNow() {
      if (ready) enqueue(resync);
    },
    request(method: string, params: unknown, actionId?: string): Promise<unknown> {
      if (!ready || !socket)
        return Promise.reject(new ParleyError('unreachable', 'Not connected to the server.'));
      const id = `q${nextRequestId++}`;
      const ws = socket;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ParleyError('unreachable', 'The server did not answer in time.'));
        }, requestTimeoutMs);
        pending.set(id, { resolve, reject, timer });
        ws.send(JSON.stringify({ type: 'request', id, method, params, ...(actionId ? { actionId } : {}) }));
      });
    },
  };
}

export type Connection = ReturnType<typeof createConnection>;
