import { useTranslation } from 'react-i18next';

/**
 * The actions the server records (grep server/ for recordAudit and auditCaller), offered in the
 * filter and shown with a label. The log may hold others (older or newer servers): those show
 * their code alone, and the filter takes any code typed in.
 */
export const knownAuditActions = [
  'login.succeeded',
  'login.failed',
  'login.refused_disabled',
  'lockout',
  'address.refused',
  'totp.enrolled',
  'totp.enrolment_failed',
  'totp.failed',
  'totp.replayed',
  'totp.reset',
  'recovery_code.used',
  'recovery_codes.regenerated',
  'password.changed',
  'session.revoked',
  'policy.updated',
  'ip_rule.added',
  'ip_rule.removed',
  'operator.created',
  'operator.updated',
  'operator.disabled',
  'operator.enabled',
  'operator.sessions_ended',
  'operator.setup_code_issued',
  'operator.setup_completed',
  'operator.setup_failed',
  'group.created',
  'group.updated',
  'group.archived',
  'group.unarchived',
  'retention.updated',
  'retention.deleted',
  'data.exported',
  'data.erased',
  'chat.deletedByVisitor',
  'visitor.revealed',
] as const;

const known = new Set<string>(knownAuditActions);

/** An action's label in the operator's language, or undefined for an action Parley has no words for. */
export function useActionLabel(): (action: string) => string | undefined {
  const { t } = useTranslation();
  // The codes' dots are the messages' nesting: 'login.succeeded' is actions.login.succeeded.
  return (action) => (known.has(action) ? t(`admin.audit.actions.${action}`) : undefined);
}
