import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseCidr } from '../../../../../protocol/cidr';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import { roles, type Role } from '../../../../../protocol/roles';
import { ErrorMessage } from '../../../ui/ErrorMessage';
import { Select } from '../../../ui/Select';
import { ValidatedField } from '../../../ui/ValidatedField';
import { lockedOutBy, useSignedInOperator, type AllowlistScope } from './lockout';
import { LockoutWarning } from './LockoutWarning';
import { useSecurityStore, type RuleDraft } from './store';

const scopes = ['global', 'role', 'operator'] as const satisfies AllowlistScope[];

/** The canonical network a text stands for, or undefined when it is none. */
function canonicalCidr(text: string): string | undefined {
  try {
    return parseCidr(text).text;
  } catch {
    return undefined;
  }
}

/**
 * Adds one rule. The address is checked as it is typed, and a rule that would shut out the
 * admin's own address asks for an explicit "I understand" first (as the server does).
 */
export function AddRuleForm() {
  const { t } = useTranslation();
  const { rules, yourAddress, operators, addRule } = useSecurityStore();
  const me = useSignedInOperator();
  const [scope, setScope] = useState<AllowlistScope>('global');
  const [role, setRole] = useState<Role>('agent');
  const [operatorId, setOperatorId] = useState('');
  const [cidrText, setCidrText] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ParleyErrorData | undefined>(undefined);
  const [added, setAdded] = useState<string | undefined>(undefined);

  const cidr = canonicalCidr(cidrText.trim());
  const subject = scope === 'global' ? '' : scope === 'role' ? role : operatorId;
  const draft: RuleDraft | undefined =
    cidr !== undefined && (scope === 'global' || subject !== '') ? { scope, subject, cidr } : undefined;
  const lockoutList = draft && me ? lockedOutBy([...rules, draft], me, yourAddress) : undefined;
  const serverSaysLockout = refusal?.code === 'would_lock_out';
  const needsConfirmation = lockoutList !== undefined || serverSaysLockout;

  const cidrError =
    cidrText.trim() !== '' && cidr === undefined
      ? t('admin.security.allowlist.add.invalidCidr', { text: cidrText.trim() })
      : attempted && cidrText.trim() === ''
        ? t('admin.security.allowlist.add.cidrMissing')
        : undefined;
  const operatorError =
    attempted && scope === 'operator' && operatorId === ''
      ? t('admin.security.allowlist.add.operatorMissing')
      : undefined;

  /** Any edit makes a different rule: an earlier refusal or confirmation was about the old one. */
  function edited() {
    setConfirmed(false);
    setRefusal(undefined);
    setAdded(undefined);
  }

  async function submit() {
    setAttempted(true);
    if (!draft || (needsConfirmation && !confirmed)) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      await addRule(draft, needsConfirmation && confirmed);
      setAdded(draft.cidr);
      setCidrText('');
      setConfirmed(false);
      setAttempted(false);
    } catch (error) {
      setRefusal(toParleyErrorData(error));
      setConfirmed(false);
    } finally {
      setBusy(false);
    }
  }

  const sortedOperators = [...operators].sort((a, b) => a.displayName.localeCompare(b.displayName));

  return (
    <form
      className="allowlist-add"
      aria-labelledby="allowlist-add-title"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <h4 id="allowlist-add-title">{t('admin.security.allowlist.add.title')}</h4>
      <div className="allowlist-add-row">
        <Select
          label={t('admin.security.allowlist.add.scope')}
          value={scope}
          options={scopes.map((value) => ({ value, label: t(`admin.security.allowlist.scopes.${value}`) }))}
          onChange={(value) => {
            setScope(value);
            edited();
          }}
        />
        {scope === 'role' ? (
          <Select
            label={t('admin.security.allowlist.add.role')}
            value={role}
            options={roles.map((value) => ({ value, label: t(`admin.security.roles.${value}`) }))}
            onChange={(value) => {
              setRole(value);
              edited();
            }}
          />
        ) : null}
        {scope === 'operator' ? (
          <div className="allowlist-operator">
            <Select
              label={t('admin.security.allowlist.add.operator')}
              value={operatorId}
              options={[
                { value: '', label: t('admin.security.allowlist.add.chooseOperator'), disabled: true },
                ...sortedOperators.map((operator) => ({ value: operator.id, label: operator.displayName })),
              ]}
              onChange={(value) => {
                setOperatorId(value);
                edited();
              }}
            />
            {operatorError ? <span className="field-error">{operatorError}</span> : null}
          </div>
        ) : null}
        <ValidatedField
          label={t('admin.security.allowlist.add.cidr')}
          hint={
            cidr !== undefined && cidr !== cidrText.trim()
              ? t('admin.security.allowlist.add.canonical', { cidr })
              : t('admin.security.allowlist.add.cidrHint')
          }
          error={cidrError}
          value={cidrText}
          spellCheck={false}
          autoComplete="off"
          onChange={(event) => {
            setCidrText(event.target.value);
            edited();
          }}
        />
        <button type="submit" className="primary" disabled={busy || (needsConfirmation && !confirmed)}>
          {t('admin.security.allowlist.add.submit')}
        </button>
      </div>
      {needsConfirmation ? (
        <LockoutWarning
          address={yourAddress}
          list={lockoutList}
          serverMessage={refusal?.message}
          confirmed={confirmed}
          onConfirmedChange={setConfirmed}
        />
      ) : null}
      {serverSaysLockout ? null : <ErrorMessage error={refusal} />}
      <p role="status" className="allowlist-added">
        {added ? t('admin.security.allowlist.add.added', { cidr: added }) : ''}
      </p>
    </form>
  );
}
