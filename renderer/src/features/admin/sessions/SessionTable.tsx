import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../../protocol/operator-socket';
import { formatDateTime } from '../../../ui/dateTime';
import { useDeviceName } from './useDeviceName';

/** Who is signed in where, since when; one "End session" per row. */
export function SessionTable(props: {
  sessions: SessionInfo[];
  canEnd: boolean;
  onEnd(session: SessionInfo): void;
}) {
  const { t, i18n } = useTranslation();
  const deviceName = useDeviceName();
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  return (
    <table className="admin-table sessions-table" aria-label={t('admin.sessions.tableLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('admin.sessions.operator')}</th>
          <th scope="col">{t('admin.sessions.device')}</th>
          <th scope="col">{t('admin.sessions.address')}</th>
          <th scope="col">{t('admin.sessions.since')}</th>
          <th scope="col">{t('admin.sessions.lastSeen')}</th>
          <th scope="col">{t('admin.sessions.expires')}</th>
          {props.canEnd ? (
            <th scope="col">
              <span className="visually-hidden">{t('admin.sessions.actions')}</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {props.sessions.map((session) => (
          <tr key={session.id} aria-current={session.current ? 'true' : undefined}>
            <td>
              {session.operatorName}
              {session.current ? (
                <span className="tag sessions-current">{t('admin.sessions.current')}</span>
              ) : null}
            </td>
            <td>{deviceName(session)}</td>
            <td>
              {session.address === null ? (
                <span className="muted">{t('admin.sessions.notKept')}</span>
              ) : (
                <code>{session.address}</code>
              )}
            </td>
            <td>{when(session.createdAt)}</td>
            <td>{when(session.lastSeenAt)}</td>
            <td>{when(session.expiresAt)}</td>
            {props.canEnd ? (
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary danger small"
                  aria-label={t('admin.sessions.endOf', {
                    name: session.operatorName,
                    device: deviceName(session),
                  })}
                  onClick={() => props.onEnd(session)}
                >
                  {t('admin.sessions.end')}
                </button>
              </td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
