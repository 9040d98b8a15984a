import { describe, expect, it } from 'vitest';
import { randomToken, sameText, sha256 } from '../../../server/auth/tokens';

describe('randomToken', () => {
  it('encodes 32 random bytes as base64url by default', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
  });

  it('honours the requested size', () => {
    expect(Buffer.from(randomToken(16), 'base64url')).toHaveLength(16);
  });

  it('never repeats itself', () => {
    const tokens = new Set(Array.from({ length: 100 }, () => randomToken()));
    expect(tokens.size).toBe(100);
  });
});

describe('sha256', () => {
  it('gives the standard hex digest', () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes text as UTF-8', () => {
    // The digest of the bytes c3 a9; as Latin-1 (the single byte e9) it would be de2e331d….
    expect(sha256('é')).toBe('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});

describe('sameText', () => {
  it('is true only for identical text', () => {
    expect(sameText('secret', 'secret')).toBe(true);
    expect(sameText('secret', 'secreT')).toBe(false);
    expect(sameText('', '')).toBe(true);
  });

  it('is false, not an error, when the lengths differ', () => {
    expect(sameText('secret', 'secrets')).toBe(false);
    expect(sameText('', 'x')).toBe(false);
  });

  it('compares bytes, so text of equal length in characters but not in bytes differs', () => {
    expect(sameText('é', 'e')).toBe(false);
  });
});
