import { useTranslation } from 'react-i18next';
import type { IpRule } from '../../../../../protocol/operator-socket';
import type { AllowlistScope } from './lockout';
import { useSubjectName } from './useSubjectName';

/** One allowlist (global, a role's, operators'): its rules, or that it restricts nothing. */
export function RuleTable(props: {
  scope: AllowlistScope;
  rules: IpRule[];
  canManage: boolean;
  onRemove(rule: IpRule): void;
}) {
  const { t } = useTranslation();
  const subjectName = useSubjectName();
  const scopeName = t(`admin.security.allowlist.scopes.${props.scope}`);
  const headingId = `allowlist-${props.scope}`;
  return (
    <section className="allowlist-scope" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {scopeName} <span className="hint">{t(`admin.security.allowlist.scopeHints.${props.scope}`)}</span>
      </h4>
      {props.rules.length === 0 ? (
        <p className="muted allowlist-empty">{t('admin.security.allowlist.empty')}</p>
      ) : (
        <table
          className="admin-table allowlist-table"
          aria-label={t('admin.security.allowlist.rulesOf', { scope: scopeName })}
        >
          <thead>
            <tr>
              {props.scope === 'global' ? null : (
                <th scope="col" className="allowlist-subject">
                  {t('admin.security.allowlist.appliesTo')}
                </th>
              )}
              <th scope="col">{t('admin.security.allowlist.network')}</th>
              {props.canManage ? (
                <th scope="col" className="allowlist-actions">
                  <span className="visually-hidden">{t('admin.security.allowlist.actions')}</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {props.rules.map((rule) => (
              <tr key={rule.id}>
                {props.scope === 'global' ? null : <td>{subjectName(rule)}</td>}
                <td>
                  <code>{rule.cidr}</code>
                </td>
                {props.canManage ? (
                  <td className="row-actions">
                    <button
                      type="button"
                      className="quiet danger small"
                      aria-label={t('admin.security.allowlist.removeRule', {
                        cidr: rule.cidr,
                        subject: subjectName(rule),
                      })}
                      onClick={() => props.onRemove(rule)}
                    >
                      {t('admin.security.allowlist.remove')}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
