import { ParleyError } from '../../protocol/errors';
import { buildParleyApi } from '../../protocol/ipc-api';
import {
  ipcMethods,
  type IpcEvent,
  type IpcEventPayload,
  type IpcMethod,
  type IpcRequest,
  type ParleyApi,
} from '../../protocol/ipc';
import { createIpcRouter, type IpcHandlers } from '../../main/core/ipc-router';
import type { KeyValueStore } from '../../main/core/ports';
import { createSettings } from '../../main/core/settings';
import { recordingLogger } from './logger';

/**
 * window.parley for component tests: the real contract builder and router, real settings in
 * memory, and sign-in answers the test scripts. Every call is recorded; events can be fired.
 */
export function inMemoryParley(script: Partial<IpcHandlers> = {}) {
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
  const emit = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) =>
    listeners.forEach((listener) => listener({ event, payload }));

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
    'chats.list': () => ({ chats: [], pending: [] }),
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
  return { api, store: values, emit, calls, callsOf };
}
