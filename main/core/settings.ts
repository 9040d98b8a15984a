import { defaultSettings, settingsSchema, type Settings } from '../../protocol/ipc';
import type { KeyValueStore, Logger } from './ports';

const key = 'settings';

/** Appearance and language, kept in the platform's key-value store. */
export function createSettings(store: KeyValueStore, log: Logger) {
  function read(): Settings {
    const stored = store.get(key);
    if (stored === undefined) return defaultSettings;
    // Settings added in later versions take their defaults; what the user chose is kept.
    const parsed = settingsSchema.safeParse(
      stored !== null && typeof stored === 'object' ? { ...defaultSettings, ...stored } : stored,
    );
    if (parsed.success) return parsed.data;
    // A hand-edited or outdated settings file must not stop the app from starting.
    log.warn('stored settings are invalid; using defaults', { stored: JSON.stringify(stored) });
    return defaultSettings;
  }

  function update(patch: Partial<Settings>): Settings {
    const next = settingsSchema.parse({ ...read(), ...patch });
    store.set(key, next);
    return next;
  }

  return { read, update };
}
