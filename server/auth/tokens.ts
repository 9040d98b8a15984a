import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** An unguessable token (session ids, invitation links); 32 bytes = 256 bits by default. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Hex SHA-256: tokens are stored only as their hash, so a database leak yields nothing usable. */
export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Compares secrets without leaking, through timing, how many leading characters matched.
 * The length itself is not secret for anything we compare (hashes, fixed-size codes).
 */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
