import { ParleyError } from '../../protocol/errors';
import { buildParleyApi } from '../../protocol/ipc-api';
import {
  ipcMethods,
  type ChatOffer,
  type IpcEvent,
  type IpcEventPayload,
  type IpcMethod,
  type IpcRequest,
  type MyStatus,
  type ParleyApi,
} from '../../protocol/ipc';
import type {
  CannedResponse,
  ChatSummary,
  QueuedChat,
  TeamGroup,
  TeamMember,
  VisitorInfo,
} from '../../protocol/operator-socket';
import { revealSeconds } from '../../protocol/masking';
import type { PrechatFieldName } from '../../protocol/visitor-socket';
import { createIpcRouter, type IpcHandlers } from '../../main/core/ipc-router';
import type { KeyValueStore } from '../../main/core/ports';
import { createSettings } from '../../main/core/settings';
import { recordingLogger } from './logger';

type Emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

/** What the scripted operator's server holds: the fake changes it as the renderer acts, like main would. */
export interface WorkspaceState {
  chats: ChatSummary[];
  queue: QueuedChat[];
  offers: ChatOffer[];
  operators: TeamMember[];
  groups: TeamGroup[];
  canned: CannedResponse[];
  /** Per chat id; a chat without an entry gets a visitor who gave nothing. */
  visitors: Record<string, VisitorInfo>;
  /** Per chat id, the values behind its visitor's masked fields, for chats.reveal. */
  unmasked: Record<string, Partial<Record<PrechatFieldName, string>>>;
  status: MyStatus;
  nextTicket: number;
}

export function emptyVisitor(chatId: string): VisitorInfo {
  return {
    chatId,
    visitorId: null,
    fields: { name: null, email: null, phone: null, company: null, custom: null },
    maskedFields: [],
    customLabel: '',
    pageUrl: null,
    consent: null,
    address: null,
    previousChats: [],
    rating: null,
  };
}

/**
 * Handlers for the chat workspace over `state`: accepting moves a queued chat into my chats,
 * declining drops the offer, ending closes the chat and dismissing removes an ended one, canned
 * responses and my status are kept, a reveal answers from `unmasked`;
 * each change fires the event main would fire.
 */
function workspaceHandlers(state: WorkspaceState, emit: Emit): Partial<IpcHandlers> {
  const take = (chatId: string) => {
    const queued = state.queue.find((chat) => chat.id === chatId);
    const offer = state.offers.find((candidate) => candidate.chat.id === chatId);
    const chat = queued ?? offer?.chat;
    if (!chat) throw new ParleyError('conflict', 'This chat was already taken.');
    state.queue = state.queue.filter((candidate) => candidate.id !== chatId);
    state.offers = state.offers.filter((candidate) => candidate.chat.id !== chatId);
    state.chats = [
      ...state.chats,
      { id: chat.id, status: 'open', visitorName: chat.visitorName, groupId: chat.groupId, messages: [] },
    ];
    emit('queue.changed', {});
    emit('chats.changed', {});
  };
  const mine = (chatId: string) => {
    const chat = state.chats.find((candidate) => candidate.id === chatId);
    if (!chat) throw new ParleyError('not_found', 'This chat is not yours.');
    return chat;
  };

  return {
    'chats.list': () => ({ chats: state.chats, pending: [] }),
    'queue.list': () => ({ chats: state.queue, offers: state.offers }),
    'chats.accept': ({ chatId }) => {
      take(chatId);
      return {};
    },
    'chats.acceptNext': () => {
      const next = state.offers[0]?.chat ?? state.queue[0];
      if (!next) return { chatId: null };
      take(next.id);
      return { chatId: next.id };
    },
    'chats.decline': ({ chatId }) => {
      state.offers = state.offers.filter((offer) => offer.chat.id !== chatId);
      emit('queue.changed', {});
      return {};
    },
    'chats.transfer': ({ chatId }) => {
      mine(chatId);
      state.chats = state.chats.filter((chat) => chat.id !== chatId);
      emit('chats.changed', {});
      return {};
    },
    'chats.end': ({ chatId }) => {
      mine(chatId).status = 'closed';
      emit('chats.changed', {});
      return {};
    },
    'chats.dismiss': ({ chatId }) => {
      if (mine(chatId).status === 'open') throw new ParleyError('conflict', 'End the chat first.');
      state.chats = state.chats.filter((chat) => chat.id !== chatId);
      emit('chats.changed', {});
      return {};
    },
    'chats.toTicket': ({ chatId }) => {
      mine(chatId);
      return { ticketNumber: state.nextTicket++ };
    },
    'chats.typing': () => ({}),
    'chats.focus': () => ({}),
    'chats.visitor': ({ chatId }) => state.visitors[chatId] ?? emptyVisitor(chatId),
    'chats.reveal': ({ chatId, field }) => {
      const value = state.unmasked[chatId]?.[field];
      if (value === undefined) throw new ParleyError('not_found', 'There is nothing to reveal.');
      return { value, expiresAt: new Date(Date.now() + revealSeconds * 1000).toISOString() };
    },
    'team.get': () => ({ operators: state.operators, groups: state.groups }),
    'status.get': () => state.status,
    'status.set': ({ status, acceptingChats }) => {
      state.status = {
        status,
        acceptingChats: acceptingChats ?? state.status.acceptingChats,
        automatic: false,
      };
      emit('status.changed', state.status);
      return state.status;
    },
    'canned.list': () => ({ responses: state.canned }),
    'canned.save': ({ id, ...fields }) => {
      const saved: CannedResponse = {
        id: id ?? `canned-${state.canned.length + 1}`,
        editable: true,
        ...fields,
      };
      state.canned = id
        ? state.canned.map((response) => (response.id === id ? saved : response))
        : [...state.canned, saved];
      return saved;
    },
    'canned.remove': ({ id }) => {
      state.canned = state.canned.filter((response) => response.id !== id);
      return {};
    },
  };
}

