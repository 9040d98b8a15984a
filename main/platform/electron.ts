import { app, BrowserWindow, Notification, powerMonitor, safeStorage } from 'electron';
import Store from 'electron-store';
import { createConsoleLogger } from '../core/log';
import { watchNetworkChanges } from '../core/network-watch';
import type { AttentionPort, KeyValueStore, Platform, SecretStorage } from '../core/ports';

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

/** Brings Parley's window to the front: a notification was clicked, or a second instance started. */
export function focusMainWindow() {
  const [window] = BrowserWindow.getAllWindows();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

function createNativeAttention(): AttentionPort {
  // One notification per chat: a newer one (a repeat, the next message) replaces the last, so they
  // do not pile up. Keeping them referenced also keeps their click handlers alive, which Electron
  // drops once a notification is garbage-collected.
  const shown = new Map<string, Notification>();
  const clickListeners = new Set<(chatId: string) => void>();
  return {
    notify({ title, body, chatId }) {
      if (!Notification.isSupported()) return;
      shown.get(chatId)?.close();
      // Silent: the page plays the sound the operator chose.
      const notification = new Notification({ title, body, silent: true });
      const forget = () => {
        if (shown.get(chatId) === notification) shown.delete(chatId);
      };
      notification.on('click', () => {
        forget();
        focusMainWindow();
        for (const listener of clickListeners) listener(chatId);
      });
      notification.on('close', forget);
      shown.set(chatId, notification);
      notification.show();
    },
    setBadge: (count) => void app.setBadgeCount(count),
    onClick(listener) {
      clickListeners.add(listener);
      return () => void clickListeners.delete(listener);
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
    attention: createNativeAttention(),
    log: createConsoleLogger('main'),
  };
}
