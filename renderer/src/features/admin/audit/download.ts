import { toCsv } from '../../../../../protocol/csv';
import type { AuditEntryInfo } from '../../../../../protocol/operator-socket';
import type { AuditQuery } from './filters';

/** The most the server sends per request: a download takes as few round trips as it can. */
const downloadPageSize = 500;

export class DownloadCancelled extends Error {
  override readonly name = 'DownloadCancelled';
}

/**
 * Every entry matching `query`, page after page from newest to oldest. Cancelling stops after the
 * page in flight; what was fetched is dropped, so a file never holds half a log.
 */
export async function fetchAllAuditEntries(
  query: AuditQuery,
  options: { signal: AbortSignal; onProgress(fetched: number): void },
): Promise<AuditEntryInfo[]> {
  const entries: AuditEntryInfo[] = [];
  let before: string | undefined;
  do {
    const page = await window.parley.audit.list({
      ...query,
      limit: downloadPageSize,
      ...(before === undefined ? {} : { before }),
    });
    if (options.signal.aborted) throw new DownloadCancelled();
    entries.push(...page.entries);
    options.onProgress(entries.length);
    before = page.nextCursor ?? undefined;
  } while (before !== undefined);
  return entries;
}

const csvColumns = ['id', 'time', 'actor_id', 'actor', 'action', 'target', 'address', 'details'];

/** One row per entry, times in UTC ISO 8601, details as JSON: for spreadsheets and scripts alike. */
export function auditCsv(entries: readonly AuditEntryInfo[]): string {
  return toCsv([
    csvColumns,
    ...entries.map((entry) => [
      entry.id,
      entry.at,
      entry.actorId,
      entry.actorName,
      entry.action,
      entry.target,
      entry.address,
      JSON.stringify(entry.details),
    ]),
  ]);
}

export function auditJson(entries: readonly AuditEntryInfo[], query: AuditQuery, exportedAt: Date): string {
  return `${JSON.stringify({ exportedAt: exportedAt.toISOString(), filters: query, entries }, null, 2)}\n`;
}

const twoDigits = (value: number) => String(value).padStart(2, '0');

/** parley-audit-2026-11-23.csv, dated by the operator's calendar. */
export function auditFileName(format: 'csv' | 'json', day: Date): string {
  const date = `${day.getFullYear()}-${twoDigits(day.getMonth() + 1)}-${twoDigits(day.getDate())}`;
  return `parley-audit-${date}.${format}`;
}
