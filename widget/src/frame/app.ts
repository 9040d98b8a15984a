import type { VisitorLanguage, VisitorMessage, WidgetConfig } from '../../../protocol/visitor-socket';
import type { ErrorCode } from '../../../protocol/errors';
import type { FrameMessage, LoaderMessage } from '../bridge';
import { inkOn } from '../colour';
import { paths } from '../contract';
import { chatView, type ChatView, type Line } from './chat-view';
import { consentView } from './consent-view';
import { el } from './dom';
import { endedView } from './ended-view';
import { formView, type FormValues } from './form';
import { pickLanguage, translator, type Translate } from './i18n';
import { RequestError, VisitorSocket, type OpenSocket } from './socket';
import { tokenStore, type TokenStore } from './token-store';
import { buildTranscript, download } from './transcript';
import {
  readChatMember,
  readChatState,
  readConfig,
  readMessage,
  readTicketNumber,
  readTyping,
  readVisitorToken,
  type ChatState,
} from './wire';

/** What the widget needs from its surroundings; tests pass fakes. */
export interface WidgetEnv {
  root: HTMLElement;
  params: URLSearchParams;
  browserLanguage: string;
  fetch: typeof fetch;
  socketUrl: string;
  openSocket: OpenSocket;
  /** Posts to the loader on the embedding page; absent when the frame is opened on its own. */
  toLoader?: (message: FrameMessage) => void;
  newId(): string;
  now(): Date;
}

export interface Widget {
  receive(message: LoaderMessage): void;
}

type Screen = 'loading' | 'consent' | 'connecting' | 'form' | 'chat' | 'details' | 'done';

const typingIdleMs = 3000;

const is = (error: unknown, code: ErrorCode) => error instanceof RequestError && error.code === code;

/**
 * The visitor's journey: configuration → consent → pre-chat form (or the offline form) → chat →
 * rating and transcript. Holds the state; the views only draw it.
 */
