import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform as osPlatform } from 'node:os';
import { createConsoleLogger } from '../core/log';
import { watchNetworkChanges } from '../core/network-watch';
import type { KeyValueStore, Logger, Platform, SecretStorage } from '../core/ports';

/**
 * A JSON file store for the browser host and tests. Writes go to a temp file and are renamed into
 * place, so a crash mid-write leaves the previous file intact. A file that cannot be parsed is moved
 * aside (never deleted) and the store starts empty.
 */
export function createJsonFileStore(dir: string, log: Logger): KeyValueStore {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'settings.json');
  let data = new Map<string, unknown>();
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      data = new Map(Object.entries(parsed));
    } else {
      throw new Error('not a JSON object');
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      const aside = `${file}.corrupt-${Date.now()}`;
      renameSync(file, aside);
      log.warn('settings file was unreadable; moved aside and started fresh', {
        aside,
        error: String(error),
      });
    }
  }

  function flush() {
    const temp = `${file}.tmp`;
    writeFileSync(temp, JSON.stringify(Object.fromEntries(data), null, 2), { mode: 0o600 });
    renameSync(temp, file);
  }

  return {
    get: (key) => data.get(key),
    set(key, value) {
      data.set(key, value);
      flush();
    },
    delete(key) {
      data.delete(key);
      flush();
    },
  };
}

/**
 * Without an OS keychain, the browser host seals secrets with a key file readable only by this
 * user. That protects against other users of the machine, not against this user's own processes,
 * which is why it reports itself as backend 'file' (the same honesty as Electron's 'basic_text').
 */
export function createFileSecretStorage(dir: string): SecretStorage {
  mkdirSync(dir, { recursive: true });
  const keyFile = join(dir, 'secret.key');
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32), { mode: 0o600 });
  const key = readFileSync(keyFile);
  return {
    isAvailable: () => Promise.resolve(key.length === 32),
    backend: () => 'file',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Promise.resolve(Buffer.concat([iv, sealed, cipher.getAuthTag()]));
    },
    decrypt(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      return Promise.resolve(
        Buffer.concat([decipher.update(sealed.subarray(12, sealed.length - 16)), decipher.final()]),
      );
    },
  };
}

/** The browser has no system-wide idle time; the host counts from the page's last reported input. */
function createActivityClock() {
  let lastInput = Date.now();
  return {
    touch: () => {
      lastInput = Date.now();
    },
    idleSeconds: () => Math.floor((Date.now() - lastInput) / 1000),
  };
}

export function createNodePlatform(options: { dataDir: string; appVersion: string }): Platform {
  const log = createConsoleLogger('browser-host');
  const activity = createActivityClock();
  return {
    host: 'browser',
    appVersion: options.appVersion,
    os: osPlatform(),
    dataDir: options.dataDir,
    store: createJsonFileStore(options.dataDir, log),
    secrets: createFileSecretStorage(options.dataDir),
    system: {
      idleSeconds: activity.idleSeconds,
      noteInput: activity.touch,
      onResume: () => () => undefined,
      onLockScreen: () => () => undefined,
      onNetworkChange: (listener) => watchNetworkChanges(listener),
    },
    // The page does it all from the attention and badge events: a web notification (a click on it
    // selects the chat), the count in the title.
    attention: { notify: () => undefined, setBadge: () => undefined, onClick: () => () => undefined },
    log,
  };
}
