import { securityPolicySchema, type SecurityPolicy } from '../protocol/operator-socket';
import type { Clock } from './clock';
import { readSetting, updateSetting } from './settings';
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
  honourDoNotTrack: true,
};

const key = 'security_policy';

export function readSecurityPolicy(db: Db): Promise<SecurityPolicy> {
  return readSetting(db, key, securityPolicySchema, defaultSecurityPolicy);
}

export async function updateSecurityPolicy(
  db: Db,
  clock: Clock,
  patch: Partial<SecurityPolicy>,
): Promise<SecurityPolicy> {
  for (const proxy of patch.trustedProxies ?? []) parseCidr(proxy);
  return updateSetting(db, clock, key, securityPolicySchema, defaultSecurityPolicy, patch, 'security policy');
}
