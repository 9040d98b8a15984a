import { app, BrowserWindow, ipcMain, protocol, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { ipcChannels } from '../protocol/ipc';
import { createAppCore, type EmitEvent } from './core/app-core';
import { createIpcRouter } from './core/ipc-router';
import { readRendererFile } from './core/renderer-files';
import { createElectronPlatform, focusMainWindow } from './platform/electron';

// The renderer is served from app://parley rather than file:// so that it has a real origin to check
// senders against and gets its CSP as a response header.
const appScheme = 'app';
const appOrigin = 'app://parley';
const outDir = join(import.meta.dirname, '..');
const rendererDir = join(outDir, 'renderer');
const devRendererUrl = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];

protocol.registerSchemesAsPrivileged([
  { scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

/** scheme://host[:port] of a URL; Node reports origin "null" for custom schemes such as app:. */
function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

export function isTrustedSender(url: string): boolean {
  const origin = originOf(url);
  if (origin === undefined) return false;
  if (origin === appOrigin) return true;
  return devRendererUrl !== undefined && origin === originOf(devRendererUrl);
}

function harden(contents: WebContents) {
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedSender(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedSender(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // Links the operator clicks open in the system browser; no page ever gets a new Electron window.
  contents.setWindowOpenHandler(({ url }) => {
    if (/^https?:\/\//i.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

function createWindow() {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    show: false,
    title: 'Parley',
    webPreferences: {
      preload: join(outDir, 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(devRendererUrl ?? `${appOrigin}/index.html`);
  return window;
}

async function start() {
  await app.whenReady();
  const platform = createElectronPlatform();

  const emit: EmitEvent = (event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      window.webContents.send(ipcChannels.event, { event, payload });
    }
  };
  const core = createAppCore(platform, emit);
  const router = createIpcRouter({ handlers: core.handlers, isTrustedSender, log: platform.log });
  ipcMain.handle(ipcChannels.invoke, (event, request: unknown) =>
    router.dispatch(request, { url: event.senderFrame?.url }),
  );

  protocol.handle(appScheme, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'parley') return new Response('Not found', { status: 404 });
    const file = await readRendererFile(rendererDir, url.pathname);
    return new Response(new Uint8Array(file.body), { status: file.status, headers: file.headers });
  });

  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permission === 'notifications'),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => permission === 'notifications');

  app.on('before-quit', () => void core.close());
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

if (app.requestSingleInstanceLock()) {
  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  void start();
} else {
  app.quit();
}
