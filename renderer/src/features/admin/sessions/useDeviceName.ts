import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../../protocol/operator-socket';

/** The device a session runs on, or a word for one that did not say. */
export function useDeviceName(): (session: SessionInfo) => string {
  const { t } = useTranslation();
  return (session) => session.deviceName ?? t('admin.sessions.unknownDevice');
}
