import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, ipcChannels } from '../../protocol/ipc';
import { electronDouble, preventableEvent, type BrowserWindow } from '../support/electron';

const { state } = electronDouble;

async function startApp() {
  vi.resetModules();
  await import('../../main/index');
  await vi.waitFor(() => expect(state.windows).toHaveLength(1));
  return state.windows[0] as BrowserWindow;
}

beforeEach(() => {
  electronDouble.reset();
  electronDouble.userDataDir = mkdtempSync(join(tmpdir(), 'parley-electron-'));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

describe('Electron main process', () => {
  it('opens one hardened window on the app origin with the bundled preload', async () => {
    const window = await startApp();
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
    expect(String(window.options.webPreferences?.['preload'])).toMatch(/preload[/\\]index\.cjs$/);
    expect(window.loadedUrl).toBe('app://parley/index.html');
    expect(state.privilegedSchemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
  });

  it('quits at once when another instance holds the lock', async () => {
    state.singleInstanceLock = false;
    vi.resetModules();
    await import('../../main/index');
    expect(state.quitCalls).toBe(1);
    expect(state.windows).toHaveLength(0);
  });

  it('answers IPC from its own frame and refuses a foreign frame with a typed error', async () => {
    await startApp();
    const own = await electronDouble.invokeFromFrame(ipcChannels.invoke, 'app://parley/index.html', {
      method: 'app.info',
    });
    expect(own).toEqual({
      ok: true,
      value: { name: 'Parley', version: '0.0.0-test', host: 'electron', platform: process.platform },
    });
    const foreign = await electronDouble.invokeFromFrame(ipcChannels.invoke, 'https://evil.example/', {
      method: 'app.info',
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    const frameless = await electronDouble.invokeFromFrame(ipcChannels.invoke, undefined, {
      method: 'app.info',
    });
    expect(frameless).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
  });

  it('rejects malformed arguments and keeps serving', async () => {
    await startApp();
    const bad = await electronDouble.invokeFromFrame(ipcChannels.invoke, 'app://parley/', {
      method: 'settings.update',
      args: { theme: 'neon' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const good = await electronDouble.invokeFromFrame(ipcChannels.invoke, 'app://parley/', {
      method: 'settings.update',
      args: { theme: 'dark' },
    });
    expect(good).toEqual({ ok: true, value: { ...defaultSettings, theme: 'dark' } });
  });

  it('persists settings through electron-store and tells every window', async () => {
    const window = await startApp();
    await electronDouble.invokeFromFrame(ipcChannels.invoke, 'app://parley/', {
      method: 'settings.update',
      args: { language: 'de' },
    });
    expect(window.webContents.sent).toContainEqual({
      channel: ipcChannels.event,
      args: [{ event: 'settings.changed', payload: { ...defaultSettings, language: 'de' } }],
    });
    // A second start reads what the first one stored.
    electronDouble.reset();
    await startApp();
    const settings = await electronDouble.invokeFromFrame(ipcChannels.invoke, 'app://parley/', {
      method: 'settings.get',
    });
    expect(settings).toEqual({ ok: true, value: { ...defaultSettings, language: 'de' } });
  });

  it('grants notifications and denies every other permission', async () => {
    await startApp();
    const decisions: Record<string, boolean> = {};
    for (const permission of ['notifications', 'media', 'geolocation', 'clipboard-read', 'openExternal']) {
      state.permissionRequestHandler?.({}, permission, (granted) => (decisions[permission] = granted));
    }
    expect(decisions).toEqual({
      notifications: true,
      media: false,
      geolocation: false,
      'clipboard-read': false,
      openExternal: false,
    });
    expect(state.permissionCheckHandler?.({}, 'media')).toBe(false);
  });

  it('blocks navigation away from the app and never opens new windows', async () => {
    const window = await startApp();
    const away = preventableEvent();
    window.webContents.emit('will-navigate', away, 'https://evil.example/');
    expect(away.defaultPrevented).toBe(true);
    const within = preventableEvent();
    window.webContents.emit('will-navigate', within, 'app://parley/index.html');
    expect(within.defaultPrevented).toBe(false);

    const open = window.webContents.windowOpenHandler;
    expect(open?.({ url: 'https://docs.example.org/help' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(state.openedExternally).toEqual(['https://docs.example.org/help']);
  });

  it('serves the renderer on app:// with a strict CSP and refuses paths outside it', async () => {
    await startApp();
    const serve = state.protocolHandlers.get('app');
    const index = await serve?.(new Request('app://parley/index.html'));
    expect(index?.status).toBe(200);
    expect(index?.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await index?.text()).toContain('<div id="root">');
    const escape = await serve?.(new Request('app://parley/%2e%2e/%2e%2e/package.json'));
    expect(escape?.status).toBe(404);
    const otherHost = await serve?.(new Request('app://elsewhere/index.html'));
    expect(otherHost?.status).toBe(404);
  });
});

describe('Electron platform', () => {
  it('seals secrets with safeStorage’s async API and names the keychain backend', async () => {
    const { createElectronPlatform } = await import('../../main/platform/electron');
    const platform = createElectronPlatform();
    expect(platform.secrets.backend()).toBe(process.platform === 'linux' ? 'basic_text' : expect.any(String));
    const sealed = await platform.secrets.encrypt(Buffer.from([1, 2, 3, 250]));
    expect(sealed.toString()).toBe('sealed:AQID+g==');
    expect([...(await platform.secrets.decrypt(sealed))]).toEqual([1, 2, 3, 250]);
    expect(platform.dataDir).toBe(electronDouble.userDataDir);
  });

  it('reads idle time, resume and screen lock from powerMonitor', async () => {
    const { powerMonitor } = await import('../support/electron');
    const { createElectronPlatform } = await import('../../main/platform/electron');
    const platform = createElectronPlatform();
    powerMonitor.idleSeconds = 321;
    expect(platform.system.idleSeconds()).toBe(321);
    const seen: string[] = [];
    const stopResume = platform.system.onResume(() => seen.push('resume'));
    const stopLock = platform.system.onLockScreen(() => seen.push('lock'));
    powerMonitor.emit('resume');
    powerMonitor.emit('lock-screen');
    stopResume();
    stopLock();
    powerMonitor.emit('resume');
    expect(seen).toEqual(['resume', 'lock']);
  });
});
