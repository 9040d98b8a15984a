import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { ParleyError } from '../../protocol/errors';
import { commonPasswords } from './common-passwords';
import { randomToken } from './tokens';

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's scrypt minimum (N=2^15, r=8, p=3): 32 MiB per hash, p=3 triples the work instead of the
 * memory. Raise them as hardware allows: needsRehash upgrades each stored hash at its owner's next login.
 */
export const defaultScryptParams: ScryptParams = { N: 2 ** 15, r: 8, p: 3 };

const saltBytes = 16;
const keyBytes = 64;

/**
 * Bounds for parameters read back from storage. A tampered row must not make one login attempt
 * allocate gigabytes or run for minutes; real parameters stay far below these.
 */
const maxScryptMemoryBytes = 1024 ** 3;
const maxParallelism = 16;

interface StoredHash {
  params: ScryptParams;
  salt: Buffer;
  key: Buffer;
}

function scryptMemoryBytes({ N, r }: ScryptParams): number {
  return 128 * N * r;
}

function deriveKey(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options = {
    ...params,
    // Node's 32 MiB default is just short of what N=2^15, r=8 needs; twice the working set
    // leaves room and keeps working when the parameters are raised.
    maxmem: 2 * scryptMemoryBytes(params),
  };
  // NFKC so the same password typed on different keyboards or systems (composed vs decomposed
  // accents, full-width digits) derives the same key, as NIST SP 800-63B recommends.
  const normalised = password.normalize('NFKC');
  // Not util.promisify: its typings resolve to the overload without options.
  return new Promise((resolve, reject) => {
    scrypt(normalised, salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encode({ params, salt, key }: StoredHash): string {
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

function isPlausible(params: ScryptParams): boolean {
  const { N, r, p } = params;
  const powerOfTwo = N >= 2 && Number.isInteger(Math.log2(N));
  return (
    powerOfTwo && r >= 1 && p >= 1 && p <= maxParallelism && scryptMemoryBytes(params) <= maxScryptMemoryBytes
  );
}

function decode(encoded: string): StoredHash | null {
  const match = /^scrypt\$(\d{1,10})\$(\d{1,10})\$(\d{1,10})\$([\w-]+)\$([\w-]+)$/.exec(encoded);
  if (match === null) return null;
  const [, N = '', r = '', p = '', salt = '', key = ''] = match;
  const params = { N: Number(N), r: Number(r), p: Number(p) };
  const keyBuffer = Buffer.from(key, 'base64url');
  if (!isPlausible(params) || keyBuffer.length !== keyBytes) return null;
  return { params, salt: Buffer.from(salt, 'base64url'), key: keyBuffer };
}

export async function hashPassword(
  password: string,
  params: ScryptParams = defaultScryptParams,
): Promise<string> {
  const salt = randomBytes(saltBytes);
  const key = await deriveKey(password, salt, params);
  return encode({ params, salt, key });
}

/** Never throws: a malformed stored hash is treated as a password that cannot match. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const stored = decode(encoded);
  if (stored === null) return false;
  const key = await deriveKey(password, stored.salt, stored.params);
  return timingSafeEqual(key, stored.key);
}

/** After a successful login, tells whether to store a fresh hash with today's parameters. */
export function needsRehash(encoded: string, params: ScryptParams = defaultScryptParams): boolean {
  const stored = decode(encoded);
  if (stored === null) return true;
  const { N, r, p } = stored.params;
  return N < params.N || r < params.r || p < params.p;
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random password, computed once lazily, used to spend equal time when the user does not exist. */
export async function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
}

export interface PasswordPolicy {
  minLength: number;
}

export const defaultPasswordPolicy: PasswordPolicy = { minLength: 12 };

/** Long enough for any passphrase; the cap only stops pathological input. */
const maxPasswordLength = 1024;

/** Characters as people count them: an emoji or an accented letter is one, not two UTF-16 units. */
function characterCount(text: string): number {
  return [...text].length;
}

/**
 * Throws ParleyError('password_policy', <human message>) when too short, longer than 1024 chars, on
 * the common list (case-insensitive), or equal to/containing the username (case-insensitive, only
 * when username length >= 3).
 */
export function checkPasswordPolicy(
  password: string,
  context: { username: string },
  policy: PasswordPolicy = defaultPasswordPolicy,
): void {
  const length = characterCount(password);
  if (length < policy.minLength) {
    throw new ParleyError('password_policy', `Use at least ${policy.minLength} characters.`);
  }
  if (length > maxPasswordLength) {
    throw new ParleyError('password_policy', `Use at most ${maxPasswordLength} characters.`);
  }
  const lowered = password.toLowerCase();
  if (commonPasswords.has(lowered)) {
    throw new ParleyError('password_policy', 'This password is one of the most common ones; choose another.');
  }
  // Shorter usernames ("al") occur inside too many honest passwords to be worth refusing.
  const username = context.username.toLowerCase();
  if (characterCount(username) >= 3 && lowered.includes(username)) {
    throw new ParleyError('password_policy', 'The password must not contain the username.');
  }
}
