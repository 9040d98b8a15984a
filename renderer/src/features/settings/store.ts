import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { Settings } from '../../../../protocol/ipc';

interface SettingsState {
  settings: Settings | undefined;
  error: string | undefined;
  load(): Promise<void>;
  update(patch: Partial<Settings>): Promise<void>;
}

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: undefined,
  error: undefined,
  async load() {
    try {
      set({ settings: await window.parley.settings.get(), error: undefined });
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    }
    // Another window of the same host may change settings too.
    window.parley.on('settings.changed', (settings) => set({ settings }));
  },
  async update(patch) {
    try {
      set({ settings: await window.parley.settings.update(patch), error: undefined });
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    }
  },
}));
