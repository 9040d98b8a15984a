import { app } from 'electron';
import Store from 'electron-store';
import { createConsoleLogger } from '../core/log';
import type { KeyValueStore, Platform } from '../core/ports';

function createElectronStore(): KeyValueStore {
  // clearInvalidConfig: a hand-broken config.json must not keep the app from starting.
  const store = new Store<Record<string, unknown>>({ name: 'config', clearInvalidConfig: true });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

export function createElectronPlatform(): Platform {
  return {
    host: 'electron',
    appVersion: app.getVersion(),
    os: process.platform,
    store: createElectronStore(),
    log: createConsoleLogger('main'),
  };
}
