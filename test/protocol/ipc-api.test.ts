import { describe, expect, it, vi } from 'vitest';
import { buildParleyApi, type IpcTransport } from '../../protocol/ipc-api';
import { defaultSettings, type IpcRequest } from '../../protocol/ipc';

function fakeTransport(reply: (request: IpcRequest) => unknown) {
  const listeners = new Set<(envelope: unknown) => void>();
  const transport: IpcTransport = {
    invoke: vi.fn((request: IpcRequest) => Promise.resolve(reply(request))),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, deliver: (envelope: unknown) => listeners.forEach((listener) => listener(envelope)) };
}

describe('window.parley built from the contract', () => {
  it('has one function per contract method, grouped by namespace', () => {
    const api = buildParleyApi(fakeTransport(() => undefined).transport);
    expect(typeof api.app.info).toBe('function');
    expect(typeof api.settings.get).toBe('function');
    expect(typeof api.settings.update).toBe('function');
  });

  it('sends the method and arguments and returns the parsed result', async () => {
    const { transport } = fakeTransport(() => ({
      ok: true,
      value: { ...defaultSettings, language: 'de', theme: 'dark' },
    }));
    const api = buildParleyApi(transport);
    await expect(api.settings.update({ language: 'de' })).resolves.toEqual({
      ...defaultSettings,
      language: 'de',
      theme: 'dark',
    });
    expect(transport.invoke).toHaveBeenCalledWith({ method: 'settings.update', args: { language: 'de' } });
  });

  it('rejects with the typed error data the host sent', async () => {
    const error = { code: 'invalid_request', message: 'language: Invalid option' };
    const api = buildParleyApi(fakeTransport(() => ({ ok: false, error })).transport);
    await expect(api.settings.get()).rejects.toEqual(error);
  });

  it('rejects a malformed response or a result outside the contract as internal', async () => {
    const garbled = buildParleyApi(fakeTransport(() => 'garbage').transport);
    await expect(garbled.settings.get()).rejects.toMatchObject({ code: 'internal' });
    const offContract = buildParleyApi(
      fakeTransport(() => ({ ok: true, value: { language: 'fr' } })).transport,
    );
    await expect(offContract.settings.get()).rejects.toMatchObject({ code: 'internal' });
  });

  it('delivers only valid payloads of the subscribed event, until unsubscribed', () => {
    const { transport, deliver } = fakeTransport(() => undefined);
    const api = buildParleyApi(transport);
    const listener = vi.fn();
    const unsubscribe = api.on('settings.changed', listener);
    deliver({ event: 'settings.changed', payload: { ...defaultSettings, language: 'en', theme: 'light' } });
    deliver({ event: 'settings.changed', payload: { language: 'xx' } });
    deliver({ event: 'something.else', payload: {} });
    deliver('not an envelope');
    unsubscribe();
    deliver({ event: 'settings.changed', payload: { ...defaultSettings, language: 'de', theme: 'light' } });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ ...defaultSettings, language: 'en', theme: 'light' });
  });
});
