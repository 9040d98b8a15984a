import { useTranslation } from 'react-i18next';
import type { IpRule } from '../../../../../protocol/operator-socket';
import { useSecurityStore } from './store';

/** Whom a rule binds, in words: everyone, a role, or an operator by display name. */
export function useSubjectName(): (rule: Pick<IpRule, 'scope' | 'subject'>) => string {
  const { t } = useTranslation();
  const operators = useSecurityStore((store) => store.operators);
  return (rule) => {
    switch (rule.scope) {
      case 'global':
        return t('admin.security.allowlist.everyone');
      case 'role':
        return t(`admin.security.roles.${rule.subject}`, { defaultValue: rule.subject });
      case 'operator':
        return (
          operators.find((operator) => operator.id === rule.subject)?.displayName ??
          t('admin.security.allowlist.unknownOperator')
        );
    }
  };
}
