import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailure } from '../../ui/LoadFailure';
import { AdminSection } from './AdminSection';
import { AllowlistEditor } from './security/AllowlistEditor';
import { PolicyForm } from './security/PolicyForm';
import { useSecurityStore } from './security/store';
import './security.css';

/** The security policy and the IP allowlists; read-only for team leads. */
export function SecuritySection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { status, error, policy, load, reset } = useSecurityStore();

  useEffect(() => {
    void load();
    return reset;
  }, [load, reset]);

  return (
    <AdminSection title={t('admin.nav.security')} readOnly={!canManage}>
      {status === 'failed' ? (
        <LoadFailure
          message={t('admin.security.loadFailed', { message: error?.message })}
          retryLabel={t('admin.security.retry')}
          onRetry={() => void load()}
        />
      ) : status === 'loading' || !policy ? (
        <p className="muted">{t('admin.security.loading')}</p>
      ) : (
        <div className="security-screen">
          <PolicyForm policy={policy} canManage={canManage} />
          <AllowlistEditor canManage={canManage} />
        </div>
      )}
    </AdminSection>
  );
}
