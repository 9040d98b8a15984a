import { useTranslation } from 'react-i18next';
import { useAuthStore } from '../login/store';

function clock(iso: string, language: string): string {
  return new Date(iso).toLocaleTimeString(language, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** Online, reconnecting or offline, and since when: an operator must never wonder whether chats can reach them. */
export function ConnectionIndicator() {
  const { t, i18n } = useTranslation();
  const connection = useAuthStore((state) => state.connection);
  if (!connection) return null;
  const details = [t('session.since', { time: clock(connection.since, i18n.language) })];
  if (connection.nextAttemptAt)
    details.push(t('session.nextAttempt', { time: clock(connection.nextAttemptAt, i18n.language) }));
  return (
    <span role="status" className={`connection connection-${connection.state}`} title={details.join(', ')}>
      <span className="dot" aria-hidden="true" />
      {t(`session.status.${connection.state}`)}{' '}
      {/* Online, the details are a tooltip; otherwise they are what the operator needs to see. */}
      <span className={connection.state === 'online' ? 'visually-hidden' : 'muted'}>
        ({details.join(', ')})
      </span>
    </span>
  );
}
