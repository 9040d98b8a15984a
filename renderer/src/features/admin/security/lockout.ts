import { allowlistOf, checkAllowlist, type AllowlistRules } from '../../../../../protocol/allowlist';
import { isIpAddress } from '../../../../../protocol/cidr';
import type { IpRule } from '../../../../../protocol/operator-socket';
import type { Role } from '../../../../../protocol/roles';
import { useAuthStore } from '../../login/store';

export type AllowlistScope = keyof AllowlistRules;

type RuleLike = Pick<IpRule, 'scope' | 'subject' | 'cidr'>;

/**
 * The list that would refuse `me` at `address` if `rules` were the server's rules, or undefined
 * when I could still connect: the server's own check (ensureNotShutOut), run before asking it.
 */
export function lockedOutBy(
  rules: readonly RuleLike[],
  me: { id: string; role: Role },
  address: string,
): AllowlistScope | undefined {
  // The server always sends a parsed address; should one ever not parse, the server still decides.
  if (!isIpAddress(address)) return undefined;
  const decision = checkAllowlist(address, allowlistOf(rules, me));
  return decision.allowed ? undefined : decision.reason;
}

/** The signed-in operator, whose own address the allowlist screen protects. */
export function useSignedInOperator() {
  return useAuthStore((store) => (store.auth?.status === 'signed_in' ? store.auth.operator : undefined));
}
