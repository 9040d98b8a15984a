import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminGroup } from '../../../../../protocol/operator-socket';
import { summarizeDays, weekdayNames } from './businessHours';

interface GroupTableProps {
  groups: AdminGroup[];
  actions: (group: AdminGroup) => ReactNode;
}

/** One row per group: how it routes chats and when it is open. */
export function GroupTable({ groups, actions }: GroupTableProps) {
  const { t, i18n } = useTranslation();
  const shortDays = weekdayNames(i18n.language, 'short');

  function hoursOf(group: AdminGroup) {
    const hours = group.businessHours;
    if (hours === null) return t('admin.groups.hours.alwaysOpen');
    const days = summarizeDays(hours, shortDays);
    return days === ''
      ? t('admin.groups.hours.closed')
      : t('admin.groups.hours.summary', { days, timeZone: hours.timeZone });
  }

  return (
    <table className="admin-table group-table" aria-label={t('admin.groups.tableLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('admin.groups.columns.name')}</th>
          <th scope="col">{t('admin.groups.columns.routing')}</th>
          <th scope="col">{t('admin.groups.columns.ringTimeout')}</th>
          <th scope="col">{t('admin.groups.columns.defaultMaxChats')}</th>
          <th scope="col">{t('admin.groups.columns.hours')}</th>
          <th scope="col" className="row-actions">
            <span className="visually-hidden">{t('admin.groups.columns.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {groups.map((group) => (
          <tr key={group.id} className={group.archived ? 'group-archived' : undefined}>
            <th scope="row" className="group-name">
              <span className="group-name-text">{group.name}</span>
              {group.archived ? <span className="tag">{t('admin.groups.archived')}</span> : null}
            </th>
            <td>{t(`admin.groups.routing.${group.routingMode}`)}</td>
            <td className="numeric">{t('admin.groups.seconds', { count: group.ringTimeoutSeconds })}</td>
            <td className="numeric">{group.defaultMaxChats}</td>
            <td>{hoursOf(group)}</td>
            <td className="row-actions">{actions(group)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
