import { ParleyError } from '../../protocol/errors';
import type { SecurityPolicy } from '../../protocol/operator-socket';
import { recordAudit } from '../audit';
import type { ServerContext } from '../context';
import type { Operator } from '../storage/schema';
import { allowlistOf, checkAllowlist, type AllowlistRules } from '../../protocol/allowlist';

/** Every rule: the table stays small, and the caller picks what binds whom. */
function allRules(ctx: ServerContext) {
  return ctx.db.selectFrom('ip_rules').select(['id', 'scope', 'subject', 'cidr']).execute();
}

const refusals = {
  global: 'Your network address is not on this server’s allowlist.',
  role: 'Your network address is not allowed for your role.',
  operator: 'Your network address is not allowed for your account.',
} as const;

/** Checked at login and on every socket connection; a refusal names the list and is audited. */
export async function ensureAddressAllowed(
  ctx: ServerContext,
  policy: SecurityPolicy,
  operator: Operator,
  address: string,
  where: 'login' | 'socket',
): Promise<void> {
  const decision = checkAllowlist(address, allowlistOf(await allRules(ctx), operator));
  if (decision.allowed) return;
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action: 'address.refused',
    actor: { id: operator.id, name: operator.username },
    address,
    details: { list: decision.reason, at: where },
  });
  throw new ParleyError('address_not_allowed', refusals[decision.reason]);
}

/**
 * Refuses an allowlist change that would shut the operator's own current address out, unless they
 * confirmed it: the next connection would fail and only another admin (or the CLI) could undo it.
 */
export async function ensureNotShutOut(
  ctx: ServerContext,
  operator: Operator,
  address: string,
  change: { add?: { scope: keyof AllowlistRules; subject: string; cidr: string }; removeId?: string },
  confirmed: boolean,
): Promise<void> {
  if (confirmed) return;
  const kept = (await allRules(ctx)).filter((rule) => rule.id !== change.removeId);
  if (
    checkAllowlist(address, allowlistOf([...kept, ...(change.add ? [change.add] : [])], operator)).allowed
  ) {
    return;
  }
  throw new ParleyError(
    'would_lock_out',
    `Your own address ${address} would no longer be allowed: you would lock yourself out. ` +
      'Add a rule for your own network first, or confirm the change.',
  );
}
