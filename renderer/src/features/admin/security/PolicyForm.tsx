import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SecurityPolicy } from '../../../../../protocol/operator-socket';
import { roles } from '../../../../../protocol/roles';
import { Checkbox } from '../../../ui/Checkbox';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { useAction } from '../../../ui/useAction';
import { ValidatedField, ValidatedTextArea } from '../../../ui/ValidatedField';
import {
  checkPolicyDraft,
  draftOf,
  rangeOf,
  type NumberField,
  type PolicyDraft,
  type PolicyField,
  type PolicyProblem,
} from './policyDraft';
import { useSecurityStore } from './store';

const addressPolicies = ['full', 'truncated', 'none'] as const satisfies SecurityPolicy['addressPolicy'][];

function Group(props: { legend: string; hint?: string; wide?: boolean; children: ReactNode }) {
  const { legend, hint, children } = props;
  return (
    <fieldset className={props.wide ? 'policy-group policy-group-wide' : 'policy-group'}>
      <legend>{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {children}
    </fieldset>
  );
}

/**
 * The server's security policy. Sends only what changed, after checking it with the protocol's
 * schema; a role that may only look sees the same form with every control disabled.
 */
export function PolicyForm({ policy, canManage }: { policy: SecurityPolicy; canManage: boolean }) {
  const { t } = useTranslation();
  const savePolicy = useSecurityStore((store) => store.savePolicy);
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(policy));
  // Errors show after the first attempt to save, then follow every keystroke until fixed.
  const [attempted, setAttempted] = useState(false);
  const [outcome, setOutcome] = useState<'saved' | 'unchanged' | undefined>(undefined);
  const { busy, error, run } = useAction();
  const form = useRef<HTMLFormElement>(null);
  const focusFirstProblem = useRef(false);

  const check = checkPolicyDraft(draft, policy);
  const problems = attempted && !check.ok ? check.problems : {};

  useEffect(() => {
    if (!focusFirstProblem.current) return;
    focusFirstProblem.current = false;
    form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  });

  function change<F extends PolicyField>(field: F, value: PolicyDraft[F]) {
    setDraft((current) => ({ ...current, [field]: value }));
    setOutcome(undefined);
  }

  function problemText(problem: PolicyProblem | undefined): string | undefined {
    if (!problem) return undefined;
    const { kind, ...values } = problem;
    return t(`admin.security.policy.errors.${kind}`, values);
  }

  function submit() {
    setAttempted(true);
    if (!check.ok) {
      focusFirstProblem.current = true;
      return;
    }
    if (Object.keys(check.patch).length === 0) {
      setOutcome('unchanged');
      return;
    }
    void run(async () => {
      setDraft(draftOf(await savePolicy(check.patch)));
      setAttempted(false);
      setOutcome('saved');
    });
  }

  const numberField = (field: NumberField) => {
    const range = rangeOf(field);
    return (
      <ValidatedField
        label={t(`admin.security.policy.${field}`)}
        hint={t('admin.security.policy.range', range)}
        error={problemText(problems[field])}
        type="number"
        inputMode="numeric"
        min={range.min}
        max={range.max}
        step={1}
        disabled={!canManage}
        value={draft[field]}
        onChange={(event) => change(field, event.target.value)}
      />
    );
  };

  return (
    <form
      ref={form}
      className="policy-form"
      aria-labelledby="security-policy-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        if (canManage) submit();
      }}
    >
      <h3 id="security-policy-title">{t('admin.security.policy.title')}</h3>
      <p className="muted">{t('admin.security.policy.lead')}</p>
      <div className="policy-groups">
        <Group legend={t('admin.security.policy.signIn')}>
          <fieldset className="policy-roles">
            <legend>{t('admin.security.policy.totpRoles')}</legend>
            {roles.map((role) => (
              <Checkbox
                key={role}
                label={t(`admin.security.roles.${role}`)}
                checked={draft.totpRequiredRoles.includes(role)}
                disabled={!canManage}
                onChange={(checked) =>
                  change(
                    'totpRequiredRoles',
                    checked
                      ? [...draft.totpRequiredRoles, role]
                      : draft.totpRequiredRoles.filter((candidate) => candidate !== role),
                  )
                }
              />
            ))}
            <p className="hint">{t('admin.security.policy.totpHint')}</p>
          </fieldset>
          {numberField('passwordMinLength')}
        </Group>
        <Group legend={t('admin.security.policy.sessions')}>
          {numberField('sessionIdleMinutes')}
          {numberField('sessionLifetimeHours')}
        </Group>
        <Group legend={t('admin.security.policy.lockout')} hint={t('admin.security.policy.lockoutHint')}>
          {numberField('maxFailures')}
          {numberField('windowMinutes')}
          {numberField('lockMinutes')}
        </Group>
        <Group legend={t('admin.security.policy.network')} wide>
          <ValidatedTextArea
            label={t('admin.security.policy.trustedProxies')}
            hint={t('admin.security.policy.trustedProxiesHint')}
            error={problemText(problems.trustedProxies)}
            rows={4}
            spellCheck={false}
            disabled={!canManage}
            value={draft.trustedProxies}
            onChange={(event) => change('trustedProxies', event.target.value)}
          />
          <fieldset className="policy-address">
            <legend>{t('admin.security.policy.addressPolicy')}</legend>
            {addressPolicies.map((choice) => (
              // Named by its label alone; the explanation is its description.
              <label key={choice} className="policy-choice">
                <input
                  type="radio"
                  name="address-policy"
                  value={choice}
                  checked={draft.addressPolicy === choice}
                  disabled={!canManage}
                  aria-labelledby={`address-policy-${choice}`}
                  aria-describedby={`address-policy-${choice}-hint`}
                  onChange={() => change('addressPolicy', choice)}
                />
                <span className="policy-choice-text">
                  <span id={`address-policy-${choice}`}>
                    {t(`admin.security.policy.addressPolicies.${choice}.label`)}
                  </span>
                  <span id={`address-policy-${choice}-hint`} className="hint">
                    {t(`admin.security.policy.addressPolicies.${choice}.hint`)}
                  </span>
                </span>
              </label>
            ))}
          </fieldset>
          <Checkbox
            label={t('admin.security.policy.honourDoNotTrack')}
            checked={draft.honourDoNotTrack}
            disabled={!canManage}
            onChange={(checked) => change('honourDoNotTrack', checked)}
          />
        </Group>
      </div>
      {canManage ? (
        <div className="policy-actions">
          {attempted && !check.ok ? (
            <p className="field-error">{t('admin.security.policy.errors.summary')}</p>
          ) : null}
          <p role="status" className="policy-outcome">
            {outcome ? t(`admin.security.policy.${outcome}`) : ''}
          </p>
          <button type="submit" className="primary" disabled={busy}>
            {t('admin.security.policy.save')}
          </button>
        </div>
      ) : null}
      <ErrorMessage error={error} />
    </form>
  );
}
