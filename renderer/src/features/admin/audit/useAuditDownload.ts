import { useEffect, useRef, useState } from 'react';
import { toParleyErrorData } from '../../../../../protocol/errors';
import { auditCsv, auditFileName, auditJson, DownloadCancelled, fetchAllAuditEntries } from './download';
import type { AuditQuery } from './filters';
import { saveFile } from '../../../ui/saveFile';
import { csvByteOrderMark } from '../../../../../protocol/csv';

export type DownloadFormat = 'csv' | 'json';

export type DownloadState =
  | { phase: 'idle' }
  | { phase: 'fetching'; format: DownloadFormat; fetched: number }
  | { phase: 'done'; count: number; file: string }
  | { phase: 'cancelled' }
  | { phase: 'failed'; message: string };

/** Downloads everything matching `query` as one file, with progress; leaving the screen cancels. */
export function useAuditDownload(query: AuditQuery) {
  const [state, setState] = useState<DownloadState>({ phase: 'idle' });
  const running = useRef<AbortController | undefined>(undefined);

  useEffect(() => () => running.current?.abort(), []);

  async function start(format: DownloadFormat) {
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setState({ phase: 'fetching', format, fetched: 0 });
    try {
      const entries = await fetchAllAuditEntries(query, {
        signal: controller.signal,
        onProgress: (fetched) => setState({ phase: 'fetching', format, fetched }),
      });
      const now = new Date();
      const file = auditFileName(format, now);
      if (format === 'csv') saveFile(file, csvByteOrderMark + auditCsv(entries), 'text/csv;charset=utf-8');
      else saveFile(file, auditJson(entries, query, now), 'application/json');
      setState({ phase: 'done', count: entries.length, file });
    } catch (error) {
      if (error instanceof DownloadCancelled) return;
      setState({ phase: 'failed', message: toParleyErrorData(error).message });
    } finally {
      if (running.current === controller) running.current = undefined;
    }
  }

  function cancel() {
    running.current?.abort();
    setState({ phase: 'cancelled' });
  }

  return { state, start: (format: DownloadFormat) => void start(format), cancel };
}
