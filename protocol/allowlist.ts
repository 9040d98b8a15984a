import { addressInCidr } from './cidr';
import type { Role } from './roles';

/** CIDR texts per scope. */
export interface AllowlistRules {
  global: string[];
  role: string[];
  operator: string[];
}

const allowlistScopes = ['global', 'role', 'operator'] as const;

export type AllowlistDecision =
  { allowed: true } | { allowed: false; reason: (typeof allowlistScopes)[number] };

/**
 * Decides whether an operator may connect from an address. Semantics: each non-empty list is a
 * restriction that must be satisfied; empty lists restrict nothing. So the address must match the
 * global list (if non-empty) AND the role list (if non-empty) AND the operator list (if non-empty).
 */
export function checkAllowlist(address: string, rules: AllowlistRules): AllowlistDecision {
  for (const scope of allowlistScopes) {
    const cidrs = rules[scope];
    if (cidrs.length > 0 && !cidrs.some((cidr) => addressInCidr(address, cidr))) {
      return { allowed: false, reason: scope };
    }
  }
  return { allowed: true };
}

/** The rules that bind one operator, by scope: the global ones, their role's and their own. */
export function allowlistOf(
  rules: readonly { scope: keyof AllowlistRules; subject: string; cidr: string }[],
  operator: { id: string; role: Role },
): AllowlistRules {
  const bound: AllowlistRules = { global: [], role: [], operator: [] };
  for (const rule of rules) {
    const applies =
      rule.scope === 'global' ||
      (rule.scope === 'role' && rule.subject === operator.role) ||
      (rule.scope === 'operator' && rule.subject === operator.id);
    if (applies) bound[rule.scope].push(rule.cidr);
  }
  return bound;
}
