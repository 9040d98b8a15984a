import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { platform as osPlatform } from 'node:os';
import { createConsoleLogger } from '../core/log';
import type { KeyValueStore, Logger, Platform } from '../core/ports';

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

export function createNodePlatform(options: { dataDir: string; appVersion: string }): Platform {
  const log = createConsoleLogger('browser-host');
  return {
    host: 'browser',
    appVersion: options.appVersion,
    os: osPlatform(),
    store: createJsonFileStore(options.dataDir, log),
    log,
  };
}