export function startWidget(env: WidgetEnv): Widget {
  const params = env.params;
  const inLoader = env.toLoader !== undefined;
  let t: Translate = translator(pickLanguage(params.get('lang'), env.browserLanguage));
  let config: WidgetConfig | undefined;
  let store: TokenStore | undefined;
  let socket: VisitorSocket | undefined;

  let screen: Screen = 'loading';
  let focusScreen = () => {};
  let open = !inLoader;
  let pageUrl: string | undefined;
  let wantsConsent = false;
  let onConsentRefused = () => {};
  let lastValues: FormValues = { fields: {}, message: '' };

  let chat: ChatState | null = null;
  let lines: Line[] = [];
  let chatUi: ChatView | undefined;
  let typingSent = false;
  let typingTimer: ReturnType<typeof setTimeout> | undefined;

  const title = el('h1', { text: '' });
  const connection = el('p', { class: 'connection', attrs: { role: 'status' } });
  const notice = el('p', { class: 'notice-line', attrs: { role: 'alert' } });
  const main = el('main', { class: 'screen' });
  const minimise = el('button', {
    class: 'icon',
    text: '✕',
    attrs: { type: 'button', 'aria-label': t('minimise'), hidden: !inLoader },
    on: { click: () => env.toLoader?.({ type: 'parley:close' }) },
  });
  env.root.replaceChildren(el('header', { class: 'top' }, title, minimise), connection, notice, main);
  env.root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') env.toLoader?.({ type: 'parley:close' });
  });

  const show = (next: Screen, content: HTMLElement, focus: () => void) => {
    screen = next;
    focusScreen = focus;
    main.className = `screen screen-${next}`;
    main.replaceChildren(content);
    if (open) focus();
  };

  const errorText = (error: unknown): string => {
    if (is(error, 'unreachable')) return t('noConnection');
    if (error instanceof RequestError && error.code !== 'internal' && error.message) return error.message;
    return t('genericError');
  };

  const malformed = () => new RequestError('internal', '');

  // ---- configuration -------------------------------------------------------------------------

  async function loadConfig(): Promise<void> {
    const group = params.get('group');
    const language: VisitorLanguage = pickLanguage(params.get('lang'), env.browserLanguage);
    show('loading', el('p', { class: 'muted', text: t('loading') }), () => {});
    if (!group) return unavailable(t('notSetUp'), false);
    try {
      const query = new URLSearchParams({ group, lang: language });
      const response = await env.fetch(`${paths.config}?${query}`);
      if (response.status === 404) return unavailable(t('notSetUp'), false);
      const loaded = response.ok ? readConfig(await response.json()) : null;
      if (!loaded) return unavailable(t('unavailable'), true);
      configure(loaded);
    } catch {
      unavailable(t('unavailable'), true);
    }
  }

  function unavailable(text: string, retry: boolean): void {
    const again = el('button', {
      class: 'secondary',
      text: t('retry'),
      attrs: { type: 'button' },
      on: { click: () => void loadConfig() },
    });
    show('loading', el('div', { class: 'stack' }, el('p', { text }), retry && again), () => again.focus());
  }

  function configure(loaded: WidgetConfig): void {
    config = loaded;
    t = translator(loaded.language);
    document.documentElement.lang = loaded.language;
    document.documentElement.style.setProperty('--accent', loaded.color);
    document.documentElement.style.setProperty('--on-accent', inkOn(loaded.color));
    title.textContent = loaded.groupName;
    minimise.setAttribute('aria-label', t('minimise'));
    store = tokenStore(loaded.groupId, loaded.cookieless || params.get('cookieless') === '1');
    env.toLoader?.({ type: 'parley:ready', color: loaded.color });
    if (store.get()) {
      show('connecting', el('p', { class: 'muted', text: t('connecting') }), () => {});
      connect();
    } else {
      showConsent();
    }
  }

  // ---- socket and session --------------------------------------------------------------------

  function connect(): void {
    socket ??= new VisitorSocket(env.socketUrl, env.openSocket, {
      onOpen: () => {
        connection.textContent = '';
        const token = store?.get();
        if (token) void resume(token);
        else if (wantsConsent) void consent();
      },
      onDown: () => {
        connection.textContent = t('reconnecting');
      },
      onEvent: receiveEvent,
    });
    socket.start();
  }

  function disconnect(): void {
    socket?.stop();
    socket = undefined;
    connection.textContent = '';
  }

  function request(...args: Parameters<VisitorSocket['request']>): Promise<unknown> {
    return socket ? socket.request(...args) : Promise.reject(new RequestError('unreachable', ''));
  }

  function showConsent(): void {
    if (!config) return;
    const view = consentView({
      config,
      t,
      onAccept: () => {
        wantsConsent = true;
        connect();
      },
    });
    onConsentRefused = view.reset;
    show('consent', view.root, view.focus);
  }

  async function consent(): Promise<void> {
    if (!config) return;
    try {
      const token = readVisitorToken(
        await request('session.consent', {
          groupId: config.groupId,
          noticeVersion: config.privacyNotice.version,
          language: config.language,
        }),
      );
      if (!token) throw malformed();
      wantsConsent = false;
      store?.set(token);
      showForm(config.online ? 'prechat' : 'offline');
    } catch (error) {
      // A dropped connection retries by itself when it reconnects; a refusal is the visitor's to retry.
      if (is(error, 'unreachable')) return;
      wantsConsent = false;
      disconnect();
      notice.textContent = errorText(error);
      onConsentRefused();
    }
  }

  async function resume(token: string): Promise<void> {
    try {
      const resumed = readChatMember(await request('session.resume', { visitorToken: token }));
      if (resumed === undefined) throw malformed();
      const waitingToStart = screen === 'form' || screen === 'done';
      if (resumed && (resumed.status !== 'ended' || (!waitingToStart && resumed.rating === null))) {
        showChat(resumed.messages, resumed);
      } else if (!waitingToStart) {
        showForm(config?.online ? 'prechat' : 'offline');
      }
    } catch (error) {
      if (is(error, 'unauthenticated') || is(error, 'not_found')) {
        // The server forgot this visitor (erased, expired): start over, consent included.
        store?.clear();
        disconnect();
        forgetChat(showConsent);
      } else if (!is(error, 'unreachable')) {
        notice.textContent = errorText(error);
      }
    }
  }

  function receiveEvent(event: string, payload: unknown): void {
    const data = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>) : {};
    if (event === 'message') {
      const message = readMessage(data['message']);
      if (message) receiveMessage(message);
    } else if (event === 'chat') {
      const state = readChatState(data['chat']);
      if (state) updateChat(state);
    } else if (event === 'typing') {
      const typing = readTyping(payload);
      if (typing) chatUi?.setTyping(typing.typing ? t('typing', { name: typing.name }) : '');
    }
  }

  // ---- forms ---------------------------------------------------------------------------------

  function showForm(kind: 'prechat' | 'offline'): void {
    if (!config) return;
    const form = formView({
      config,
      t,
      kind,
      initial: lastValues,
      onSubmit: async (values) => {
        lastValues = values;
        notice.textContent = '';
        try {
          if (kind === 'prechat') await startChat(values);
          else await submitOffline(values);
        } catch (error) {
          if (kind === 'prechat' && is(error, 'conflict')) showForm('offline');
          else form.showError(errorText(error));
        }
      },
    });
    show('form', form.root, form.focus);
  }

  async function startChat(values: FormValues): Promise<void> {
    const started = readChatMember(
      await request('chat.start', { fields: values.fields, ...(pageUrl ? { pageUrl } : {}) }),
    );
    if (!started) throw malformed();
    lines = [];
    showChat(started.messages, started);
  }

  async function submitOffline(values: FormValues): Promise<void> {
    const ticket = readTicketNumber(
      await request('offline.submit', { fields: values.fields, message: values.message }),
    );
    if (ticket === null) throw malformed();
    lastValues = { ...values, message: '' };
    const key = values.fields.email ? 'ticketThanks' : 'ticketThanksNoEmail';
    const thanks = el('p', { class: 'thanks', text: t(key, { number: ticket }), attrs: { tabindex: '-1' } });
    show('done', el('div', { class: 'stack' }, thanks), () => thanks.focus());
  }

  // ---- the chat ------------------------------------------------------------------------------

  const keyOf = (message: VisitorMessage) => `${message.author}:${message.clientMsgId ?? message.id}`;

  function showChat(messages: VisitorMessage[], state: ChatState): void {
    const known = new Set(messages.map(keyOf));
    // Own messages the server has not stored yet stay, and are sent again below.
    const unsent =
      state.id === chat?.id
        ? lines.filter((line) => !known.has(line.key) && line.delivery !== 'confirmed')
        : [];
    lines = [
      ...messages.map((message): Line => ({ key: keyOf(message), message, delivery: 'confirmed' })),
      ...unsent,
    ];
    // The details form stays open over the chat it belongs to.
    const fresh = !chatUi || (screen !== 'chat' && screen !== 'details') || chat?.id !== state.id;
    const endedBefore = !fresh && chat?.status === 'ended';
    chat = state;
    if (fresh) {
      chatUi = chatView({
        t,
        onSend: send,
        onInput: typed,
        onRetry: retry,
        onEnd: leave,
        onDelete: () => void deleteChat(),
        ...(config?.fields.visitorsMayEdit ? { onDetails: showDetails } : {}),
      });
      show('chat', chatUi.root, chatUi.focusComposer);
    }
    renderChat();
    if (state.status === 'ended' && !endedBefore) showEnded();
    for (const line of unsent) if (line.delivery === 'sending') void deliver(line);
  }

  function renderChat(): void {
    if (!chat || !chatUi) return;
    chatUi.show(lines, chat.readUpTo);
    chatUi.setStatus(statusText(chat));
  }

  function statusText(state: ChatState): string {
    if (state.status === 'ended') return t('ended');
    if (state.status === 'active')
      return state.operatorName ? t('chattingWith', { name: state.operatorName }) : '';
    if (state.position === null) return t('queueWaiting');
    const place = state.position === 1 ? t('queueNext') : t('queuePosition', { position: state.position });
    if (state.estimatedWaitSeconds === null) return place;
    const minutes = Math.max(1, Math.round(state.estimatedWaitSeconds / 60));
    return place + (minutes === 1 ? t('waitMinute') : t('waitMinutes', { minutes }));
  }

  function updateChat(state: ChatState): void {
    if (!chat || state.id !== chat.id) return;
    const ended = chat.status !== 'ended' && state.status === 'ended';
    chat = state;
    renderChat();
    if (ended) showEnded();
  }

  function receiveMessage(message: VisitorMessage): void {
    if (!chat) return;
    const key = keyOf(message);
    const line = lines.find((candidate) => candidate.key === key);
    if (line) {
      line.message = message;
      line.delivery = 'confirmed';
    } else {
      lines.push({ key, message, delivery: 'confirmed' });
    }
    if (message.author === 'operator') {
      chatUi?.setTyping('');
      if (!open) env.toLoader?.({ type: 'parley:attention' });
    }
    renderChat();
  }

  function send(text: string): void {
    if (!chat) return;
    stopTyping();
    const clientMsgId = env.newId();
    const message: VisitorMessage = {
      id: '',
      author: 'visitor',
      name: t('you'),
      text,
      clientMsgId,
      createdAt: env.now().toISOString(),
    };
    const line: Line = { key: keyOf(message), message, delivery: 'sending' };
    lines.push(line);
    renderChat();
    void deliver(line);
  }

  async function deliver(line: Line): Promise<void> {
    line.delivery = 'sending';
    renderChat();
    try {
      const result = await request('chat.send', {
        clientMsgId: line.message.clientMsgId ?? '',
        text: line.message.text,
      });
      const stored = readMessage(
        typeof result === 'object' && result ? (result as { message?: unknown }).message : null,
      );
      if (!stored) throw malformed();
      line.message = stored;
      line.delivery = 'confirmed';
      notice.textContent = '';
    } catch (error) {
      // Without a connection the message waits and goes out again after the next resume.
      if (!is(error, 'unreachable')) {
        line.delivery = 'failed';
        notice.textContent = errorText(error);
      }
    }
    renderChat();
  }

  function retry(key: string): void {
    const line = lines.find((candidate) => candidate.key === key);
    if (line) void deliver(line);
  }

  function typed(text: string): void {
    if (!chat || chat.status === 'ended' || !socket?.isOpen) return;
    if (text.trim() === '') return stopTyping();
    if (!typingSent) {
      typingSent = true;
      request('chat.typing', { typing: true }).catch(() => {});
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(stopTyping, typingIdleMs);
  }

  function stopTyping(): void {
    clearTimeout(typingTimer);
    if (!typingSent) return;
    typingSent = false;
    request('chat.typing', { typing: false }).catch(() => {});
  }

  async function leave(): Promise<void> {
    if (!chat) return;
    try {
      await request('chat.leave', {});
      updateChat({ ...chat, status: 'ended', position: null, estimatedWaitSeconds: null });
    } catch (error) {
      notice.textContent = errorText(error);
    }
  }

  function showDetails(): void {
    const ui = chatUi;
    if (!config || !ui) return;
    const back = (saved: boolean) => show('chat', ui.root, () => ui.detailsSaved(saved));
    const form = formView({
      config,
      t,
      kind: 'details',
      initial: lastValues,
      onCancel: () => back(false),
      onSubmit: async (values) => {
        try {
          await request('details.update', { fields: values.fields });
          lastValues = values;
          back(true);
        } catch (error) {
          form.showError(errorText(error));
        }
      },
    });
    show('details', form.root, form.focus);
  }

  async function deleteChat(): Promise<void> {
    stopTyping();
    try {
      await request('chat.delete', {});
    } catch (error) {
      // Already gone (deleted in another tab): the visitor wanted that anyway.
      if (!is(error, 'not_found')) {
        notice.textContent = errorText(error);
        return;
      }
    }
    notice.textContent = '';
    lastValues = { fields: {}, message: '' };
    forgetChat();
  }

  /** Drops the chat shown and moves on: to a new chat's form, or wherever `next` says. */
  function forgetChat(next = () => showForm(config?.online ? 'prechat' : 'offline')): void {
    chat = null;
    lines = [];
    chatUi = undefined;
    next();
  }

  function showEnded(): void {
    if (!chat || !chatUi || !config) return;
    stopTyping();
    const groupName = config.groupName;
    const view = endedView({
      t,
      rated: chat.rating !== null,
      onRate: async (rating, comment) => {
        try {
          await request('chat.rate', { rating, ...(comment ? { comment } : {}) });
          if (chat) chat = { ...chat, rating };
          return true;
        } catch (error) {
          notice.textContent = errorText(error);
          return false;
        }
      },
      onTranscript: () =>
        download(
          buildTranscript(
            t('transcriptTitle', { group: groupName }),
            t('you'),
            lines.filter((line) => line.delivery === 'confirmed').map((line) => line.message),
            env.now(),
          ),
        ),
      onNewChat: () => forgetChat(),
    });
    chatUi.end(view.root);
    if (screen === 'details') {
      show('chat', chatUi.root, view.focus);
    } else {
      focusScreen = view.focus;
      if (open) view.focus();
    }
  }

  void loadConfig();

  return {
    receive(message) {
      open = message.type === 'parley:open';
      if (message.type === 'parley:open') {
        if (message.pageUrl) pageUrl = message.pageUrl;
        focusScreen();
      }
    },
  };
}
