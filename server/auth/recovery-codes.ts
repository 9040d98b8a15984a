import { randomInt } from 'node:crypto';
import { sha256 } from './tokens';

export const recoveryCodeCount = 10;

/**
 * 32 symbols, so each carries exactly 5 bits: digits and lowercase letters without 0, 1, l and o,
 * which people misread for one another when copying codes from paper.
 */
const alphabet = '23456789abcdefghijkmnpqrstuvwxyz';
const groupLength = 4;
const groupCount = 3;
/** 12 symbols x 5 bits = 60 bits: far beyond online guessing, which rate limiting caps anyway. */
const codeLength = groupLength * groupCount;
const codePattern = new RegExp(`^[${alphabet}]{${codeLength}}$`);

function randomGroup(): string {
  return Array.from({ length: groupLength }, () => alphabet[randomInt(alphabet.length)]).join('');
}

function newRecoveryCode(): string {
  return Array.from({ length: groupCount }, randomGroup).join('-');
}

/** Codes formatted like 'k7q2-m9xd-4hpa', to be shown to the operator once and stored only hashed. */
export function newRecoveryCodes(count = recoveryCodeCount): string[] {
  return Array.from({ length: count }, newRecoveryCode);
}

/** People retype codes with capitals, spaces or without the dashes; all mean the same code. */
export function normaliseRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256(normaliseRecoveryCode(code));
}

/** Tells a recovery code from a 6-digit TOTP code typed into the same login field. */
export function looksLikeRecoveryCode(input: string): boolean {
  return codePattern.test(normaliseRecoveryCode(input));
}
