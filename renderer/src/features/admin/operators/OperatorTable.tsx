import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminGroup, AdminOperator } from '../../../../../protocol/operator-socket';
import { RecentTime } from '../../../ui/RecentTime';

interface OperatorTableProps {
  operators: AdminOperator[];
  groups: AdminGroup[];
  /** The signed-in operator, marked in the list. */
  myId: string | undefined;
  /** The actions cell of a row; without it the table has no actions column (read-only). */
  actions?: (operator: AdminOperator) => ReactNode;
}

/** One row per operator: who, what role and groups, whether they are about, and how they sign in. */
export function OperatorTable({ operators, groups, myId, actions }: OperatorTableProps) {
  const { t } = useTranslation();
  const groupNames = new Map(groups.map((group) => [group.id, group.name]));
  const namesOf = (operator: AdminOperator) =>
    operator.groupIds.map((id) => groupNames.get(id) ?? id).join(', ') || t('admin.operators.noGroups');

  return (
    <table className="admin-table operator-table" aria-label={t('admin.operators.tableLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('admin.operators.columns.name')}</th>
          <th scope="col">{t('admin.operators.columns.role')}</th>
          <th scope="col">{t('admin.operators.columns.groups')}</th>
          <th scope="col">{t('admin.operators.columns.status')}</th>
          <th scope="col">{t('admin.operators.columns.totp')}</th>
          <th scope="col">{t('admin.operators.columns.lastLogin')}</th>
          {actions ? (
            <th scope="col" className="row-actions">
              <span className="visually-hidden">{t('admin.operators.columns.actions')}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {operators.map((operator) => (
          <tr key={operator.id} className={operator.disabled ? 'operator-disabled' : undefined}>
            <th scope="row" className="operator-name">
              <span className="operator-display-name">{operator.displayName}</span>
              {operator.id === myId ? <span className="muted"> ({t('admin.operators.you')})</span> : null}
              <span className="operator-username">{operator.username}</span>
              {operator.setupPending ? (
                <span className="tag tag-pending">{t('admin.operators.setupPending')}</span>
              ) : null}
              {operator.disabled ? (
                <span className="tag tag-disabled">{t('admin.operators.disabled')}</span>
              ) : null}
            </th>
            <td>{t(`admin.operators.roles.${operator.role}`)}</td>
            <td>{namesOf(operator)}</td>
            <td className="operator-status">
              <span className={`presence presence-${operator.status}`} aria-hidden="true" />
              {t(`status.values.${operator.status}`)}
            </td>
            <td className={operator.totpEnabled ? undefined : 'totp-off'}>
              {operator.totpEnabled ? t('admin.operators.totpOn') : t('admin.operators.totpOff')}
            </td>
            <td>
              {operator.lastLoginAt ? <RecentTime at={operator.lastLoginAt} /> : t('admin.operators.never')}
            </td>
            {actions ? <td className="row-actions">{actions(operator)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
