import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { forgetDataKey, openDataKey } from '../../../main/core/cache/data-key';
import type { KeyValueStore, SecretStorage } from '../../../main/core/ports';

/** A keychain that XORs with a fixed pad (enough to hide the bytes) and can be made to misbehave. */
function fakeKeychain(options: { backend?: string; available?: boolean; passThrough?: boolean } = {}) {
  const pad = Buffer.from('a fixed test pad for the fake keychain, long enough for any wrapped key');
  const state = {
    backend: options.backend ?? 'gnome_libsecret',
    available: options.available ?? true,
    decryptThrows: false,
  };
  const xor = (input: Buffer) =>
    options.passThrough
      ? Buffer.from(input)
      : Buffer.from(input.map((byte, index) => byte ^ (pad[index % pad.length] ?? 0)));
  const secrets: SecretStorage = {
    isAvailable: async () => state.available,
    backend: () => state.backend,
    encrypt: async (plain) => xor(plain),
    decrypt: async (sealed) => {
      if (state.decryptThrows)
        throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return xor(sealed);
    },
  };
  return { secrets, state };
}

/** Round-trips through JSON like the real electron-store, so a Buffer stored by mistake would show. */
function memoryStore(): KeyValueStore & { raw(): string | undefined } {
  const values = new Map<string, string>();
  return {
    get: (key) => {
      const text = values.get(key);
      return text === undefined ? undefined : JSON.parse(text);
    },
    set: (key, value) => void values.set(key, JSON.stringify(value)),
    delete: (key) => void values.delete(key),
    raw: () => values.get('cacheKey'),
  };
}

const newDeviceKey = () => randomBytes(32).toString('base64url');

