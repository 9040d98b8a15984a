import { describe, expect, it } from 'vitest';
import {
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  normaliseRecoveryCode,
  recoveryCodeCount,
} from '../../../server/auth/recovery-codes';
import { sha256 } from '../../../server/auth/tokens';

const format = /^[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}-[2-9a-km-np-z]{4}$/;

describe('newRecoveryCodes', () => {
  it('makes ten codes in three dash-separated groups of four', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(recoveryCodeCount);
    expect(recoveryCodeCount).toBe(10);
    for (const code of codes) expect(code).toMatch(format);
  });

  it('makes as many codes as asked', () => {
    expect(newRecoveryCodes(3)).toHaveLength(3);
    expect(newRecoveryCodes(0)).toEqual([]);
  });

  it('never uses characters people confuse (0/o, 1/l)', () => {
    const characters = newRecoveryCodes(200).join('');
    expect(characters).not.toMatch(/[01lo]/);
  });

  it('draws from a 32-symbol alphabet, i.e. 60 bits per code', () => {
    // 2,400 draws from 32 symbols: the chance that one of them never shows up is about 1e-31.
    const symbols = new Set(newRecoveryCodes(200).join('').replace(/-/g, ''));
    expect(symbols.size).toBe(32);
  });

  it('does not repeat codes', () => {
    const codes = newRecoveryCodes(1000);
    expect(new Set(codes).size).toBe(1000);
  });
});

describe('normaliseRecoveryCode', () => {
  it('lowercases and drops spaces and dashes, as people retype codes loosely', () => {
    expect(normaliseRecoveryCode('K7Q2-M9XD-4HPA')).toBe('k7q2m9xd4hpa');
    expect(normaliseRecoveryCode(' k7q2 m9xd\t4hpa ')).toBe('k7q2m9xd4hpa');
    expect(normaliseRecoveryCode('k7q2m9xd4hpa')).toBe('k7q2m9xd4hpa');
  });
});

describe('hashRecoveryCode', () => {
  it('is the SHA-256 of the normalised code', () => {
    expect(hashRecoveryCode('k7q2-m9xd-4hpa')).toBe(sha256('k7q2m9xd4hpa'));
  });

  it('gives the same hash however the code was typed', () => {
    const stored = hashRecoveryCode('k7q2-m9xd-4hpa');
    expect(hashRecoveryCode('K7Q2 M9XD 4HPA')).toBe(stored);
    expect(hashRecoveryCode('k7q2m9xd4hpa')).toBe(stored);
  });

  it('gives different hashes for different codes', () => {
    expect(hashRecoveryCode('k7q2-m9xd-4hpa')).not.toBe(hashRecoveryCode('k7q2-m9xd-4hpb'));
  });
});

describe('looksLikeRecoveryCode', () => {
  it('recognises fresh codes in any typing', () => {
    const [code = ''] = newRecoveryCodes(1);
    expect(looksLikeRecoveryCode(code)).toBe(true);
    expect(looksLikeRecoveryCode(code.toUpperCase())).toBe(true);
    expect(looksLikeRecoveryCode(code.replace(/-/g, ' '))).toBe(true);
  });

  it('tells a TOTP code apart', () => {
    expect(looksLikeRecoveryCode('123456')).toBe(false);
    expect(looksLikeRecoveryCode('123 456')).toBe(false);
  });

  it('refuses wrong lengths and characters outside the alphabet', () => {
    expect(looksLikeRecoveryCode('k7q2-m9xd-4hp')).toBe(false);
    expect(looksLikeRecoveryCode('k7q2-m9xd-4hpaa')).toBe(false);
    expect(looksLikeRecoveryCode('k7q2-m9xd-4hp0')).toBe(false);
    expect(looksLikeRecoveryCode('k7q2-m9xd-4hp!')).toBe(false);
    expect(looksLikeRecoveryCode('')).toBe(false);
  });
});
