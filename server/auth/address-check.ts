import { ParleyError } from '../../protocol/errors';
import type { SecurityPolicy } from '../../protocol/operator-socket';
import { recordAudit } from '../audit';
import type { ServerContext } from '../context';
import type { Operator } from '../storage/schema';
import { checkAllowlist, type AllowlistRules } from './ip-rules';

async function allowlistFor(ctx: ServerContext, operator: Operator): Promise<AllowlistRules> {
  const rows = await ctx.db
    .selectFrom('ip_rules')
    .select(['scope', 'subject', 'cidr'])
    .where((where) =>
      where.or([
        where('scope', '=', 'global'),
        where.and([where('scope', '=', 'role'), where('subject', '=', operator.role)]),
        where.and([where('scope', '=', 'operator'), where('subject', '=', operator.id)]),
      ]),
    )
    .execute();
  const rules: AllowlistRules = { global: [], role: [], operator: [] };
  for (const row of rows) rules[row.scope].push(row.cidr);
  return rules;
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
  const decision = checkAllowlist(address, await allowlistFor(ctx, operator));
  if (decision.allowed) return;
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action: 'address.refused',
    actor: { id: operator.id, name: operator.username },
    address,
    details: { list: decision.reason, at: where },
  });
  throw new ParleyError('address_not_allowed', refusals[decision.reason]);
}
