import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Field } from '../../../ui/Field';
import { Select } from '../../../ui/Select';
import { ValidatedField } from '../../../ui/ValidatedField';
import { knownAuditActions, useActionLabel } from './actions';
import { auditQueryOf, noFilters, type AuditFilterValues } from './filters';
import { useAuditStore } from './store';

const actionListId = 'audit-known-actions';

/**
 * Who, what and when. The filters apply on "Show entries" (or Enter), not per keystroke: each
 * change is a query over a log that may be large, and an action code is exact only when complete.
 */
export function AuditFilters() {
  const { t } = useTranslation();
  const operators = useAuditStore((store) => store.operators);
  const show = useAuditStore((store) => store.show);
  const actionLabel = useActionLabel();
  const [values, setValues] = useState<AuditFilterValues>(noFilters);
  const query = auditQueryOf(values);

  function change(field: keyof AuditFilterValues, value: string) {
    setValues((current) => ({ ...current, [field]: value }));
  }

  return (
    <form
      className="audit-filters"
      aria-label={t('admin.audit.filters')}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (query) void show(query);
      }}
    >
      <Select
        label={t('admin.audit.actor')}
        value={values.actorId}
        options={[
          { value: '', label: t('admin.audit.anyone') },
          ...operators.map((operator) => ({ value: operator.id, label: operator.displayName })),
        ]}
        onChange={(value) => change('actorId', value)}
      />
      <Field
        label={t('admin.audit.action')}
        list={actionListId}
        value={values.action}
        spellCheck={false}
        autoComplete="off"
        onChange={(event) => change('action', event.target.value)}
      />
      <datalist id={actionListId}>
        {knownAuditActions.map((action) => (
          <option key={action} value={action}>
            {actionLabel(action)}
          </option>
        ))}
      </datalist>
      <Field
        label={t('admin.audit.from')}
        type="date"
        value={values.from}
        max={values.to || undefined}
        onChange={(event) => change('from', event.target.value)}
      />
      <ValidatedField
        label={t('admin.audit.to')}
        type="date"
        value={values.to}
        min={values.from || undefined}
        error={query ? undefined : t('admin.audit.periodBackwards')}
        onChange={(event) => change('to', event.target.value)}
      />
      <div className="audit-filter-actions">
        <button type="submit" className="primary" disabled={!query}>
          {t('admin.audit.apply')}
        </button>
        <button
          type="button"
          className="quiet"
          onClick={() => {
            setValues(noFilters);
            void show({});
          }}
        >
          {t('admin.audit.clear')}
        </button>
      </div>
    </form>
  );
}
