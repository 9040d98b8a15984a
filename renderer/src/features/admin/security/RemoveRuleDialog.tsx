import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toParleyErrorData } from '../../../../../protocol/errors';
import type { IpRule } from '../../../../../protocol/operator-socket';
import { ConfirmActionDialog } from '../../../ui/ConfirmActionDialog';
import { lockedOutBy, useSignedInOperator } from './lockout';
import { LockoutWarning } from './LockoutWarning';
import { useSecurityStore } from './store';
import { useSubjectName } from './useSubjectName';

/**
 * Asks before removing a rule. Removing can shut the admin out too (their address matched only
 * this rule of a list that keeps others), so the same check and confirmation as adding apply.
 */
export function RemoveRuleDialog({ rule, onClose }: { rule: IpRule; onClose(): void }) {
  const { t } = useTranslation();
  const { rules, yourAddress, removeRule } = useSecurityStore();
  const me = useSignedInOperator();
  const subjectName = useSubjectName();
  const [confirmed, setConfirmed] = useState(false);
  const [serverMessage, setServerMessage] = useState<string | undefined>(undefined);
  const lockoutList = me
    ? lockedOutBy(
        rules.filter((candidate) => candidate.id !== rule.id),
        me,
        yourAddress,
      )
    : undefined;
  const needsConfirmation = lockoutList !== undefined || serverMessage !== undefined;

  async function remove() {
    try {
      await removeRule(rule.id, needsConfirmation && confirmed);
    } catch (error) {
      const refusal = toParleyErrorData(error);
      if (refusal.code !== 'would_lock_out') throw error;
      setServerMessage(refusal.message);
      setConfirmed(false);
      return false;
    }
  }

  return (
    <ConfirmActionDialog
      title={t('admin.security.allowlist.removeTitle', { cidr: rule.cidr })}
      confirmLabel={t('admin.security.allowlist.remove')}
      canConfirm={!needsConfirmation || confirmed}
      onConfirm={remove}
      onClose={onClose}
    >
      <p>{t('admin.security.allowlist.removeLead', { subject: subjectName(rule) })}</p>
      {needsConfirmation ? (
        <LockoutWarning
          address={yourAddress}
          list={lockoutList}
          serverMessage={serverMessage}
          confirmed={confirmed}
          onConfirmedChange={setConfirmed}
        />
      ) : null}
    </ConfirmActionDialog>
  );
}
