import { useTranslation } from 'react-i18next';
import type { AdminOperator } from '../../../../../protocol/operator-socket';
import { MenuButton, type MenuItem } from '../../../ui/MenuButton';
import { useCan } from '../usePermissions';

/** The row actions that need a word of confirmation (or, for enabling, none) before they run. */
export type OperatorAction = 'disable' | 'enable' | 'resetTotp' | 'endSessions' | 'newSetupCode';

interface OperatorRowActionsProps {
  operator: AdminOperator;
  isMe: boolean;
  onEdit(): void;
  onAction(action: OperatorAction): void;
}

/** Edit, and a menu with what else an admin may do to this operator in their current state. */
export function OperatorRowActions({ operator, isMe, onEdit, onAction }: OperatorRowActionsProps) {
  const { t } = useTranslation();
  const canResetTotp = useCan('security.manage');
  const canEndSessions = useCan('sessions.manage');
  const name = operator.displayName;
  const item = (action: OperatorAction, danger = false): MenuItem => ({
    label: t(`admin.operators.actions.${action}`),
    onSelect: () => onAction(action),
    danger,
  });

  const items: MenuItem[] = [];
  if (operator.setupPending) items.push(item('newSetupCode'));
  if (canResetTotp && operator.totpEnabled) items.push(item('resetTotp', true));
  if (canEndSessions) items.push(item('endSessions', true));
  // The server refuses disabling oneself; the menu does not offer it.
  if (operator.disabled) items.push(item('enable'));
  else if (!isMe) items.push(item('disable', true));

  return (
    <span className="operator-actions">
      <button
        type="button"
        className="secondary small"
        aria-label={t('admin.operators.editLabel', { name })}
        onClick={onEdit}
      >
        {t('admin.operators.edit')}
      </button>
      {items.length > 0 ? (
        <MenuButton
          label={t('admin.operators.more')}
          ariaLabel={t('admin.operators.moreLabel', { name })}
          items={items}
        />
      ) : null}
    </span>
  );
}
