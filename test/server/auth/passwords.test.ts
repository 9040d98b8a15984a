import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../../protocol/errors';
import { commonPasswords } from '../../../server/auth/common-passwords';
import {
  checkPasswordPolicy,
  defaultPasswordPolicy,
  defaultScryptParams,
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  verifyPassword,
  type ScryptParams,
} from '../../../server/auth/passwords';

/** Cheap parameters so the suite stays fast; the default ones are exercised once. */
const fast: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

function parts(encoded: string): string[] {
  return encoded.split('$');
}

describe('hashPassword and verifyPassword', () => {
  it('verify the right password and refuse a wrong one', async () => {
    const encoded = await hashPassword('correct horse battery', fast);
    expect(await verifyPassword('correct horse battery', encoded)).toBe(true);
    expect(await verifyPassword('correct horse batterY', encoded)).toBe(false);
    expect(await verifyPassword('', encoded)).toBe(false);
  });

  it('store the algorithm, parameters, salt and a 64-byte key', async () => {
    const [algorithm, N, r, p, salt = '', key = '', ...rest] = parts(await hashPassword('pw', fast));
    expect([algorithm, N, r, p]).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(salt, 'base64url')).toHaveLength(16);
    expect(Buffer.from(key, 'base64url')).toHaveLength(64);
    expect(rest).toEqual([]);
  });

  it('salt every hash, so equal passwords do not give equal hashes', async () => {
    const first = await hashPassword('same password', fast);
    const second = await hashPassword('same password', fast);
    expect(parts(first)[4]).not.toBe(parts(second)[4]);
    expect(first).not.toBe(second);
    expect(await verifyPassword('same password', second)).toBe(true);
  });

  it('use OWASP’s scrypt minimum (N=2^15, r=8, p=3) unless told otherwise', async () => {
    expect(defaultScryptParams).toEqual({ N: 2 ** 15, r: 8, p: 3 });
    const encoded = await hashPassword('default parameters');
    expect(parts(encoded).slice(0, 4)).toEqual(['scrypt', '32768', '8', '3']);
    expect(await verifyPassword('default parameters', encoded)).toBe(true);
  });

  it('verify with the parameters stored in the hash, not the current ones', async () => {
    const encoded = await hashPassword('older hash', { N: 2 ** 11, r: 4, p: 2 });
    expect(await verifyPassword('older hash', encoded)).toBe(true);
  });

  it('treat the same password in another Unicode form as the same', async () => {
    const composed = 'Caf\u00e9 au lait 42';
    const decomposed = 'Cafe\u0301 au lait 42';
    expect(composed).not.toBe(decomposed);
    expect(await verifyPassword(decomposed, await hashPassword(composed, fast))).toBe(true);
  });

  it('detect a tampered key', async () => {
    const encoded = await hashPassword('pw', fast);
    const key = Buffer.from(parts(encoded)[5] ?? '', 'base64url');
    key[0] = (key[0] ?? 0) ^ 1;
    const tampered = [...parts(encoded).slice(0, 5), key.toString('base64url')].join('$');
    expect(await verifyPassword('pw', tampered)).toBe(false);
  });

  describe('refuse, without throwing, a malformed stored hash', () => {
    // Each case damages a hash that verifies, so a refusal can only come from the damage.
    const intact = hashPassword('pw', fast);

    it('(the intact hash verifies)', async () => {
      expect(await verifyPassword('pw', await intact)).toBe(true);
    });

    type Damage = (fields: { salt: string; key: string; encoded: string }) => string;
    it.each<[string, Damage]>([
      ['empty', () => ''],
      ['another algorithm', ({ salt, key }) => `bcrypt$1024$8$1$${salt}$${key}`],
      ['a missing field', ({ salt, key }) => `scrypt$1024$8$${salt}$${key}`],
      ['an extra field', ({ encoded }) => `${encoded}$x`],
      ['N not a power of two', ({ salt, key }) => `scrypt$1000$8$1$${salt}$${key}`],
      ['N of one', ({ salt, key }) => `scrypt$1$8$1$${salt}$${key}`],
      ['r of zero', ({ salt, key }) => `scrypt$1024$0$1$${salt}$${key}`],
      ['p of zero', ({ salt, key }) => `scrypt$1024$8$0$${salt}$${key}`],
      ['a negative parameter', ({ salt, key }) => `scrypt$-1024$8$1$${salt}$${key}`],
      ['absurd memory cost', ({ salt, key }) => `scrypt$${2 ** 30}$8$1$${salt}$${key}`],
      ['absurd parallelism', ({ salt, key }) => `scrypt$1024$8$1000000$${salt}$${key}`],
      ['a truncated key', ({ salt, key }) => `scrypt$1024$8$1$${salt}$${key.slice(0, 43)}`],
      ['characters outside base64url', ({ salt, key }) => `scrypt$1024$8$1$${salt}$${key}==`],
      ['an empty salt', ({ key }) => `scrypt$1024$8$1$$${key}`],
    ])('%s', async (_case, damage) => {
      const encoded = await intact;
      const [, , , , salt = '', key = ''] = parts(encoded);
      await expect(verifyPassword('pw', damage({ salt, key, encoded }))).resolves.toBe(false);
    });
  });
});

