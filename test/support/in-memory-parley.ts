import { buildParleyApi } from '../../protocol/ipc-api';
import type { ParleyApi } from '../../protocol/ipc';
import { createAppCore } from '../../main/core/app-core';
import { createIpcRouter } from '../../main/core/ipc-router';
import type { KeyValueStore } from '../../main/core/ports';
import { recordingLogger } from './logger';

/**
 * window.parley for component tests: the real contract builder, router and core, with the
 * transport and the store in memory instead of IPC and disk.
 */
export function inMemoryParley(): { api: ParleyApi; store: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  const store: KeyValueStore = {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
  const listeners = new Set<(envelope: unknown) => void>();
  const { log } = recordingLogger();
  const core = createAppCore(
    { host: 'browser', appVersion: 'test', os: 'test', store, log },
    (event, payload) => listeners.forEach((listener) => listener({ event, payload })),
  );
  const router = createIpcRouter({ handlers: core.handlers, isTrustedSender: () => true, log });
  const api = buildParleyApi({
    invoke: (request) => router.dispatch(request, { url: 'test://renderer' }),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  });
  return { api, store: values };
}
