import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * The bytes of one cache record file: magic 'PRC1' || iv (12) || ciphertext || tag (16), sealed with
 * AES-256-GCM. The associated data names the record's kind and id, so a file copied over another
 * record's file, or into another kind's folder, fails authentication.
 */

export type OpenedRecordFile =
  { ok: true; plaintext: Buffer } | { ok: false; reason: 'truncated' | 'tampered' };

const magic = Buffer.from('PRC1', 'latin1');
const ivLength = 12;
const tagLength = 16;
const minimumLength = magic.length + ivLength + tagLength;

export function sealRecordFile(key: Buffer, kind: string, id: string, plaintext: Buffer): Buffer {
  const iv = randomBytes(ivLength);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagLength });
  cipher.setAAD(associatedData(kind, id));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([magic, iv, ciphertext, cipher.getAuthTag()]);
}

export function openRecordFile(key: Buffer, kind: string, id: string, file: Buffer): OpenedRecordFile {
  const parts = splitRecordFile(file);
  if (parts === undefined) return { ok: false, reason: 'truncated' };
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: tagLength });
  decipher.setAAD(associatedData(kind, id));
  decipher.setAuthTag(parts.tag);
  try {
    return { ok: true, plaintext: Buffer.concat([decipher.update(parts.ciphertext), decipher.final()]) };
  } catch {
    return { ok: false, reason: 'tampered' };
  }
}

/**
 * Decrypts WITHOUT checking the tag. Only for learning which id a file claims when listing a folder
 * (the id is needed for the associated data); nothing read here may be trusted until
 * openRecordFile has authenticated the file under that id.
 */
export function peekRecordFile(key: Buffer, file: Buffer): OpenedRecordFile {
  const parts = splitRecordFile(file);
  if (parts === undefined) return { ok: false, reason: 'truncated' };
  const decipher = createDecipheriv('aes-256-gcm', key, parts.iv, { authTagLength: tagLength });
  return { ok: true, plaintext: decipher.update(parts.ciphertext) };
}

function splitRecordFile(file: Buffer) {
  if (file.length < minimumLength || !file.subarray(0, magic.length).equals(magic)) return undefined;
  const ciphertextStart = magic.length + ivLength;
  return {
    iv: file.subarray(magic.length, ciphertextStart),
    ciphertext: file.subarray(ciphertextStart, file.length - tagLength),
    tag: file.subarray(file.length - tagLength),
  };
}

function associatedData(kind: string, id: string): Buffer {
  return Buffer.from(`parley-cache:v1:${kind}:${id}`, 'utf8');
}
