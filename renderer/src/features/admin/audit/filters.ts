import type { IpcArgs } from '../../../../../protocol/ipc';

/** The filter form's values; '' means "any". Dates are the date inputs' YYYY-MM-DD. */
export interface AuditFilterValues {
  actorId: string;
  action: string;
  from: string;
  to: string;
}

export const noFilters: AuditFilterValues = { actorId: '', action: '', from: '', to: '' };

/** What audit.list filters by; paging (before, limit) is added per request. */
export type AuditQuery = Omit<IpcArgs<'audit.list'>, 'before' | 'limit'>;

/** Midnight at the start of a YYYY-MM-DD day in the operator's time zone, `days` later. */
function localMidnight(date: string, days = 0): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(year, month - 1, day + days).toISOString();
}

/**
 * The server query for the form's values. `to` includes the whole of its day where the operator
 * is: the server's bound is exclusive, so it gets the next local midnight. Undefined when the
 * period ends before it starts.
 */
export function auditQueryOf(values: AuditFilterValues): AuditQuery | undefined {
  if (values.from && values.to && values.to < values.from) return undefined;
  const query: AuditQuery = {};
  if (values.actorId) query.actorId = values.actorId;
  if (values.action.trim()) query.action = values.action.trim();
  if (values.from) query.from = localMidnight(values.from);
  if (values.to) query.to = localMidnight(values.to, 1);
  return query;
}
