import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { retentionPolicySchema, type RetentionPolicy } from '../../../../../protocol/operator-socket';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { useAction } from '../../../ui/useAction';
import { ValidatedField } from '../../../ui/ValidatedField';

type Period = keyof RetentionPolicy;
const periods = Object.keys(retentionPolicySchema.shape) as Period[];
const range = (period: Period) => {
  const schema = retentionPolicySchema.shape[period];
  return { min: schema.minValue ?? 1, max: schema.maxValue ?? 3650 };
};

/** The days typed so far, or the reason one is refused; nothing is sent while any is refused. */
function check(draft: Record<Period, string>) {
  const values: Partial<RetentionPolicy> = {};
  const problems: Partial<Record<Period, string>> = {};
  for (const period of periods) {
    const text = draft[period].trim();
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (retentionPolicySchema.shape[period].safeParse(value).success) values[period] = value;
    else problems[period] = text;
  }
  return { values, problems };
}

/**
 * How long each kind of personal data is kept. Sends only the periods that changed; a role that may
 * only look sees the same form disabled.
 */
export function RetentionForm(props: {
  retention: RetentionPolicy;
  canManage: boolean;
  onSave(patch: Partial<RetentionPolicy>): Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState(
    () =>
      Object.fromEntries(periods.map((period) => [period, String(props.retention[period])])) as Record<
        Period,
        string
      >,
  );
  const [attempted, setAttempted] = useState(false);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const { values, problems } = check(draft);

  function submit(event: FormEvent) {
    event.preventDefault();
    setAttempted(true);
    if (Object.keys(problems).length > 0) return;
    const patch = Object.fromEntries(
      periods
        .filter((period) => values[period] !== props.retention[period])
        .map((period) => [period, values[period]]),
    ) as Partial<RetentionPolicy>;
    void run(async () => {
      if (Object.keys(patch).length > 0) await props.onSave(patch);
      setSaved(true);
    });
  }

  return (
    <form className="form retention-form" onSubmit={submit} noValidate aria-labelledby="retention-title">
      <header>
        <h3 id="retention-title">{t('admin.privacy.retention.title')}</h3>
        <p className="hint">{t('admin.privacy.retention.lead')}</p>
      </header>
      <div className="retention-fields">
        {periods.map((period) => (
          <ValidatedField
            key={period}
            label={t(`admin.privacy.retention.periods.${period}`)}
            hint={t(`admin.privacy.retention.hints.${period}`, range(period))}
            error={
              attempted && problems[period] !== undefined
                ? t('admin.privacy.retention.invalid', range(period))
                : undefined
            }
            inputMode="numeric"
            disabled={!props.canManage}
            value={draft[period]}
            onChange={(event) => {
              setDraft({ ...draft, [period]: event.target.value });
              setSaved(false);
            }}
          />
        ))}
      </div>
      <ErrorMessage error={error} />
      {props.canManage ? (
        <div className="actions">
          {saved ? (
            <p role="status" className="muted">
              {t('admin.privacy.retention.saved')}
            </p>
          ) : null}
          <button type="submit" className="primary" disabled={busy}>
            {t('admin.privacy.retention.save')}
          </button>
        </div>
      ) : null}
    </form>
  );
}
