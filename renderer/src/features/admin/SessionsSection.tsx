import { useTranslation } from 'react-i18next';
import { AdminSection } from './AdminSection';

export function SessionsSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  return (
    <AdminSection title={t('admin.nav.sessions')} readOnly={!canManage}>
      <p className="muted">{t('app.loadingShort')}</p>
    </AdminSection>
  );
}
