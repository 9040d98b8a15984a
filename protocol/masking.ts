import { z } from 'zod';
import { prechatFieldNames, type PrechatFieldName } from './visitor-socket';

/**
 * Masking rules: per group and visitor field, what operators see of a value. The server applies
 * them before anything leaves it, so a masked value is never on an operator's wire or disk; a role
 * with `visitor.reveal` can ask for one value of one chat, with a reason, and the desktop forgets it
 * again after `revealSeconds`.
 */

export const maskModes = ['show', 'partial', 'hidden'] as const;
export const maskModeSchema = z.enum(maskModes);
export type MaskMode = z.infer<typeof maskModeSchema>;

export const maskingRulesSchema = z.strictObject({
  name: maskModeSchema,
  email: maskModeSchema,
  phone: maskModeSchema,
  company: maskModeSchema,
  custom: maskModeSchema,
} satisfies Record<PrechatFieldName, typeof maskModeSchema>);
export type MaskingRules = z.infer<typeof maskingRulesSchema>;

export const defaultMaskingRules: MaskingRules = {
  name: 'show',
  email: 'show',
  phone: 'show',
  company: 'show',
  custom: 'show',
};

/** How long a revealed value stays on the operator's screen. */
export const revealSeconds = 5 * 60;

export const maskBullets = '•••';

/** What a chat is called when the visitor's name is hidden or was not given. */
export const anonymousVisitorName = 'Visitor';

/** "Max Mustermann" → "M••• M•••". */
function partialWords(value: string): string {
  return value
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .map((word) => `${Array.from(word)[0] ?? ''}${maskBullets}`)
    .join(' ');
}

/** "max@example.de" → "m•••@e•••.de": enough to tell two addresses apart, not to write to one. */
function partialEmail(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 1) return partialWords(value);
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const host = dot > 0 ? domain.slice(0, dot) : domain;
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${local[0] ?? ''}${maskBullets}@${host[0] ?? ''}${maskBullets}${tld}`;
}

/** "+49 170 1234512" → "+49 ••• ••• 12": the country and the last two digits, to match a caller. */
function partialPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  const country =
    /^\s*\+(\d{1,3})(?:[\s\-./()]|$)/.exec(value)?.[1] ??
    (value.trim().startsWith('+') ? digits.slice(0, 2) : '');
  const rest = digits.slice(country.length);
  const last = rest.length >= 6 ? rest.slice(-2) : '';
  return [country ? `+${country}` : '', maskBullets, maskBullets, last].filter(Boolean).join(' ');
}

/** The value as the mode lets operators see it; null when hidden or empty. */
export function maskValue(
  field: PrechatFieldName,
  value: string | null | undefined,
  mode: MaskMode,
): string | null {
  const given = value?.trim();
  if (!given) return null;
  if (mode === 'show') return given;
  if (mode === 'hidden') return null;
  if (field === 'email') return partialEmail(given);
  if (field === 'phone') return partialPhone(given);
  return partialWords(given);
}

export type FieldValues = Partial<Record<PrechatFieldName, string | null | undefined>>;

/** What operators see of one chat's visitor under the rules; every text about the chat goes through it. */
export interface VisitorMask {
  fields: Record<PrechatFieldName, string | null>;
  /** Fields with a value the rules shorten or hide: what a reveal can show. */
  masked: PrechatFieldName[];
  /** The chat's name: the (partial) name, or "Visitor" when hidden or not given. */
  displayName: string;
  /** Replaces every masked value in a text (a message, a subject) by what operators may see of it. */
  redact(text: string): string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Values shorter than this are not searched for in texts: "Al" would mask half the alphabet. */
const minRedactedLength = 3;

export function visitorMask(rules: MaskingRules, values: FieldValues): VisitorMask {
  const fields = {} as Record<PrechatFieldName, string | null>;
  const masked: PrechatFieldName[] = [];
  const replacements: [RegExp, string][] = [];
  for (const field of prechatFieldNames) {
    const raw = values[field]?.trim() ?? '';
    const shown = maskValue(field, raw, rules[field]);
    fields[field] = shown;
    if (raw === '' || rules[field] === 'show') continue;
    masked.push(field);
    if (raw.length >= minRedactedLength) {
      replacements.push([new RegExp(escapeRegExp(raw), 'giu'), shown ?? maskBullets]);
    }
  }
  // Longest first, so a name inside an email address does not break the address's replacement.
  replacements.sort((a, b) => b[0].source.length - a[0].source.length);
  return {
    fields,
    masked,
    displayName: fields.name ?? anonymousVisitorName,
    redact: (text) =>
      replacements.reduce(
        (result, [pattern, replacement]) => result.replace(pattern, () => replacement),
        text,
      ),
  };
}
