import { app, powerMonitor, safeStorage } from 'electron';
import Store from 'electron-store';
import { createConsoleLogger } from '../core/log';
import { watchNetworkChanges } from '../core/network-watch';
import type { KeyValueStore, Platform, SecretStorage } from '../core/ports';

function createElectronStore(): KeyValueStore {
  // clearInvalidConfig: a hand-broken config.json must not keep the app from starting.
  const store = new Store<Record<string, unknown>>({ name: 'config', clearInvalidConfig: true });
  return {
    get: (key) => store.get(key),
    set: (key, value) => store.set(key, value),
    delete: (key) => store.delete(key),
  };
}

/** safeStorage's async API takes strings, so bytes travel as base64 through it. */
function createSafeStorage(): SecretStorage {
  return {
    isAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    backend: () =>
      process.platform === 'linux'
        ? safeStorage.getSelectedStorageBackend()
        : process.platform === 'darwin'
          ? 'keychain'
          : 'dpapi',
    encrypt: (plain) => safeStorage.encryptStringAsync(plain.toString('base64')),
    async decrypt(sealed) {
      const { result } = await safeStorage.decryptStringAsync(sealed);
      return Buffer.from(result, 'base64');
    },
  };
}

export function createElectronPlatform(): Platform {
  return {
    host: 'electron',
    appVersion: app.getVersion(),
    os: process.platform,
    dataDir: app.getPath('userData'),
    store: createElectronStore(),
    secrets: createSafeStorage(),
    system: {
      idleSeconds: () => powerMonitor.getSystemIdleTime(),
      noteInput: () => undefined,
      onResume(listener) {
        powerMonitor.on('resume', listener);
        return () => powerMonitor.off('resume', listener);
      },
      onLockScreen(listener) {
        powerMonitor.on('lock-screen', listener);
        return () => powerMonitor.off('lock-screen', listener);
      },
      onNetworkChange: (listener) => watchNetworkChanges(listener),
    },
    log: createConsoleLogger('main'),
  };
}
