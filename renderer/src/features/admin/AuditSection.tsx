import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LoadFailure } from '../../ui/LoadFailure';
import { AdminSection } from './AdminSection';
import { AuditFilters } from './audit/AuditFilters';
import { AuditTable } from './audit/AuditTable';
import { DownloadControls } from './audit/DownloadControls';
import { useAuditStore } from './audit/store';
import './audit.css';

/** The security log: filtered, paged from the newest back, and downloadable as CSV or JSON. */
export function AuditSection({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const store = useAuditStore();
  const { status, error, entries, nextCursor, loadingOlder, olderError, query, operators } = store;
  const { show, loadOlder, loadOperators, reset } = store;

  useEffect(() => {
    void loadOperators();
    void show({});
    return reset;
  }, [loadOperators, show, reset]);

  return (
    <AdminSection title={t('admin.nav.audit')} readOnly={!canManage} toolbar={<AuditFilters />}>
      {status === 'failed' ? (
        <LoadFailure
          message={t('admin.audit.loadFailed', { message: error?.message })}
          retryLabel={t('admin.audit.retry')}
          onRetry={() => void show(query)}
        />
      ) : status === 'loading' ? (
        <p className="muted">{t('admin.audit.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('admin.audit.none')}</p>
      ) : (
        <div className="audit-log">
          <AuditTable entries={entries} operators={operators} />
          <div className="audit-footer">
            <p className="muted" role="status">
              {t('admin.audit.shown', { count: entries.length })}
              {nextCursor === null ? ` ${t('admin.audit.allShown')}` : ''}
            </p>
            {nextCursor === null ? null : (
              <button
                type="button"
                className="secondary"
                disabled={loadingOlder}
                onClick={() => void loadOlder()}
              >
                {loadingOlder ? t('admin.audit.loadingOlder') : t('admin.audit.loadOlder')}
              </button>
            )}
            {olderError ? (
              <p role="alert" className="field-error">
                {t('admin.audit.olderFailed', { message: olderError.message })}
              </p>
            ) : null}
            <DownloadControls query={query} />
          </div>
        </div>
      )}
    </AdminSection>
  );
}
