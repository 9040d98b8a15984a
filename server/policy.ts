import { securityPolicySchema, type SecurityPolicy } from '../protocol/operator-socket';
import { ParleyError } from '../protocol/errors';
import type { Clock } from './clock';
import type { Db } from './storage/database';
import { parseCidr } from '../protocol/cidr';

/** Secure by default: every role enrols TOTP, addresses are kept truncated. */
export const defaultSecurityPolicy: SecurityPolicy = {
  totpRequiredRoles: ['agent', 'lead', 'admin'],
  sessionIdleMinutes: 60,
  sessionLifetimeHours: 12,
  lockout: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
  passwordMinLength: 12,
  trustedProxies: [],
  addressPolicy: 'truncated',
};

const key = 'security_policy';

/** Read from the database every time: with several server instances, none may act on a stale copy. */
export async function readSecurityPolicy(db: Db): Promise<SecurityPolicy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return defaultSecurityPolicy;
  const stored = securityPolicySchema.partial().safeParse(row.value);
  return { ...defaultSecurityPolicy, ...(stored.success ? stored.data : {}) };
}

export async function updateSecurityPolicy(
  db: Db,
  clock: Clock,
  patch: Partial<SecurityPolicy>,
): Promise<SecurityPolicy> {
  for (const proxy of patch.trustedProxies ?? []) parseCidr(proxy);
  const next = securityPolicySchema.safeParse({ ...(await readSecurityPolicy(db)), ...patch });
  if (!next.success) throw new ParleyError('invalid_request', 'The security policy is not valid.');
  const value = JSON.stringify(next.data);
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: clock.now() })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value, updated_at: clock.now() }))
    .execute();
  return next.data;
}