/**
 * window.parley for component tests: the real contract builder and router, real settings in
 * memory, a scripted workspace (see WorkspaceState) and sign-in answers the test scripts; `script`
 * overrides any handler. Every call is recorded; events can be fired.
 */
export function inMemoryParley(script: Partial<IpcHandlers> = {}, workspace: Partial<WorkspaceState> = {}) {
  const values = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
  const listeners = new Set<(envelope: unknown) => void>();
  const calls: IpcRequest[] = [];
  const { log } = recordingLogger();
  const settings = createSettings(store, log);
  const emit: Emit = (event, payload) => listeners.forEach((listener) => listener({ event, payload }));
  const state: WorkspaceState = {
    chats: [],
    queue: [],
    offers: [],
    operators: [],
    groups: [],
    canned: [],
    visitors: {},
    unmasked: {},
    status: { status: 'online', acceptingChats: true, automatic: false },
    nextTicket: 1042,
    ...workspace,
  };

  const unscripted = (method: string) => () => {
    throw new ParleyError('internal', `${method} is not scripted in this test`);
  };
  const handlers = {
    ...(Object.fromEntries(
      Object.keys(ipcMethods).map((method) => [method, unscripted(method)]),
    ) as unknown as IpcHandlers),
    'settings.get': () => settings.read(),
    'settings.update': (patch) => {
      const next = settings.update(patch);
      emit('settings.changed', next);
      return next;
    },
    'app.activity': () => ({}),
    'auth.state': () => ({ status: 'signed_out' }),
    'connection.status': () => ({ state: 'offline', since: new Date(0).toISOString() }),
    'profiles.list': () => ({ profiles: [], allowLocalWorkspace: true }),
    'workspace.status': () => ({ exists: false, running: false }),
    ...workspaceHandlers(state, emit),
    ...script,
  } satisfies IpcHandlers;

  const router = createIpcRouter({ handlers, isTrustedSender: () => true, log });
  const api: ParleyApi = buildParleyApi({
    invoke(request) {
      calls.push(request);
      return router.dispatch(request, { url: 'test://renderer' });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  const callsOf = (method: IpcMethod) => calls.filter((call) => call.method === method);
  /** The arguments of every call to `method`, in order. */
  const argsOf = (method: IpcMethod) => callsOf(method).map((call) => call.args);
  return { api, store: values, state, emit, calls, callsOf, argsOf };
}
