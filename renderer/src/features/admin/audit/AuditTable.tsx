import { useTranslation } from 'react-i18next';
import type { AdminOperator, AuditEntryInfo } from '../../../../../protocol/operator-socket';
import { useVirtualRows } from '../../../ui/useVirtualRows';
import { useActionLabel } from './actions';
import { compactDetails, formatAuditTime } from './format';

const rowHeight = 32;
const columnCount = 6;

/** Empty rows standing in for the ones scrolled out of view, so the scrollbar spans the whole log. */
function Spacer({ height }: { height: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true" className="audit-spacer">
      <td colSpan={columnCount} style={{ height }} />
    </tr>
  );
}

/**
 * The entries, newest first, one line each (the full text on hover). Virtualised: only the rows
 * in view are in the DOM, so thousands of loaded entries scroll like a screenful.
 */
export function AuditTable({
  entries,
  operators,
}: {
  entries: AuditEntryInfo[];
  operators: AdminOperator[];
}) {
  const { t, i18n } = useTranslation();
  const actionLabel = useActionLabel();
  const { viewportRef, onScroll, first, last } = useVirtualRows({ count: entries.length, rowHeight });
  // Most targets are operator ids; a name says more. Other ids (sessions, groups, rules) stay as they are.
  const operatorName = new Map(operators.map((operator) => [operator.id, operator.displayName]));

  return (
    <div
      className="audit-scroll"
      ref={viewportRef}
      onScroll={onScroll}
      role="region"
      aria-label={t('admin.audit.tableLabel')}
      // Focusable, so the log scrolls with the keyboard too.
      tabIndex={0}
    >
      <table
        className="admin-table audit-table"
        aria-label={t('admin.audit.tableLabel')}
        aria-rowcount={entries.length + 1}
      >
        <colgroup>
          <col className="audit-col-time" />
          <col className="audit-col-actor" />
          <col className="audit-col-action" />
          <col className="audit-col-target" />
          <col className="audit-col-address" />
          <col />
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{t('admin.audit.time')}</th>
            <th scope="col">{t('admin.audit.actor')}</th>
            <th scope="col">{t('admin.audit.action')}</th>
            <th scope="col">{t('admin.audit.target')}</th>
            <th scope="col">{t('admin.audit.address')}</th>
            <th scope="col">{t('admin.audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          <Spacer height={first * rowHeight} />
          {entries.slice(first, last).map((entry, offset) => {
            const label = actionLabel(entry.action);
            const target = entry.target === null ? '' : (operatorName.get(entry.target) ?? entry.target);
            const details = compactDetails(entry.details);
            return (
              <tr key={entry.id} aria-rowindex={first + offset + 2} style={{ height: rowHeight }}>
                <td>
                  <time dateTime={entry.at}>{formatAuditTime(entry.at, i18n.language)}</time>
                </td>
                <td title={entry.actorName ?? undefined}>
                  {entry.actorName ?? <span className="muted">{t('admin.audit.noActor')}</span>}
                </td>
                <td title={label ? `${label} (${entry.action})` : entry.action}>
                  {label ? <span className="audit-action-label">{label}</span> : null}
                  <code className="audit-action-code">{entry.action}</code>
                </td>
                <td title={entry.target ?? undefined}>{target}</td>
                <td>
                  {entry.address === null ? (
                    <span className="muted">{t('admin.audit.notKept')}</span>
                  ) : (
                    <code>{entry.address}</code>
                  )}
                </td>
                <td title={details}>
                  <code>{details}</code>
                </td>
              </tr>
            );
          })}
          <Spacer height={(entries.length - last) * rowHeight} />
        </tbody>
      </table>
    </div>
  );
}
