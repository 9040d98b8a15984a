/**
 * What the core needs from its platform. main/platform/electron.ts implements these with Electron
 * APIs, main/platform/node.ts with plain Node for the browser host and tests.
 */

export interface KeyValueStore {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Platform {
  host: 'electron' | 'browser';
  appVersion: string;
  os: string;
  store: KeyValueStore;
  log: Logger;
}
