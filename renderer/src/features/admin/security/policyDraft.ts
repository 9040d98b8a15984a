import { parseCidr } from '../../../../../protocol/cidr';
import { securityPolicySchema, type SecurityPolicy } from '../../../../../protocol/operator-socket';
import { roles, type Role } from '../../../../../protocol/roles';

/** The policy as the form holds it: numbers as typed, proxies as the text of the box. */
export interface PolicyDraft {
  totpRequiredRoles: Role[];
  sessionIdleMinutes: string;
  sessionLifetimeHours: string;
  passwordMinLength: string;
  maxFailures: string;
  windowMinutes: string;
  lockMinutes: string;
  trustedProxies: string;
  addressPolicy: SecurityPolicy['addressPolicy'];
  honourDoNotTrack: boolean;
}

export type PolicyField = keyof PolicyDraft;

export type NumberField = Extract<
  PolicyField,
  | 'sessionIdleMinutes'
  | 'sessionLifetimeHours'
  | 'passwordMinLength'
  | 'maxFailures'
  | 'windowMinutes'
  | 'lockMinutes'
>;

/** Why a field's value is refused; the form words it. */
export type PolicyProblem =
  | { kind: 'range'; min: number; max: number }
  | { kind: 'badProxy'; line: number; text: string }
  | { kind: 'proxyTooLong'; line: number; max: number }
  | { kind: 'tooManyProxies'; max: number };

const shape = securityPolicySchema.shape;
const lockoutShape = shape.lockout.shape;

/** Each number's schema, so the form's ranges are the protocol's and cannot drift from them. */
const numberSchemas = {
  sessionIdleMinutes: shape.sessionIdleMinutes,
  sessionLifetimeHours: shape.sessionLifetimeHours,
  passwordMinLength: shape.passwordMinLength,
  maxFailures: lockoutShape.maxFailures,
  windowMinutes: lockoutShape.windowMinutes,
  lockMinutes: lockoutShape.lockMinutes,
} satisfies Record<NumberField, unknown>;

export function rangeOf(field: NumberField): { min: number; max: number } {
  const schema = numberSchemas[field];
  return { min: schema.minValue ?? 0, max: schema.maxValue ?? Number.MAX_SAFE_INTEGER };
}

export function draftOf(policy: SecurityPolicy): PolicyDraft {
  return {
    totpRequiredRoles: policy.totpRequiredRoles,
    sessionIdleMinutes: String(policy.sessionIdleMinutes),
    sessionLifetimeHours: String(policy.sessionLifetimeHours),
    passwordMinLength: String(policy.passwordMinLength),
    maxFailures: String(policy.lockout.maxFailures),
    windowMinutes: String(policy.lockout.windowMinutes),
    lockMinutes: String(policy.lockout.lockMinutes),
    trustedProxies: policy.trustedProxies.join('\n'),
    addressPolicy: policy.addressPolicy,
    honourDoNotTrack: policy.honourDoNotTrack,
  };
}

/** '' and '12abc' are no number at all (Number('') would be 0); the schema then refuses NaN. */
function wholeNumber(text: string): number {
  const trimmed = text.trim();
  return /^-?\d+(\.\d+)?$/.test(trimmed) ? Number(trimmed) : Number.NaN;
}

/** Non-blank lines, numbered as the box shows them, so an error can name the line. */
function proxyLines(text: string) {
  return text
    .split(/\r?\n/)
    .map((line, index) => ({ line: index + 1, text: line.trim() }))
    .filter((entry) => entry.text !== '');
}

function firstBadProxy(text: string): PolicyProblem | undefined {
  const maxLength = shape.trustedProxies.element.maxLength ?? Number.MAX_SAFE_INTEGER;
  for (const entry of proxyLines(text)) {
    if (entry.text.length > maxLength) return { kind: 'proxyTooLong', line: entry.line, max: maxLength };
    try {
      parseCidr(entry.text);
    } catch {
      return { kind: 'badProxy', line: entry.line, text: entry.text };
    }
  }
  return undefined;
}

