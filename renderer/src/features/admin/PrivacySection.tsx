import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailure } from '../../ui/LoadFailure';
import { AdminSection } from './AdminSection';
import { ErasurePanel } from './privacy/ErasurePanel';
import { MaskingRules } from './privacy/MaskingRules';
import { RetentionForm } from './privacy/RetentionForm';
import { usePrivacyStore } from './privacy/store';
import { useCan } from './usePermissions';
import './privacy.css';

/**
 * Privacy controls: how long each kind of personal data is kept, what operators see of visitors
 * (masking rules), and, for a role that may erase, erasing one person's data on request.
 */
export function PrivacySection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { retention, failure, load, saveRetention } = usePrivacyStore();
  const canErase = useCan('data.erase');
  const canSeeGroups = useCan('groups.view');
  const canManageGroups = useCan('groups.manage');

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <AdminSection title={t('admin.nav.privacy')} readOnly={!canManage}>
      {failure ? (
        <LoadFailure
          message={t('admin.privacy.loadFailed', { message: failure })}
          retryLabel={t('admin.privacy.retry')}
          onRetry={() => void load()}
        />
      ) : retention ? (
        <RetentionForm retention={retention} canManage={canManage} onSave={saveRetention} />
      ) : (
        <p className="muted">{t('app.loadingShort')}</p>
      )}
      {/* The rules are saved on the groups, so changing them takes both rights. */}
      {canSeeGroups ? <MaskingRules canManage={canManage && canManageGroups} /> : null}
      {canErase ? <ErasurePanel /> : null}
    </AdminSection>
  );
}
