import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ParleyError } from '../../../protocol/errors';
import type { KeyValueStore, SecretStorage } from '../ports';

/**
 * The cache's data key is stored only wrapped twice in series: first with a key derived from the
 * device key the server releases after a full login, then by the OS keychain. Opening it needs both,
 * so neither a copied disk with the keychain's help nor a stolen device key alone reveals the cache.
 */

export type DataKeyOutcome =
  | { status: 'opened'; dataKey: Buffer }
  | { status: 'created'; dataKey: Buffer }
  | { status: 'replaced'; dataKey: Buffer; reason: ReplacementReason };

/** Why the stored key could not be used; the caller must wipe the records it encrypted. */
export type ReplacementReason = 'device_key_changed' | 'keychain_changed' | 'corrupt';

const storeKey = 'cacheKey';
const kdfInfo = 'parley cache key v1';
const dataKeyLength = 32;
const saltLength = 16;
const ivLength = 12;
const tagLength = 16;
const deviceKeyPattern = /^[A-Za-z0-9_-]{43}$/;

const storedKeySchema = z.strictObject({
  version: z.literal(1),
  keychainBackend: z.string(),
  salt: z.base64(),
  /** secrets.encrypt(iv || ciphertext || tag), the inner layer sealing the data key. */
  sealed: z.base64(),
});
type StoredKey = z.infer<typeof storedKeySchema>;

type Unwrapped = { ok: true; dataKey: Buffer } | { ok: false; reason: ReplacementReason };

/**
 * Opens (or creates) the cache data key. Throws ParleyError('cache_unavailable', …) when the keychain
 * is not available or the device key is malformed — Parley then runs without a cache.
 */
export async function openDataKey(
  store: KeyValueStore,
  secrets: SecretStorage,
  deviceKey: string,
): Promise<DataKeyOutcome> {
  if (!deviceKeyPattern.test(deviceKey)) {
    throw new ParleyError('cache_unavailable', 'The device key is malformed.');
  }
  if (!(await secrets.isAvailable())) {
    throw new ParleyError('cache_unavailable', 'The operating system keychain is not available.');
  }
  const stored = store.get(storeKey);
  if (stored === undefined) {
    return { status: 'created', dataKey: await createDataKey(store, secrets, deviceKey) };
  }
  const unwrapped = await unwrapDataKey(stored, secrets, deviceKey);
  if (unwrapped.ok) return { status: 'opened', dataKey: unwrapped.dataKey };
  const dataKey = await createDataKey(store, secrets, deviceKey);
  return { status: 'replaced', dataKey, reason: unwrapped.reason };
}

export function forgetDataKey(store: KeyValueStore): void {
  store.delete(storeKey);
}

async function createDataKey(store: KeyValueStore, secrets: SecretStorage, deviceKey: string) {
  const dataKey = randomBytes(dataKeyLength);
  const salt = randomBytes(saltLength);
  const inner = sealWithDeviceKey(dataKey, deviceKey, salt);
  let sealed: Buffer;
  try {
    sealed = await secrets.encrypt(inner);
  } catch {
    throw new ParleyError(
      'cache_unavailable',
      'The operating system keychain refused to store the cache key.',
    );
  }
  const record: StoredKey = {
    version: 1,
    keychainBackend: secrets.backend(),
    salt: salt.toString('base64'),
    sealed: sealed.toString('base64'),
  };
  store.set(storeKey, record);
  return dataKey;
}

async function unwrapDataKey(stored: unknown, secrets: SecretStorage, deviceKey: string): Promise<Unwrapped> {
  const parsed = storedKeySchema.safeParse(stored);
  if (!parsed.success) return { ok: false, reason: 'corrupt' };
  const { keychainBackend, salt, sealed } = parsed.data;
  // A different backend (say basic_text instead of libsecret) must not be trusted with the old secret.
  if (keychainBackend !== secrets.backend()) return { ok: false, reason: 'keychain_changed' };
  let inner: Buffer;
  try {
    inner = await secrets.decrypt(Buffer.from(sealed, 'base64'));
  } catch {
    return { ok: false, reason: 'keychain_changed' };
  }
  return openWithDeviceKey(inner, deviceKey, Buffer.from(salt, 'base64'));
}

function sealWithDeviceKey(dataKey: Buffer, deviceKey: string, salt: Buffer): Buffer {
  const kek = deriveKeyEncryptionKey(deviceKey, salt);
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', kek, iv, { authTagLength: tagLength });
  kek.fill(0);
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

function openWithDeviceKey(inner: Buffer, deviceKey: string, salt: Buffer): Unwrapped {
  if (inner.length !== ivLength + dataKeyLength + tagLength) return { ok: false, reason: 'corrupt' };
  const kek = deriveKeyEncryptionKey(deviceKey, salt);
  const decipher = createDecipheriv('aes-256-gcm', kek, inner.subarray(0, ivLength), {
    authTagLength: tagLength,
  });
  kek.fill(0);
  decipher.setAuthTag(inner.subarray(inner.length - tagLength));
  try {
    const ciphertext = inner.subarray(ivLength, inner.length - tagLength);
    return { ok: true, dataKey: Buffer.concat([decipher.update(ciphertext), decipher.final()]) };
  } catch {
    // The server revoked this device and released a new key; a keychain that hands back garbage
    // instead of throwing lands here too, and the remedy (a fresh key) is the same.
    return { ok: false, reason: 'device_key_changed' };
  }
}

function deriveKeyEncryptionKey(deviceKey: string, salt: Buffer): Buffer {
  const ikm = Buffer.from(deviceKey, 'base64url');
  const kek = Buffer.from(hkdfSync('sha256', ikm, salt, kdfInfo, dataKeyLength));
  ikm.fill(0);
  return kek;
}