describe('needsRehash', () => {
  it('is false for a hash made with the current parameters', async () => {
    expect(needsRehash(await hashPassword('pw', fast), fast)).toBe(false);
  });

  it('is true when any stored parameter is weaker than the current ones', async () => {
    const encoded = await hashPassword('pw', fast);
    expect(needsRehash(encoded, { ...fast, N: 2 ** 11 })).toBe(true);
    expect(needsRehash(encoded, { ...fast, r: 16 })).toBe(true);
    expect(needsRehash(encoded, { ...fast, p: 2 })).toBe(true);
  });

  it('is false when the stored parameters are stronger', async () => {
    expect(needsRehash(await hashPassword('pw', { N: 2 ** 11, r: 8, p: 2 }), fast)).toBe(false);
  });

  it('compares against the default parameters unless told otherwise', async () => {
    expect(needsRehash(await hashPassword('pw', fast))).toBe(true);
    const key = Buffer.alloc(64).toString('base64url');
    expect(needsRehash(`scrypt$32768$8$3$${'A'.repeat(22)}$${key}`)).toBe(false);
    // Hashes made with the earlier p=1 default are upgraded at the next login.
    expect(needsRehash(`scrypt$32768$8$1$${'A'.repeat(22)}$${key}`)).toBe(true);
  });

  it('is true for a hash it cannot read, which should be replaced', () => {
    expect(needsRehash('not a hash')).toBe(true);
  });
});

describe('dummyPasswordHash', () => {
  it('is one well-formed default-strength hash, reused across calls', async () => {
    const first = await dummyPasswordHash();
    expect(await dummyPasswordHash()).toBe(first);
    expect(needsRehash(first)).toBe(false);
    // Verifying against it costs a real scrypt run and never succeeds for a guessable password.
    expect(await verifyPassword('', first)).toBe(false);
  });
});

describe('checkPasswordPolicy', () => {
  const alice = { username: 'alice' };

  function policyFailure(password: string, context = alice, policy = defaultPasswordPolicy): ParleyError {
    try {
      checkPasswordPolicy(password, context, policy);
    } catch (error) {
      if (error instanceof ParleyError) return error;
      throw error;
    }
    throw new Error(`"${password}" was accepted`);
  }

  it('accepts a long, uncommon password', () => {
    expect(() => checkPasswordPolicy('violet tractor sings loudly', alice)).not.toThrow();
  });

  it('requires 12 characters by default', () => {
    expect(defaultPasswordPolicy.minLength).toBe(12);
    const error = policyFailure('x7#kq9!mz2w');
    expect(error.code).toBe('password_policy');
    expect(error.message).toMatch(/12 characters/);
    expect(() => checkPasswordPolicy('x7#kq9!mz2wv', alice)).not.toThrow();
  });

  it('honours a stricter minimum', () => {
    const policy = { minLength: 16 };
    expect(policyFailure('x7#kq9!mz2wv3pt', alice, policy).message).toMatch(/16 characters/);
    expect(() => checkPasswordPolicy('x7#kq9!mz2wv3ptr', alice, policy)).not.toThrow();
  });

  it('counts characters, not UTF-16 units', () => {
    // Eleven emoji are 22 UTF-16 units but only eleven characters.
    expect(policyFailure('🔑'.repeat(11)).code).toBe('password_policy');
    expect(() => checkPasswordPolicy('🔑'.repeat(12), alice)).not.toThrow();
  });

  it('refuses more than 1024 characters', () => {
    expect(() => checkPasswordPolicy('x'.repeat(1024), alice)).not.toThrow();
    const error = policyFailure('x'.repeat(1025));
    expect(error.code).toBe('password_policy');
    expect(error.message).toMatch(/1024/);
  });

  it.each(['password1234', 'qwertyuiop123', '123456789012', 'iloveyou1234', 'PassWord1234', 'QWERTYUIOP123'])(
    'refuses the common password %j whatever its case',
    (password) => {
      const error = policyFailure(password);
      expect(error.code).toBe('password_policy');
      expect(error.message).toMatch(/common/);
    },
  );

  it('refuses the username itself and passwords containing it, whatever the case', () => {
    const context = { username: 'Margaret' };
    for (const password of ['margaretmargaret', 'my name is MARGARET', 'xx-margaret-xx']) {
      const error = policyFailure(password, context);
      expect(error.code).toBe('password_policy');
      expect(error.message).toMatch(/username/);
    }
    expect(policyFailure('verylongusername', { username: 'VeryLongUsername' }).message).toMatch(/username/);
  });

  it('allows passwords containing a username shorter than three characters', () => {
    expect(() => checkPasswordPolicy('almost any phrase', { username: 'al' })).not.toThrow();
  });
});

describe('commonPasswords', () => {
  it('holds a few hundred lowercase entries, including ones long enough to pass the length rule', () => {
    expect(commonPasswords.size).toBeGreaterThanOrEqual(300);
    for (const password of commonPasswords) expect(password).toBe(password.toLowerCase());
    const longEnough = [...commonPasswords].filter((password) => password.length >= 12);
    expect(longEnough.length).toBeGreaterThanOrEqual(50);
    expect(commonPasswords.has('')).toBe(false);
  });
});
