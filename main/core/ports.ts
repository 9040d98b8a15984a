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

/**
 * The OS keychain (Electron's safeStorage). `backend` records which keychain wrote a secret, as
 * Element does, so a later switch (say from libsecret to basic_text) is noticed instead of trusted.
 */
export interface SecretStorage {
  isAvailable(): Promise<boolean>;
  backend(): string;
  encrypt(plain: Buffer): Promise<Buffer>;
  decrypt(sealed: Buffer): Promise<Buffer>;
}

/** Operating-system signals the connection and the auto-lock react to. Each `on…` returns an unsubscribe. */
export interface SystemEvents {
  /** Seconds since the last keyboard or mouse input anywhere on the system. */
  idleSeconds(): number;
  /** The renderer saw input; only hosts without a system idle clock (the browser host) use it. */
  noteInput(): void;
  onResume(listener: () => void): () => void;
  onLockScreen(listener: () => void): () => void;
  onNetworkChange(listener: () => void): () => void;
}

/** What the operator should look at now; the text is already as short as privacy allows. */
export interface AttentionNotification {
  title: string;
  body: string;
  chatId: string;
}

/**
 * How the platform gets the operator's attention outside the window. Electron shows native
 * notifications and the dock/taskbar badge; the browser host leaves both to the page.
 */
export interface AttentionPort {
  notify(notification: AttentionNotification): void;
  setBadge(count: number): void;
  /** The operator clicked a notification (the window is already in front); returns an unsubscribe. */
  onClick(listener: (chatId: string) => void): () => void;
}

export interface Platform {
  host: 'electron' | 'browser';
  appVersion: string;
  os: string;
  /** Where the app keeps its files (the encrypted cache, a local workspace's database). */
  dataDir: string;
  store: KeyValueStore;
  secrets: SecretStorage;
  system: SystemEvents;
  attention: AttentionPort;
  log: Logger;
}
