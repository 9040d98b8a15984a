import { useTranslation } from 'react-i18next';
import { AdminSection } from './AdminSection';

export function AuditSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  return (
    <AdminSection title={t('admin.nav.audit')} readOnly={!canManage}>
      <p className="muted">{t('app.loadingShort')}</p>
    </AdminSection>
  );
}