describe('cache data key', () => {
  it('is created the first time and opened, with the same bytes, the next time', async () => {
    const store = memoryStore();
    const { secrets } = fakeKeychain();
    const deviceKey = newDeviceKey();

    const first = await openDataKey(store, secrets, deviceKey);
    const second = await openDataKey(store, secrets, deviceKey);

    expect(first.status).toBe('created');
    expect(first.dataKey).toHaveLength(32);
    expect(second.status).toBe('opened');
    expect(second.dataKey.equals(first.dataKey)).toBe(true);
  });

  it('stores the documented shape, recording the keychain backend', async () => {
    const store = memoryStore();
    await openDataKey(store, fakeKeychain({ backend: 'kwallet6' }).secrets, newDeviceKey());

    const stored = store.get('cacheKey') as Record<string, unknown>;
    expect(Object.keys(stored).sort()).toEqual(['keychainBackend', 'salt', 'sealed', 'version']);
    expect(stored).toMatchObject({ version: 1, keychainBackend: 'kwallet6' });
    expect(Buffer.from(String(stored.salt), 'base64')).toHaveLength(16);
  });

  it('replaces the key when the server has handed out a new device key', async () => {
    const store = memoryStore();
    const { secrets } = fakeKeychain();
    const original = await openDataKey(store, secrets, newDeviceKey());
    const newKey = newDeviceKey();

    const outcome = await openDataKey(store, secrets, newKey);

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'device_key_changed' });
    expect(outcome.dataKey.equals(original.dataKey)).toBe(false);
    const reopened = await openDataKey(store, secrets, newKey);
    expect(reopened.status).toBe('opened');
    expect(reopened.dataKey.equals(outcome.dataKey)).toBe(true);
  });

  it('needs the device key even when the keychain layer gives the inner layer away', async () => {
    const store = memoryStore();
    const { secrets } = fakeKeychain({ passThrough: true });
    const original = await openDataKey(store, secrets, newDeviceKey());

    const outcome = await openDataKey(store, secrets, newDeviceKey());

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'device_key_changed' });
    expect(outcome.dataKey.equals(original.dataKey)).toBe(false);
  });

  it('replaces the key when the keychain now reports another backend', async () => {
    const store = memoryStore();
    const { secrets, state } = fakeKeychain({ backend: 'gnome_libsecret' });
    const deviceKey = newDeviceKey();
    const original = await openDataKey(store, secrets, deviceKey);
    state.backend = 'basic_text';

    const outcome = await openDataKey(store, secrets, deviceKey);

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'keychain_changed' });
    expect(outcome.dataKey.equals(original.dataKey)).toBe(false);
    expect(store.get('cacheKey')).toMatchObject({ keychainBackend: 'basic_text' });
  });

  it('replaces the key when the keychain can no longer decrypt it', async () => {
    const store = memoryStore();
    const { secrets, state } = fakeKeychain();
    const deviceKey = newDeviceKey();
    const original = await openDataKey(store, secrets, deviceKey);
    state.decryptThrows = true;

    const outcome = await openDataKey(store, secrets, deviceKey);

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'keychain_changed' });
    expect(outcome.dataKey.equals(original.dataKey)).toBe(false);
  });

  it.each([
    ['a string', 'not json at all'],
    ['a wrong version', { version: 2, keychainBackend: 'gnome_libsecret', salt: 'AAAA', sealed: 'AAAA' }],
    ['a missing field', { version: 1, keychainBackend: 'gnome_libsecret', salt: 'AAAA' }],
    [
      'non-base64 sealed bytes',
      { version: 1, keychainBackend: 'gnome_libsecret', salt: 'AAAA', sealed: '!!' },
    ],
  ])('replaces a corrupt stored key (%s)', async (_label, garbage) => {
    const store = memoryStore();
    store.set('cacheKey', garbage);

    const outcome = await openDataKey(store, fakeKeychain().secrets, newDeviceKey());

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'corrupt' });
    expect(outcome.dataKey).toHaveLength(32);
    expect(store.get('cacheKey')).toMatchObject({ version: 1 });
  });

  it('treats a sealed value of the wrong length as corrupt', async () => {
    const store = memoryStore();
    const { secrets } = fakeKeychain();
    const deviceKey = newDeviceKey();
    await openDataKey(store, secrets, deviceKey);
    const stored = store.get('cacheKey') as Record<string, unknown>;
    store.set('cacheKey', { ...stored, sealed: Buffer.from('short').toString('base64') });

    const outcome = await openDataKey(store, secrets, deviceKey);

    expect(outcome).toMatchObject({ status: 'replaced', reason: 'corrupt' });
  });

  it('rejects with cache_unavailable, storing nothing, when the keychain is not available', async () => {
    const store = memoryStore();

    await expect(
      openDataKey(store, fakeKeychain({ available: false }).secrets, newDeviceKey()),
    ).rejects.toMatchObject({ name: 'ParleyError', code: 'cache_unavailable' });
    expect(store.raw()).toBeUndefined();
  });

  it('rejects with cache_unavailable when the keychain refuses to encrypt', async () => {
    const { secrets } = fakeKeychain();
    secrets.encrypt = async () => {
      throw new Error('keychain is locked');
    };

    await expect(openDataKey(memoryStore(), secrets, newDeviceKey())).rejects.toMatchObject({
      code: 'cache_unavailable',
    });
  });

  it('rejects with cache_unavailable when the device key is malformed', async () => {
    await expect(openDataKey(memoryStore(), fakeKeychain().secrets, 'too-short')).rejects.toMatchObject({
      code: 'cache_unavailable',
    });
  });

  it.each([
    ['behind the keychain', false],
    ['even when the keychain layer hides nothing', true],
  ])('never stores the data key or the device key in plain, %s', async (_label, passThrough) => {
    const store = memoryStore();
    const deviceKeyBytes = randomBytes(32);
    const deviceKey = deviceKeyBytes.toString('base64url');

    const { dataKey } = await openDataKey(store, fakeKeychain({ passThrough }).secrets, deviceKey);

    const stored = store.raw() ?? '';
    const sealed = Buffer.from(String((JSON.parse(stored) as Record<string, unknown>).sealed), 'base64');
    for (const secret of [dataKey, deviceKeyBytes]) {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(stored).not.toContain(secret.toString(encoding));
      }
      expect(sealed.includes(secret)).toBe(false);
    }
  });

  it('is created afresh after it was forgotten', async () => {
    const store = memoryStore();
    const { secrets } = fakeKeychain();
    const deviceKey = newDeviceKey();
    const original = await openDataKey(store, secrets, deviceKey);

    forgetDataKey(store);
    expect(store.raw()).toBeUndefined();
    const outcome = await openDataKey(store, secrets, deviceKey);

    expect(outcome.status).toBe('created');
    expect(outcome.dataKey.equals(original.dataKey)).toBe(false);
  });
});
