/**
 * The one test double for the `electron` module (aliased in vitest.config.ts). It records what the
 * app asks Electron to do and lets tests play Electron's part: fire app events, invoke IPC handlers,
 * request permissions, call the app:// protocol handler. Real Electron is never loaded in tests.
 */
import { expect } from 'vitest';

type Listener = (...args: never[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: Listener) {
    return this.on(event, listener);
  }
  removeListener(event: string, listener: Listener) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((candidate) => candidate !== listener),
    );
    return this;
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? [])
      (listener as (...a: unknown[]) => unknown)(...args);
  }
}

export interface PreventableEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function preventableEvent(): PreventableEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export class FakeWebContents extends Emitter {
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send(channel: string, ...args: unknown[]) {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

function createDouble() {
  const state = {
    singleInstanceLock: true,
    quitCalls: 0,
    windows: [] as BrowserWindow[],
    privilegedSchemes: [] as unknown[],
    protocolHandlers: new Map<string, (request: Request) => Promise<Response> | Response>(),
    ipcHandlers: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    permissionRequestHandler: undefined as
      ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined,
    permissionCheckHandler: undefined as ((contents: unknown, permission: string) => boolean) | undefined,
    openedExternally: [] as string[],
    exposed: new Map<string, unknown>(),
    rendererInvocations: [] as { channel: string; args: unknown[] }[],
    rendererInvokeResult: undefined as unknown,
    notificationsSupported: true,
    notifications: [] as Notification[],
    badgeCount: 0,
  };

  const appEmitter = new Emitter();

  const app = Object.assign(appEmitter, {
    isPackaged: false,
    whenReady: () => Promise.resolve(),
    requestSingleInstanceLock: () => state.singleInstanceLock,
    quit: () => {
      state.quitCalls += 1;
    },
    getVersion: () => '0.0.0-test',
    getName: () => 'parley-test',
    getPath: (_name: string) => electronDouble.userDataDir,
    setBadgeCount(count: number) {
      state.badgeCount = count;
      return true;
    },
  });

  /** Records what was shown; a test clicks it with `emit('click')`. */
  class Notification extends Emitter {
    static isSupported() {
      return state.notificationsSupported;
    }
    shown = false;
    closed = false;
    constructor(readonly options: { title?: string; body?: string; silent?: boolean }) {
      super();
      state.notifications.push(this);
    }
    show() {
      this.shown = true;
    }
    close() {
      this.closed = true;
    }
  }

  class BrowserWindow extends Emitter {
    static getAllWindows() {
      return [...state.windows];
    }
    readonly webContents = new FakeWebContents();
    loadedUrl: string | undefined;
    shown = false;
    focused = false;
    minimized = false;
    constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
      super();
      state.windows.push(this);
      appEmitter.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loadedUrl = url;
      return Promise.resolve();
    }
    show() {
      this.shown = true;
    }
    focus() {
      this.focused = true;
    }
    isMinimized() {
      return this.minimized;
    }
    restore() {
      this.minimized = false;
    }
  }

  const ipcMain = Object.assign(new Emitter(), {
    handle(channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) {
      state.ipcHandlers.set(channel, handler);
    },
  });

  const protocol = {
    registerSchemesAsPrivileged(schemes: unknown[]) {
      state.privilegedSchemes.push(...schemes);
    },
    handle(scheme: string, handler: (request: Request) => Promise<Response> | Response) {
      state.protocolHandlers.set(scheme, handler);
    },
  };

  const session = {
    defaultSession: {
      setPermissionRequestHandler(handler: typeof state.permissionRequestHandler) {
        state.permissionRequestHandler = handler;
      },
      setPermissionCheckHandler(handler: typeof state.permissionCheckHandler) {
        state.permissionCheckHandler = handler;
      },
    },
  };

  const shell = {
    openExternal(url: string) {
      state.openedExternally.push(url);
      return Promise.resolve();
    },
    openPath: () => Promise.resolve(''),
  };

  const contextBridge = {
    exposeInMainWorld(key: string, api: unknown) {
      state.exposed.set(key, api);
    },
  };

  /** safeStorage that 'seals' by tagging, so tests can see what was sealed and by which backend. */
  const safeStorage = {
    isAsyncEncryptionAvailable: () => Promise.resolve(true),
    getSelectedStorageBackend: () => 'basic_text' as const,
    encryptStringAsync: (text: string) => Promise.resolve(Buffer.from(`sealed:${text}`)),
    decryptStringAsync: (sealed: Buffer) =>
      Promise.resolve({ result: sealed.toString().replace(/^sealed:/, ''), shouldReEncrypt: false }),
  };

  const powerMonitor = Object.assign(new Emitter(), {
    idleSeconds: 0,
    getSystemIdleTime() {
      return powerMonitor.idleSeconds;
    },
    off(event: string, listener: Listener) {
      return powerMonitor.removeListener(event, listener);
    },
  });

  const rendererEmitter = new Emitter();
  const ipcRenderer = Object.assign(rendererEmitter, {
    invoke(channel: string, ...args: unknown[]) {
      state.rendererInvocations.push({ channel, args });
      return Promise.resolve(state.rendererInvokeResult);
    },
    sendSync: () => undefined,
  });

  /** Test-side controls and records. */
  const electronDouble = {
    state,
    userDataDir: '/tmp/parley-electron-double',
    reset() {
      state.singleInstanceLock = true;
      state.quitCalls = 0;
      state.windows = [];
      state.privilegedSchemes = [];
      state.protocolHandlers.clear();
      state.ipcHandlers.clear();
      state.permissionRequestHandler = undefined;
      state.permissionCheckHandler = undefined;
      state.openedExternally = [];
      state.exposed.clear();
      state.rendererInvocations = [];
      state.rendererInvokeResult = undefined;
      state.notificationsSupported = true;
      state.notifications = [];
      state.badgeCount = 0;
      appEmitter.listeners.clear();
      powerMonitor.listeners.clear();
      powerMonitor.idleSeconds = 0;
      rendererEmitter.listeners.clear();
      ipcMain.listeners.clear();
    },
    /** Plays a renderer frame calling ipcRenderer.invoke(channel, ...args) from `frameUrl`. */
    invokeFromFrame(channel: string, frameUrl: string | undefined, ...args: unknown[]) {
      const handler = state.ipcHandlers.get(channel);
      if (!handler) throw new Error(`no ipcMain handler for ${channel}`);
      return handler({ senderFrame: frameUrl === undefined ? null : { url: frameUrl } }, ...args);
    },
    /** Plays main sending an event to the renderer. */
    sendToRenderer(channel: string, payload: unknown) {
      rendererEmitter.emit(channel, {}, payload);
    },
  };

  return {
    app,
    BrowserWindow,
    ipcMain,
    protocol,
    session,
    shell,
    contextBridge,
    ipcRenderer,
    safeStorage,
    powerMonitor,
    Notification,
    electronDouble,
  };
}

// Tests call vi.resetModules() to start the app afresh; the double must survive that so the test and
// the app share one instance. Globals outlive a test file in the same worker, hence one per file.
type Double = ReturnType<typeof createDouble>;
const shared = globalThis as { parleyElectronDoubles?: Map<string, Double> };
const doubles: Map<string, Double> = (shared.parleyElectronDoubles ??= new Map<string, Double>());
const testFile = expect.getState().testPath ?? 'unknown';
const double = doubles.get(testFile) ?? createDouble();
doubles.set(testFile, double);

export const {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  shell,
  contextBridge,
  ipcRenderer,
  safeStorage,
  powerMonitor,
  Notification,
  electronDouble,
} = double;
export type BrowserWindow = InstanceType<typeof double.BrowserWindow>;
export type IpcRendererEvent = object;
export type WebContents = FakeWebContents;

export default {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  session,
  shell,
  contextBridge,
  ipcRenderer,
  safeStorage,
  powerMonitor,
  Notification,
};
