import type { IpcEvent, IpcEventPayload } from '../../protocol/ipc';
import type { IpcHandlers } from './ipc-router';
import type { Platform } from './ports';
import { createSettings } from './settings';

export type EmitEvent = <E extends IpcEvent>(event: E, payload: IpcEventPayload<E>) => void;

/**
 * The Electron-free application core: the handlers behind every IPC method. Both hosts build it
 * and forward its events to their windows.
 */
export function createAppCore(platform: Platform, emit: EmitEvent) {
  const settings = createSettings(platform.store, platform.log);

  const handlers: IpcHandlers = {
    'app.info': () => ({
      name: 'Parley',
      version: platform.appVersion,
      host: platform.host,
      platform: platform.os,
    }),
    'settings.get': () => settings.read(),
    'settings.update': (patch) => {
      const next = settings.update(patch);
      emit('settings.changed', next);
      return next;
    },
  };

  return { handlers };
}
