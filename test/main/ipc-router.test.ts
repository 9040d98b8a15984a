import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import { defaultSettings, ipcMethods } from '../../protocol/ipc';
import { createIpcRouter, type IpcHandlers } from '../../main/core/ipc-router';
import { recordingLogger } from '../support/logger';

const trusted = { url: 'app://parley/index.html' };

function setup(overrides: Partial<IpcHandlers> = {}) {
  const { log, entries } = recordingLogger();
  const notHere = () => {
    throw new ParleyError('internal', 'not used in this test');
  };
  const handlers: IpcHandlers = {
    ...(Object.fromEntries(
      Object.keys(ipcMethods).map((method) => [method, notHere]),
    ) as unknown as IpcHandlers),
    'app.info': () => ({ name: 'Parley', version: '1.0.0', host: 'electron', platform: 'linux' }),
    'settings.get': () => defaultSettings,
    'settings.update': (patch) => ({ ...defaultSettings, ...patch }),
    ...overrides,
  };
  const router = createIpcRouter({
    handlers,
    isTrustedSender: (url) => url.startsWith('app://parley/'),
    log,
  });
  return { router, entries };
}

describe('IPC router', () => {
  it('answers a well-formed call from the app frame', async () => {
    const { router } = setup();
    await expect(
      router.dispatch({ method: 'settings.update', args: { theme: 'dark' } }, trusted),
    ).resolves.toEqual({
      ok: true,
      value: { ...defaultSettings, theme: 'dark' },
    });
  });

  it.each([
    ['a foreign frame', 'https://evil.example/'],
    ['a file:// frame', 'file:///tmp/page.html'],
    ['an unparsable frame URL', 'not a url'],
    ['no frame at all', undefined],
  ])('refuses and logs a call from %s', async (_name, url) => {
    const { router, entries } = setup();
    const response = await router.dispatch({ method: 'settings.get' }, { url });
    expect(response).toMatchObject({ ok: false, error: { code: 'untrusted_sender' } });
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'warn', message: 'ipc refused: untrusted_sender' }),
    );
  });

  it.each([
    ['missing arguments', { method: 'settings.update' }],
    ['an extra argument', { method: 'settings.update', args: { theme: 'dark', admin: true } }],
    ['a mistyped argument', { method: 'settings.update', args: { theme: 42 } }],
    ['arguments for a method that takes none', { method: 'settings.get', args: { x: 1 } }],
    ['an envelope with extra keys', { method: 'settings.get', sneaky: true }],
    ['no envelope', 'settings.get'],
  ])('rejects %s with a typed invalid_request error', async (_name, request) => {
    const { router, entries } = setup();
    const response = await router.dispatch(request, trusted);
    expect(response).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(entries.some((entry) => entry.message === 'ipc refused: invalid_request')).toBe(true);
  });

  it('rejects an unknown method, including inherited object keys', async () => {
    const { router } = setup();
    for (const method of ['settings.delete', 'constructor', '__proto__', 'toString']) {
      const response = await router.dispatch({ method }, trusted);
      expect(response).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
  });

  it('passes a handler’s ParleyError through and turns any other failure into internal', async () => {
    const { router, entries } = setup({
      'settings.get': () => {
        throw new ParleyError('not_found', 'No settings here.');
      },
      'app.info': () => {
        throw new TypeError('boom with secret detail');
      },
    });
    await expect(router.dispatch({ method: 'settings.get' }, trusted)).resolves.toEqual({
      ok: false,
      error: { code: 'not_found', message: 'No settings here.' },
    });
    const failed = await router.dispatch({ method: 'app.info' }, trusted);
    expect(failed).toEqual({
      ok: false,
      error: { code: 'internal', message: 'app.info failed unexpectedly.' },
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'error', message: 'ipc handler failed: app.info' }),
    );
  });
});
