import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../../protocol/operator-socket';
import { ConfirmActionDialog } from '../../../ui/ConfirmActionDialog';
import { useSessionsStore } from './store';
import { useDeviceName } from './useDeviceName';

/** Asks before ending a session; ending one's own says that it signs one out here. */
export function EndSessionDialog({ session, onClose }: { session: SessionInfo; onClose(): void }) {
  const { t } = useTranslation();
  const revoke = useSessionsStore((store) => store.revoke);
  const device = useDeviceName()(session);
  return (
    <ConfirmActionDialog
      title={t('admin.sessions.endTitle', { name: session.operatorName, device })}
      confirmLabel={t('admin.sessions.end')}
      onConfirm={() => revoke(session.id)}
      onClose={onClose}
    >
      <p>{t('admin.sessions.endLead', { name: session.operatorName })}</p>
      {session.current ? (
        <p role="alert" className="notice sessions-own-warning">
          {t('admin.sessions.endOwnWarning')}
        </p>
      ) : null}
    </ConfirmActionDialog>
  );
}
