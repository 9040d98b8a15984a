import { describe, expect, it } from 'vitest';
import {
  checkTotp,
  newTotpSecret,
  stepOf,
  totpCode,
  totpStepSeconds,
  totpUri,
} from '../../../server/auth/totp';

/** RFC 6238 Appendix B: the ASCII secret "12345678901234567890", base32-encoded. */
const rfcSecret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

/** Appendix B's SHA-1 rows: Unix time in seconds → 8-digit TOTP. Ours are their last 6 digits. */
const rfcVectors: [seconds: number, eightDigits: string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

const secret = rfcSecret;
const now = 1_700_000_015_000; // 15 s into a step, so ±1 step is clearly a whole step away
const stepMs = totpStepSeconds * 1000;
const currentStep = stepOf(now);

function codeAtStepOffset(offset: number): string {
  return totpCode(secret, now + offset * stepMs);
}

describe('totpCode', () => {
  it.each(rfcVectors)('matches RFC 6238 at %i s', (seconds, eightDigits) => {
    expect(totpCode(rfcSecret, seconds * 1000)).toBe(eightDigits.slice(-6));
  });

  it('is the same throughout a step and changes with the next', () => {
    const stepStart = currentStep * stepMs;
    expect(totpCode(secret, stepStart)).toBe(totpCode(secret, stepStart + stepMs - 1));
    expect(totpCode(secret, stepStart)).not.toBe(totpCode(secret, stepStart + stepMs));
  });
});

describe('stepOf', () => {
  it('counts whole 30-second steps since the epoch', () => {
    expect(stepOf(0)).toBe(0);
    expect(stepOf(29_999)).toBe(0);
    expect(stepOf(30_000)).toBe(1);
    expect(stepOf(59_000)).toBe(1);
    expect(stepOf(1_111_111_109_000)).toBe(37037036);
  });
});

describe('newTotpSecret', () => {
  it('is 160 random bits in base32', () => {
    const fresh = newTotpSecret();
    // 20 bytes = 160 bits = exactly 32 base32 characters, no padding.
    expect(fresh).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(fresh);
  });

  it('works with the code functions', () => {
    const fresh = newTotpSecret();
    expect(checkTotp(fresh, totpCode(fresh, now), now, null)).toEqual({ ok: true, step: currentStep });
  });
});

describe('totpUri', () => {
  it('describes the secret for authenticator apps, with Parley as the default issuer', () => {
    // No algorithm, digits or period parameters: absent, they mean SHA-1, 6 digits, 30 s to every app.
    expect(totpUri(rfcSecret, 'alice@example.com')).toBe(
      `otpauth://totp/Parley:alice%40example.com?secret=${rfcSecret}&issuer=Parley`,
    );
  });

  it('takes another issuer', () => {
    const uri = new URL(totpUri(rfcSecret, 'alice', 'Acme Support'));
    expect(decodeURIComponent(uri.pathname)).toBe('/Acme Support:alice');
    expect(uri.searchParams.get('issuer')).toBe('Acme Support');
    expect(uri.searchParams.get('secret')).toBe(rfcSecret);
  });
});

describe('checkTotp', () => {
  it('accepts the current code and reports its step', () => {
    expect(checkTotp(secret, codeAtStepOffset(0), now, null)).toEqual({ ok: true, step: currentStep });
  });

  it('accepts one step of clock drift either way', () => {
    expect(checkTotp(secret, codeAtStepOffset(-1), now, null)).toEqual({ ok: true, step: currentStep - 1 });
    expect(checkTotp(secret, codeAtStepOffset(1), now, null)).toEqual({ ok: true, step: currentStep + 1 });
  });

  it('refuses codes two steps away', () => {
    expect(checkTotp(secret, codeAtStepOffset(-2), now, null)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkTotp(secret, codeAtStepOffset(2), now, null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a wrong code', () => {
    const wrong = String((Number(codeAtStepOffset(0)) + 1) % 1_000_000).padStart(6, '0');
    const otherSteps = [-1, 1].map(codeAtStepOffset);
    expect(otherSteps).not.toContain(wrong); // else the premise does not hold
    expect(checkTotp(secret, wrong, now, null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses the right code for another secret', () => {
    const code = totpCode('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', now);
    expect([-1, 0, 1].map(codeAtStepOffset)).not.toContain(code); // else the premise does not hold
    expect(checkTotp(secret, code, now, null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a code from the step already used as a replay', () => {
    const code = codeAtStepOffset(0);
    const first = checkTotp(secret, code, now, null);
    expect(first).toEqual({ ok: true, step: currentStep });
    expect(checkTotp(secret, code, now + 5_000, currentStep)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('refuses a code older than the last used step as a replay', () => {
    expect(checkTotp(secret, codeAtStepOffset(-1), now, currentStep)).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('accepts a newer code after an older one was used', () => {
    expect(checkTotp(secret, codeAtStepOffset(1), now, currentStep)).toEqual({
      ok: true,
      step: currentStep + 1,
    });
    expect(checkTotp(secret, codeAtStepOffset(0), now, currentStep - 1)).toEqual({
      ok: true,
      step: currentStep,
    });
  });

  it('reads a code shared by two adjacent steps as the newer one, which may still be fresh', () => {
    // Found by search: with the RFC secret, steps 57766335 and 57766336 both give 251166.
    const [older, newer] = [57766335, 57766336];
    const inNewer = newer * stepMs + 1_000;
    expect(totpCode(secret, older * stepMs)).toBe('251166');
    expect(totpCode(secret, newer * stepMs)).toBe('251166');
    expect(checkTotp(secret, '251166', inNewer, null)).toEqual({ ok: true, step: newer });
    expect(checkTotp(secret, '251166', inNewer, older)).toEqual({ ok: true, step: newer });
    expect(checkTotp(secret, '251166', inNewer, newer)).toEqual({ ok: false, reason: 'replayed' });
  });

  it('ignores whitespace inside and around the code', () => {
    const code = codeAtStepOffset(0);
    const spaced = ` ${code.slice(0, 3)} ${code.slice(3)}\t`;
    expect(checkTotp(secret, spaced, now, null)).toEqual({ ok: true, step: currentStep });
  });

  it.each(['', '12345', '1234567', '12345a', '12-345', '١٢٣٤٥٦', '+12345', '123456\u0000'])(
    'refuses the malformed code %j',
    (code) => {
      expect(checkTotp(secret, code, now, null)).toEqual({ ok: false, reason: 'invalid' });
    },
  );

  it('works in the first step of the epoch, where there is no previous step', () => {
    expect(checkTotp(secret, totpCode(secret, 59_000), 10_000, null)).toEqual({ ok: true, step: 1 });
    expect(checkTotp(secret, totpCode(secret, 0), 10_000, null)).toEqual({ ok: true, step: 0 });
  });
});
