import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import { createSettings } from '../../main/core/settings';
import { createJsonFileStore } from '../../main/platform/node';
import { recordingLogger } from '../support/logger';

function tempDir() {
  return mkdtempSync(join(tmpdir(), 'parley-store-'));
}

describe('JSON file store (browser host)', () => {
  it('keeps values across restarts', () => {
    const dir = tempDir();
    createJsonFileStore(dir, recordingLogger().log).set('settings', {
      language: 'de',
      theme: 'dark',
      autoLockMinutes: 10,
    });
    expect(createJsonFileStore(dir, recordingLogger().log).get('settings')).toEqual({
      language: 'de',
      theme: 'dark',
      autoLockMinutes: 10,
    });
  });

  it('moves a corrupt file aside instead of deleting it, logs it, and starts empty', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'settings.json'), '{"settings": {"lang');
    const { log, entries } = recordingLogger();
    const store = createJsonFileStore(dir, log);
    expect(store.get('settings')).toBeUndefined();
    const aside = readdirSync(dir).find((name) => name.startsWith('settings.json.corrupt-'));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dir, aside ?? ''), 'utf8')).toBe('{"settings": {"lang');
    expect(entries[0]?.level).toBe('warn');
  });

  it('falls back to default settings when the stored ones are invalid', () => {
    const dir = tempDir();
    const { log, entries } = recordingLogger();
    const store = createJsonFileStore(dir, log);
    store.set('settings', { language: 'klingon', theme: 'dark', autoLockMinutes: 10 });
    expect(createSettings(store, log).read()).toEqual(defaultSettings);
    expect(entries).toContainEqual(
      expect.objectContaining({ message: 'stored settings are invalid; using defaults' }),
    );
  });
});
