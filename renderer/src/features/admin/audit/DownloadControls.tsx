import { useTranslation } from 'react-i18next';
import type { AuditQuery } from './filters';
import { useAuditDownload } from './useAuditDownload';

/** "Download CSV / JSON" of every entry the filters match, with progress and a way to stop. */
export function DownloadControls({ query }: { query: AuditQuery }) {
  const { t } = useTranslation();
  const { state, start, cancel } = useAuditDownload(query);
  const fetching = state.phase === 'fetching';

  const message =
    state.phase === 'fetching'
      ? t('admin.audit.download.progress', { count: state.fetched })
      : state.phase === 'done'
        ? t('admin.audit.download.done', { count: state.count, file: state.file })
        : state.phase === 'cancelled'
          ? t('admin.audit.download.cancelled')
          : undefined;

  return (
    <div className="audit-download">
      <p role="status" className="muted audit-download-status">
        {message ?? ''}
      </p>
      {state.phase === 'failed' ? (
        <p role="alert" className="field-error">
          {t('admin.audit.download.failed', { message: state.message })}
        </p>
      ) : null}
      {fetching ? (
        <button type="button" className="quiet danger" onClick={cancel}>
          {t('admin.audit.download.cancel')}
        </button>
      ) : null}
      <button type="button" className="secondary" disabled={fetching} onClick={() => start('csv')}>
        {t('admin.audit.download.csv')}
      </button>
      <button type="button" className="secondary" disabled={fetching} onClick={() => start('json')}>
        {t('admin.audit.download.json')}
      </button>
    </div>
  );
}
