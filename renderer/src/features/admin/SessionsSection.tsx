import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionInfo } from '../../../../protocol/operator-socket';
import { Field } from '../../ui/Field';
import { LoadFailure } from '../../ui/LoadFailure';
import { AdminSection } from './AdminSection';
import { EndSessionDialog } from './sessions/EndSessionDialog';
import { SessionTable } from './sessions/SessionTable';
import { filterSessions, useSessionsStore } from './sessions/store';
import './sessions.css';

/** Every operator's live sessions, to end one that should not be (a lost laptop, a leaver). */
export function SessionsSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const { status, refreshing, error, sessions, load, reset } = useSessionsStore();
  const [search, setSearch] = useState('');
  const [ending, setEnding] = useState<SessionInfo | undefined>(undefined);
  const shown = filterSessions(sessions, search);

  useEffect(() => {
    void load();
    return reset;
  }, [load, reset]);

  const toolbar = (
    <>
      <Field
        label={t('admin.sessions.search')}
        type="search"
        value={search}
        onChange={(event) => setSearch(event.target.value)}
      />
      <button type="button" className="secondary" disabled={refreshing} onClick={() => void load()}>
        {t('admin.sessions.refresh')}
      </button>
      <p className="muted sessions-count" role="status">
        {status === 'ready' ? t('admin.sessions.count', { count: shown.length }) : ''}
      </p>
    </>
  );

  return (
    <AdminSection title={t('admin.nav.sessions')} readOnly={!canManage} toolbar={toolbar}>
      {status === 'failed' ? (
        <LoadFailure
          message={t('admin.sessions.loadFailed', { message: error?.message })}
          retryLabel={t('admin.sessions.retry')}
          onRetry={() => void load()}
        />
      ) : status === 'loading' ? (
        <p className="muted">{t('admin.sessions.loading')}</p>
      ) : shown.length === 0 ? (
        <p className="muted">{search.trim() ? t('admin.sessions.noMatches') : t('admin.sessions.none')}</p>
      ) : (
        <SessionTable sessions={shown} canEnd={canManage} onEnd={setEnding} />
      )}
      {ending ? <EndSessionDialog session={ending} onClose={() => setEnding(undefined)} /> : null}
    </AdminSection>
  );
}
