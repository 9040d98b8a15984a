import WebSocket from 'ws';
import { FrameLog } from './frame-log';
import {
  visitorPaths,
  visitorServerFrameSchema,
  type VisitorChat,
  type VisitorFields,
  type VisitorServerFrame,
} from '../../protocol/visitor-socket';

export type VisitorEventFrame = Extract<VisitorServerFrame, { type: 'event' }>;
export type VisitorResponse = Extract<VisitorServerFrame, { type: 'response' }>;

/** A minimal widget for server tests: a visitor socket that records every frame. */
export class VisitorTestSocket {
  private readonly log = new FrameLog<VisitorServerFrame>();
  readonly frames = this.log.frames;
  private nextId = 1;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) =>
      this.log.push(visitorServerFrameSchema.parse(JSON.parse(data.toString()))),
    );
  }

  static async connect(serverUrl: string, headers: Record<string, string> = {}): Promise<VisitorTestSocket> {
    const socket = new WebSocket(serverUrl.replace(/^http/, 'ws') + visitorPaths.socket, { headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new VisitorTestSocket(socket);
  }

  /** A visitor who consented to the group's notice and started a chat with these details. */
  static async chatting(
    serverUrl: string,
    group: { id: string; privacy_notice: { version: string } },
    fields: VisitorFields,
  ): Promise<{ visitor: VisitorTestSocket; chat: VisitorChat }> {
    const visitor = await VisitorTestSocket.connect(serverUrl);
    await visitor.call('session.consent', {
      groupId: group.id,
      noticeVersion: group.privacy_notice.version,
      language: 'en',
    });
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', { fields });
    return { visitor, chat };
  }

  events(name?: string): VisitorEventFrame[] {
    return this.frames.filter(
      (frame): frame is VisitorEventFrame =>
        frame.type === 'event' && (name === undefined || frame.event === name),
    );
  }

  waitFor(match: (frame: VisitorServerFrame) => boolean, timeoutMs = 5_000): Promise<VisitorServerFrame> {
    return this.log.waitFor(match, timeoutMs);
  }

  sendRaw(data: string) {
    this.socket.send(data);
  }

  async request(method: string, params?: unknown): Promise<VisitorResponse> {
    const id = `v${this.nextId++}`;
    this.socket.send(
      JSON.stringify({ type: 'request', id, method, ...(params === undefined ? {} : { params }) }),
    );
    return (await this.waitFor((frame) => frame.type === 'response' && frame.id === id)) as VisitorResponse;
  }

  /** The result of a request that must succeed. */
  async call<T = unknown>(method: string, params?: unknown): Promise<T> {
    const response = await this.request(method, params);
    if (!response.ok) throw new Error(`${method} failed: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  close() {
    this.socket.close();
  }
}
