import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpRule } from '../../../../../protocol/operator-socket';
import { AddRuleForm } from './AddRuleForm';
import type { AllowlistScope } from './lockout';
import { RemoveRuleDialog } from './RemoveRuleDialog';
import { RuleTable } from './RuleTable';
import { useSecurityStore } from './store';

const scopes = ['global', 'role', 'operator'] as const satisfies AllowlistScope[];

/** The IP allowlists by scope, what they mean, and (for those who may) adding and removing rules. */
export function AllowlistEditor({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const rules = useSecurityStore((store) => store.rules);
  const yourAddress = useSecurityStore((store) => store.yourAddress);
  const [removing, setRemoving] = useState<IpRule | undefined>(undefined);

  return (
    <section className="allowlists" aria-labelledby="allowlists-title">
      <h3 id="allowlists-title">{t('admin.security.allowlist.title')}</h3>
      <p className="allowlist-explanation">{t('admin.security.allowlist.explanation')}</p>
      <p className="allowlist-address">
        {t('admin.security.allowlist.yourAddress', { address: yourAddress })}
      </p>
      <div className="allowlist-scopes">
        {scopes.map((scope) => (
          <RuleTable
            key={scope}
            scope={scope}
            rules={rules.filter((rule) => rule.scope === scope)}
            canManage={canManage}
            onRemove={setRemoving}
          />
        ))}
      </div>
      {canManage ? <AddRuleForm /> : null}
      {removing ? <RemoveRuleDialog rule={removing} onClose={() => setRemoving(undefined)} /> : null}
    </section>
  );
}
