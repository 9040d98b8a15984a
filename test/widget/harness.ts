import { screen } from '@testing-library/dom';
import { expect, vi } from 'vitest';
import type { VisitorChat, VisitorMessage, WidgetConfig } from '../../protocol/visitor-socket';
import type { FrameMessage } from '../../widget/src/bridge';
import { startWidget, type Widget } from '../../widget/src/frame/app';
import type { SocketLike } from '../../widget/src/frame/socket';

/** A websocket the test drives: it records requests and delivers whatever the test answers. */
export class FakeSocket implements SocketLike {
  readonly sent: { id: string; method: string; params: unknown }[] = [];
  private answered = new Set<string>();
  closed = false;
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;

  send(data: string): void {
    this.sent.push(JSON.parse(data) as { id: string; method: string; params: unknown });
  }
  close(): void {
    this.closed = true;
    this.onclose?.(new CloseEvent('close'));
  }
  open(): void {
    this.onopen?.(new Event('open'));
  }
  deliver(frame: unknown): void {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(frame) }));
  }
  event(event: string, payload: unknown): void {
    this.deliver({ type: 'event', event, payload });
  }
  methods(): string[] {
    return this.sent.map((request) => request.method);
  }
  /** The oldest unanswered request for `method`. */
  pending(method: string) {
    const request = this.sent.find(
      (candidate) => candidate.method === method && !this.answered.has(candidate.id),
    );
    if (!request) throw new Error(`no unanswered ${method} request; sent: ${this.methods().join(', ')}`);
    return request;
  }
  async answer(method: string, result: unknown = {}): Promise<unknown> {
    const request = this.pending(method);
    this.answered.add(request.id);
    this.deliver({ type: 'response', id: request.id, ok: true, result });
    await settle();
    return request.params;
  }
  async refuse(method: string, code: string, message: string): Promise<unknown> {
    const request = this.pending(method);
    this.answered.add(request.id);
    this.deliver({ type: 'response', id: request.id, ok: false, error: { code, message } });
    await settle();
    return request.params;
  }
}

/** Lets promise callbacks run (the widget awaits each answer). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

export const baseConfig: WidgetConfig = {
  groupId: 'g1',
  groupName: 'Bergmann Outdoor',
  language: 'en',
  online: true,
  privacyNotice: { version: '3', text: 'We keep chats for 90 days.\nAsk us to delete them at any time.' },
  fields: {
    name: 'required',
    email: 'optional',
    phone: 'hidden',
    company: 'hidden',
    custom: 'optional',
    visitorsMayEdit: true,
  },
  customLabel: 'Order number',
  greeting: 'Hello! How can we help?',
  color: '#2f6f5e',
  cookieless: false,
};

export function chat(overrides: Partial<VisitorChat> = {}): VisitorChat {
  return {
    id: 'chat-1',
    status: 'queued',
    position: 2,
    estimatedWaitSeconds: 70,
    operatorName: null,
    messages: [],
    readUpTo: null,
    rating: null,
    ...overrides,
  };
}

export function operatorMessage(id: string, text: string, name = 'Olga'): VisitorMessage {
  return { id, author: 'operator', name, text, clientMsgId: null, createdAt: '2026-11-23T12:01:00.000Z' };
}

export interface Harness {
  widget: Widget;
  sockets: FakeSocket[];
  socket(): FakeSocket;
  toLoader: ReturnType<typeof vi.fn<(message: FrameMessage) => void>>;
  configRequests: string[];
}

export async function startFrame(
  options: {
    config?: Partial<WidgetConfig>;
    params?: string;
    configStatus?: number;
    browserLanguage?: string;
  } = {},
): Promise<Harness> {
  const sockets: FakeSocket[] = [];
  const configRequests: string[] = [];
  const toLoader = vi.fn<(message: FrameMessage) => void>();
  const root = document.createElement('div');
  document.body.append(root);
  let ids = 0;
  const widget = startWidget({
    root,
    params: new URLSearchParams(options.params ?? 'group=g1&lang=en'),
    browserLanguage: options.browserLanguage ?? 'en-GB',
    fetch: async (input) => {
      configRequests.push(String(input));
      const body = { ...baseConfig, ...options.config };
      return new Response(JSON.stringify(body), { status: options.configStatus ?? 200 });
    },
    socketUrl: 'ws://parley.test/visitor/socket',
    openSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    toLoader,
    newId: () => `client-msg-${(ids += 1)}`,
    now: () => new Date('2026-11-23T12:05:00.000Z'),
  });
  widget.receive({ type: 'parley:open', pageUrl: 'https://shop.example/rucksaecke?size=35' });
  await vi.waitFor(() => expect(configRequests).toHaveLength(1));
  await settle();
  await settle();
  return {
    widget,
    sockets,
    toLoader,
    configRequests,
    socket() {
      const socket = sockets.at(-1);
      if (!socket) throw new Error('no socket was opened');
      return socket;
    },
  };
}

/** From a fresh frame to the pre-chat form: accept the notice, the socket opens, consent is recorded. */
export async function consentAndOpen(
  options: Parameters<typeof startFrame>[0] = {},
  buttonName = 'Accept and continue',
): Promise<Harness> {
  const frame = await startFrame(options);
  (await screen.findByRole('button', { name: buttonName })).click();
  frame.socket().open();
  await frame
    .socket()
    .answer('session.consent', { visitorToken: 'visitor-token-0123456789abcdef', visitorId: 'v1' });
  return frame;
}
