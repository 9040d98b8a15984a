import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { operatorStatusSchema } from '../../../../../protocol/operator-socket';
import { roles } from '../../../../../protocol/roles';
import { Select } from '../../../ui/Select';
import { useOperatorsStore, type OperatorFilters as Filters } from './store';

// Long enough to let a name be typed, short enough to feel immediate.
const searchDelayMs = 250;

const yesNo = (value: boolean | undefined, yes: string, no: string) =>
  value === undefined ? '' : value ? yes : no;
const fromYesNo = (value: string, yes: string) => (value === '' ? undefined : value === yes);

/** Search and filters; every change asks the server again with the filters that are set. */
export function OperatorFilters() {
  const { t } = useTranslation();
  const filters = useOperatorsStore((store) => store.filters);
  const groups = useOperatorsStore((store) => store.groups);
  const setFilters = useOperatorsStore((store) => store.setFilters);
  const searchId = useId();
  const [search, setSearch] = useState(filters.search ?? '');

  useEffect(() => {
    const current = useOperatorsStore.getState().filters;
    if ((current.search ?? '') === search.trim()) return;
    const timer = setTimeout(
      () => setFilters({ ...current, search: search.trim() || undefined }),
      searchDelayMs,
    );
    return () => clearTimeout(timer);
  }, [search, setFilters]);

  const change = (patch: Partial<Filters>) => setFilters({ ...filters, ...patch });
  const all = { value: '' as const, label: t('admin.operators.filters.any') };

  return (
    <div role="search" aria-label={t('admin.operators.filters.label')} className="operator-filters">
      <span className="field-inline">
        <label htmlFor={searchId}>{t('admin.operators.filters.search')}</label>
        <input
          id={searchId}
          type="search"
          value={search}
          maxLength={100}
          placeholder={t('admin.operators.filters.searchPlaceholder')}
          onChange={(event) => setSearch(event.target.value)}
        />
      </span>
      <Select
        label={t('admin.operators.filters.role')}
        value={filters.role ?? ''}
        options={[all, ...roles.map((role) => ({ value: role, label: t(`admin.operators.roles.${role}`) }))]}
        onChange={(role) => change({ role: role === '' ? undefined : role })}
      />
      <Select
        label={t('admin.operators.filters.group')}
        value={filters.groupId ?? ''}
        options={[
          all,
          ...groups.map((group) => ({
            value: group.id,
            label: group.archived ? t('admin.operators.archivedGroup', { name: group.name }) : group.name,
          })),
        ]}
        onChange={(groupId) => change({ groupId: groupId === '' ? undefined : groupId })}
      />
      <Select
        label={t('admin.operators.filters.status')}
        value={filters.status ?? ''}
        options={[
          all,
          ...operatorStatusSchema.options.map((status) => ({
            value: status,
            label: t(`status.values.${status}`),
          })),
        ]}
        onChange={(status) => change({ status: status === '' ? undefined : status })}
      />
      <Select
        label={t('admin.operators.filters.totp')}
        value={yesNo(filters.totpEnabled, 'on', 'off')}
        options={[
          all,
          { value: 'on', label: t('admin.operators.filters.totpOn') },
          { value: 'off', label: t('admin.operators.filters.totpOff') },
        ]}
        onChange={(value) => change({ totpEnabled: fromYesNo(value, 'on') })}
      />
      <Select
        label={t('admin.operators.filters.account')}
        value={yesNo(filters.disabled, 'disabled', 'enabled')}
        options={[
          all,
          { value: 'enabled', label: t('admin.operators.filters.enabled') },
          { value: 'disabled', label: t('admin.operators.filters.disabled') },
        ]}
        onChange={(value) => change({ disabled: fromYesNo(value, 'disabled') })}
      />
    </div>
  );
}
