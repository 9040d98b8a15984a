import { useTranslation } from 'react-i18next';
import type { AdminOperator } from '../../../../../protocol/operator-socket';
import { ConfirmActionDialog } from '../../../ui/ConfirmActionDialog';
import type { OperatorAction } from './OperatorRowActions';
import type { IssuedSetupCode } from './SetupCodeDialog';
import { useOperatorsStore } from './store';

export type ConfirmedAction = Exclude<OperatorAction, 'enable'>;

interface ConfirmOperatorActionProps {
  action: ConfirmedAction;
  operator: AdminOperator;
  /** What happened, for the screen to say once the dialog has closed. */
  onDone(message: string): void;
  onSetupCode(issued: IssuedSetupCode): void;
  onClose(): void;
}

/** Asks before an action that locks someone out or ends their sessions, then runs it. */
export function ConfirmOperatorAction({
  action,
  operator,
  onDone,
  onSetupCode,
  onClose,
}: ConfirmOperatorActionProps) {
  const { t } = useTranslation();
  const store = useOperatorsStore();
  const name = operator.displayName;

  const run: Record<ConfirmedAction, () => Promise<void>> = {
    async disable() {
      await store.setDisabled(operator.id, true);
      onDone(t('admin.operators.done.disabled', { name }));
    },
    async resetTotp() {
      await store.resetTotp(operator.id);
      onDone(t('admin.operators.done.totpReset', { name }));
    },
    async endSessions() {
      const count = await store.endSessions(operator.id);
      onDone(t('admin.operators.done.sessionsEnded', { name, count }));
    },
    async newSetupCode() {
      const issued = await store.newSetupCode(operator.id);
      onSetupCode({ displayName: name, username: operator.username, ...issued });
    },
  };

  return (
    <ConfirmActionDialog
      title={t(`admin.operators.confirm.${action}Title`, { name })}
      confirmLabel={t(`admin.operators.actions.${action}`)}
      onConfirm={run[action]}
      onClose={onClose}
    >
      <p>{t(`admin.operators.confirm.${action}Body`, { name })}</p>
    </ConfirmActionDialog>
  );
}
