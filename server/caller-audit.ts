import { recordAudit } from './audit';
import type { ServerContext } from './context';
import type { Caller } from './operator-methods';
import { readSecurityPolicy } from './policy';

/** Records what a signed-in operator did, with their address as the policy keeps it. `ctx.db` may be a transaction. */
export async function auditCaller(
  ctx: ServerContext,
  caller: Caller,
  action: string,
  target?: string,
  details?: Record<string, unknown>,
): Promise<void> {
  const policy = await readSecurityPolicy(ctx.db);
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action,
    actor: { id: caller.operator.id, name: caller.operator.username },
    address: caller.address,
    target,
    ...(details ? { details } : {}),
  });
}