const sameList = <T>(a: readonly T[], b: readonly T[]) =>
  a.length === b.length && a.every((item, index) => item === b[index]);

/** The policy fields whose value in the draft differs from `saved`; values may still be invalid. */
function changedFields(draft: PolicyDraft, saved: SecurityPolicy): Partial<SecurityPolicy> {
  const patch: Partial<SecurityPolicy> = {};
  // In the role table's order, so ticking and unticking again is no change.
  const totpRoles = roles.filter((role) => draft.totpRequiredRoles.includes(role));
  if (
    !sameList(
      totpRoles,
      roles.filter((role) => saved.totpRequiredRoles.includes(role)),
    )
  ) {
    patch.totpRequiredRoles = totpRoles;
  }
  for (const field of ['sessionIdleMinutes', 'sessionLifetimeHours', 'passwordMinLength'] as const) {
    const value = wholeNumber(draft[field]);
    if (value !== saved[field]) patch[field] = value;
  }
  // The lockout travels as one object: a change to any of its numbers sends all three.
  const lockout = {
    maxFailures: wholeNumber(draft.maxFailures),
    windowMinutes: wholeNumber(draft.windowMinutes),
    lockMinutes: wholeNumber(draft.lockMinutes),
  };
  if (Object.entries(lockout).some(([key, value]) => saved.lockout[key as keyof typeof lockout] !== value)) {
    patch.lockout = lockout;
  }
  const proxies = proxyLines(draft.trustedProxies).map((entry) => entry.text);
  if (!sameList(proxies, saved.trustedProxies)) patch.trustedProxies = proxies;
  if (draft.addressPolicy !== saved.addressPolicy) patch.addressPolicy = draft.addressPolicy;
  if (draft.honourDoNotTrack !== saved.honourDoNotTrack) patch.honourDoNotTrack = draft.honourDoNotTrack;
  return patch;
}

/** Which form field a schema issue is about: lockout's numbers are fields of their own. */
function fieldOf(path: readonly PropertyKey[]): PolicyField | undefined {
  const [first, second] = path;
  const field = first === 'lockout' ? second : first;
  return typeof field === 'string' && field in numberSchemas
    ? (field as PolicyField)
    : field === 'trustedProxies'
      ? 'trustedProxies'
      : undefined;
}

export type PolicyCheck =
  | { ok: true; patch: Partial<SecurityPolicy> }
  | { ok: false; problems: Partial<Record<PolicyField, PolicyProblem>> };

/**
 * The update to send: only the changed fields, checked with the protocol's own schema (the
 * server's check) plus a CIDR check per proxy line, so the server's refusal is the rare case.
 */
export function checkPolicyDraft(draft: PolicyDraft, saved: SecurityPolicy): PolicyCheck {
  const patch = changedFields(draft, saved);
  const problems: Partial<Record<PolicyField, PolicyProblem>> = {};
  const parsed = securityPolicySchema.partial().strict().safeParse(patch);
  for (const issue of parsed.error?.issues ?? []) {
    const field = fieldOf(issue.path);
    if (field === undefined || problems[field]) continue;
    if (field === 'trustedProxies') {
      if (issue.code === 'too_big' && issue.path.length === 1) {
        problems.trustedProxies = { kind: 'tooManyProxies', max: Number(issue.maximum) };
      }
    } else if (field in numberSchemas) {
      problems[field] = { kind: 'range', ...rangeOf(field as NumberField) };
    }
  }
  const badProxy = patch.trustedProxies ? firstBadProxy(draft.trustedProxies) : undefined;
  if (badProxy) problems.trustedProxies ??= badProxy;
  return Object.keys(problems).length > 0 || !parsed.success
    ? { ok: false, problems }
    : { ok: true, patch: parsed.data };
}
