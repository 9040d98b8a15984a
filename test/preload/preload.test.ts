import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, ipcChannels, ipcMethods, type ParleyApi } from '../../protocol/ipc';
import { electronDouble } from '../support/electron';

const { state } = electronDouble;

async function loadPreload(): Promise<ParleyApi> {
  vi.resetModules();
  await import('../../preload/index');
  return state.exposed.get('parley') as ParleyApi;
}

beforeEach(() => electronDouble.reset());

describe('preload', () => {
  it('exposes only window.parley, never ipcRenderer', async () => {
    const api = await loadPreload();
    expect([...state.exposed.keys()]).toEqual(['parley']);
    const namespaces = new Set(Object.keys(ipcMethods).map((method) => method.split('.')[0]));
    expect(Object.keys(api).sort()).toEqual([...namespaces, 'on'].sort());
    expect(Object.keys(api.settings).sort()).toEqual(['get', 'update']);
    expect(JSON.stringify(api)).not.toMatch(/ipcRenderer|invoke|send/);
  });

  it('carries each call over the invoke channel as {method, args}', async () => {
    const api = await loadPreload();
    state.rendererInvokeResult = { ok: true, value: { ...defaultSettings, language: 'en', theme: 'light' } };
    await expect(api.settings.update({ theme: 'light' })).resolves.toEqual({
      ...defaultSettings,
      language: 'en',
      theme: 'light',
    });
    expect(state.rendererInvocations).toEqual([
      { channel: ipcChannels.invoke, args: [{ method: 'settings.update', args: { theme: 'light' } }] },
    ]);
  });

  it('delivers events to subscribers until they unsubscribe', async () => {
    const api = await loadPreload();
    const listener = vi.fn();
    const unsubscribe = api.on('settings.changed', listener);
    electronDouble.sendToRenderer(ipcChannels.event, {
      event: 'settings.changed',
      payload: { ...defaultSettings, language: 'de', theme: 'dark' },
    });
    unsubscribe();
    electronDouble.sendToRenderer(ipcChannels.event, {
      event: 'settings.changed',
      payload: { ...defaultSettings, language: 'en', theme: 'dark' },
    });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ ...defaultSettings, language: 'de', theme: 'dark' });
  });
});
