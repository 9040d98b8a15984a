import { generateSecret, generateSync, generateURI } from 'otplib';
import { sameText } from './tokens';

/** RFC 6238 as every authenticator app implements it: HMAC-SHA-1, 6 digits, 30-second steps. */
export const totpStepSeconds = 30;
const digits = 6;
const secretBytes = 20;

/** Steps accepted either side of the current one, for phones whose clocks drift. */
const driftSteps = 1;

/** Base32, 160 bits: the secret length RFC 4226 recommends for HMAC-SHA-1. */
export function newTotpSecret(): string {
  return generateSecret({ length: secretBytes });
}

/** The otpauth:// URI an authenticator app reads from the enrolment QR code. */
export function totpUri(secret: string, account: string, issuer = 'Parley'): string {
  return generateURI({ issuer, label: account, secret, algorithm: 'sha1', digits, period: totpStepSeconds });
}

export function stepOf(atMs: number): number {
  return Math.floor(atMs / 1000 / totpStepSeconds);
}

function codeForStep(secret: string, step: number): string {
  // otplib takes a time in seconds, not a step: ask for the step's first second.
  return generateSync({
    secret,
    epoch: step * totpStepSeconds,
    period: totpStepSeconds,
    digits,
    algorithm: 'sha1',
  });
}

/** The 6-digit code for the step containing atMs. */
export function totpCode(secret: string, atMs: number): string {
  return codeForStep(secret, stepOf(atMs));
}

function stepsAround(step: number): number[] {
  const steps: number[] = [];
  for (let candidate = step - driftSteps; candidate <= step + driftSteps; candidate++) {
    // otplib refuses times before 1970, which only the first step's predecessor would be.
    if (candidate >= 0) steps.push(candidate);
  }
  return steps;
}

export type TotpCheck = { ok: true; step: number } | { ok: false; reason: 'invalid' | 'replayed' };

/**
 * Accepts a code from the current step or one step either side (clock drift). Returns the matched step,
 * or a failure. A matched step <= lastUsedStep is a replay.
 */
export function checkTotp(
  secret: string,
  code: string,
  nowMs: number,
  lastUsedStep: number | null,
): TotpCheck {
  const typed = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(typed)) return { ok: false, reason: 'invalid' };
  // Every candidate is computed and compared, so timing does not reveal which step matched.
  const matched = stepsAround(stepOf(nowMs)).filter((step) => sameText(codeForStep(secret, step), typed));
  // Adjacent steps can share a code (one chance in a million); the newest reading is the one
  // that can still be fresh.
  const step = matched.at(-1);
  if (step === undefined) return { ok: false, reason: 'invalid' };
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}
