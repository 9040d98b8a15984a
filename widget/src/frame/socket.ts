import type { VisitorMethod, VisitorParamsInput } from '../../../protocol/visitor-socket';
import { readServerFrame } from './wire';

/** The part of the browser's WebSocket this client uses; tests pass a fake. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
}

export type OpenSocket = (url: string) => SocketLike;

export interface SocketHandlers {
  /** After every (re)connect: the server knows nothing of this connection yet. */
  onOpen(): void;
  /** The connection is gone; a reconnect is scheduled. */
  onDown(): void;
  onEvent(event: string, payload: unknown): void;
}

/** A refused request: the server's code and message, or `unreachable` when there is no answer. */
export class RequestError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const requestTimeoutMs = 20_000;
const maxBackoffMs = 30_000;

interface Waiting {
  resolve(result: unknown): void;
  reject(error: RequestError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Request/response over one websocket, reconnecting with exponential backoff and full jitter (so
 * a server restart is not met by every widget at once). Requests made while disconnected fail at
 * once with `unreachable`; requests in flight when the connection drops fail the same way.
 */
export class VisitorSocket {
  private socket: SocketLike | undefined;
  private connected = false;
  private stopped = false;
  private attempt = 0;
  private lastId = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly url: string,
    private readonly openSocket: OpenSocket,
    private readonly handlers: SocketHandlers,
    private readonly random: () => number = Math.random,
  ) {}

  get isOpen(): boolean {
    return this.connected;
  }

  start(): void {
    this.stopped = false;
    if (!this.socket && this.retry === undefined) this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.retry = undefined;
    const socket = this.socket;
    this.dropped(socket);
    socket?.close();
  }

  request<M extends VisitorMethod>(method: M, params: VisitorParamsInput<M>): Promise<unknown> {
    const socket = this.socket;
    if (!socket || !this.connected) {
      return Promise.reject(new RequestError('unreachable', 'Not connected.'));
    }
    this.lastId += 1;
    const id = String(this.lastId);
    return new Promise((resolve, reject) => {
      // No answer in time: the connection is as good as dead, and a fresh one resumes the session.
      const timer = setTimeout(() => {
        this.dropped(socket);
        socket.close();
      }, requestTimeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      socket.send(JSON.stringify({ type: 'request', id, method, params }));
    });
  }

  private connect(): void {
    this.retry = undefined;
    const socket = this.openSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.connected = true;
      this.attempt = 0;
      this.handlers.onOpen();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === 'string') this.receive(event.data);
    };
    socket.onclose = () => this.dropped(socket);
    socket.onerror = () => socket.close();
  }

  private receive(text: string): void {
    const frame = readServerFrame(text);
    if (frame?.type === 'event') {
      this.handlers.onEvent(frame.event, frame.payload);
    } else if (frame?.type === 'response') {
      const waiting = this.waiting.get(frame.id);
      if (!waiting) return;
      this.waiting.delete(frame.id);
      clearTimeout(waiting.timer);
      if (frame.ok) waiting.resolve(frame.result);
      else waiting.reject(new RequestError(frame.error.code, frame.error.message));
    } else {
      // An error frame answers nothing we can match; a malformed one is not worth more than a note.
      console.warn('Parley: the server sent a frame the widget cannot use.', frame?.error.message ?? text);
    }
  }

  private dropped(socket: SocketLike | undefined): void {
    if (!socket || socket !== this.socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    this.socket = undefined;
    this.connected = false;
    for (const [id, waiting] of this.waiting) {
      clearTimeout(waiting.timer);
      waiting.reject(new RequestError('unreachable', 'The connection was lost.'));
      this.waiting.delete(id);
    }
    if (this.stopped) return;
    const ceiling = Math.min(maxBackoffMs, 1000 * 2 ** this.attempt);
    this.attempt += 1;
    this.retry = setTimeout(() => this.connect(), Math.max(250, ceiling * this.random()));
    this.handlers.onDown();
  }
}
