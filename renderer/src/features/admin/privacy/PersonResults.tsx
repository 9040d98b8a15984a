import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PersonData } from '../../../../../protocol/operator-socket';
import { formatDateTime } from '../../../ui/dateTime';
import type { RecordKind, Selection } from './erasure';

interface Column<R> {
  title: string;
  cell(record: R): ReactNode;
  className?: string;
}

/** One tick for the whole group; mixed when only some rows are ticked. */
function TickAll(props: { label: string; ticked: number; total: number; onChange(on: boolean): void }) {
  const box = useRef<HTMLInputElement>(null);
  const mixed = props.ticked > 0 && props.ticked < props.total;
  useEffect(() => {
    // `indeterminate` has no attribute, only the DOM property.
    if (box.current) box.current.indeterminate = mixed;
  }, [mixed]);
  return (
    <input
      ref={box}
      type="checkbox"
      aria-label={props.label}
      checked={props.total > 0 && props.ticked === props.total}
      onChange={(event) => props.onChange(event.target.checked)}
    />
  );
}

function RecordTable<R extends { id: string }>(props: {
  kind: RecordKind;
  records: readonly R[];
  selection: Selection;
  columns: Column<R>[];
  rowLabel(record: R): string;
  /** Marks a row the operator must notice before erasing it (a chat being served). */
  live?(record: R): boolean;
  onTick(kind: RecordKind, ids: string[], on: boolean): void;
}) {
  const { t } = useTranslation();
  const { kind, records, selection } = props;
  const ticked = selection[kind];
  const caption = t(`admin.privacy.erasure.${kind}.caption`);
  if (records.length === 0) {
    return (
      <p className="erasure-empty-group">
        <strong>{caption}</strong> <span className="muted">{t('admin.privacy.erasure.none')}</span>
      </p>
    );
  }
  return (
    <table className={`admin-table erasure-table erasure-${kind}`}>
      <caption>
        {caption} <span className="muted">({records.length})</span>
      </caption>
      <thead>
        <tr>
          <th scope="col" className="erasure-tick">
            <TickAll
              label={t(`admin.privacy.erasure.${kind}.all`)}
              ticked={records.filter((record) => ticked.has(record.id)).length}
              total={records.length}
              onChange={(on) =>
                props.onTick(
                  kind,
                  records.map((record) => record.id),
                  on,
                )
              }
            />
          </th>
          {props.columns.map((column) => (
            <th key={column.title} scope="col" className={column.className}>
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {records.map((record) => (
          <tr key={record.id} className={props.live?.(record) ? 'erasure-live' : undefined}>
            <td className="erasure-tick">
              <input
                type="checkbox"
                aria-label={props.rowLabel(record)}
                checked={ticked.has(record.id)}
                onChange={(event) => props.onTick(kind, [record.id], event.target.checked)}
              />
            </td>
            {props.columns.map((column) => (
              <td key={column.title} className={column.className}>
                {column.cell(record)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// Ids are UUIDs: the first block tells records apart on screen, the title holds the whole id.
const shortId = (id: string) => <code title={id}>{id.slice(0, 8)}</code>;

/** What the server holds about the person, one table per kind of record, each row with its tick. */
export function PersonResults(props: {
  found: PersonData;
  selection: Selection;
  onTick(kind: RecordKind, ids: string[], on: boolean): void;
}) {
  const { t, i18n } = useTranslation();
  const when = (iso: string) => formatDateTime(iso, i18n.language);
  const unknown = <span className="muted">{t('admin.privacy.erasure.unknown')}</span>;
  const common = { selection: props.selection, onTick: props.onTick };
  const k = 'admin.privacy.erasure';
  return (
    <div className="erasure-results">
      <RecordTable
        {...common}
        kind="visitors"
        records={props.found.visitors}
        rowLabel={(visitor) =>
          t(`${k}.visitors.row`, { id: visitor.id.slice(0, 8), when: when(visitor.lastSeenAt) })
        }
        columns={[
          { title: t(`${k}.visitors.id`), cell: (visitor) => shortId(visitor.id) },
          { title: t(`${k}.visitors.language`), cell: (visitor) => visitor.language },
          {
            title: t(`${k}.visitors.created`),
            cell: (visitor) => when(visitor.createdAt),
            className: 'nowrap',
          },
          {
            title: t(`${k}.visitors.lastSeen`),
            cell: (visitor) => when(visitor.lastSeenAt),
            className: 'nowrap',
          },
          { title: t(`${k}.visitors.consents`), cell: (visitor) => visitor.consents, className: 'number' },
        ]}
      />
      {props.found.visitors.length > 0 ? (
        <p className="hint erasure-note">{t(`${k}.visitors.note`)}</p>
      ) : null}
      <RecordTable
        {...common}
        kind="chats"
        records={props.found.chats}
        rowLabel={(chat) => t(`${k}.chats.row`, { name: chat.visitorName, when: when(chat.createdAt) })}
        live={(chat) => chat.status === 'open'}
        columns={[
          { title: t(`${k}.chats.visitor`), cell: (chat) => chat.visitorName },
          { title: t(`${k}.chats.email`), cell: (chat) => chat.email ?? unknown },
          {
            title: t(`${k}.chats.status`),
            cell: (chat) =>
              chat.status === 'open' ? (
                <span className="tag erasure-open">{t(`${k}.chats.open`)}</span>
              ) : (
                t(`${k}.chats.closed`)
              ),
          },
          { title: t(`${k}.chats.started`), cell: (chat) => when(chat.createdAt), className: 'nowrap' },
        ]}
      />
      <RecordTable
        {...common}
        kind="tickets"
        records={props.found.tickets}
        rowLabel={(ticket) => t(`${k}.tickets.row`, { number: ticket.number, subject: ticket.subject })}
        columns={[
          { title: t(`${k}.tickets.number`), cell: (ticket) => `#${ticket.number}`, className: 'nowrap' },
          { title: t(`${k}.tickets.subject`), cell: (ticket) => ticket.subject },
          {
            title: t(`${k}.tickets.requester`),
            cell: (ticket) =>
              ticket.requesterName === null && ticket.requesterEmail === null ? (
                unknown
              ) : (
                <>
                  {ticket.requesterName}
                  {ticket.requesterName !== null && ticket.requesterEmail !== null ? ' · ' : null}
                  {ticket.requesterEmail}
                </>
              ),
          },
          { title: t(`${k}.tickets.created`), cell: (ticket) => when(ticket.createdAt), className: 'nowrap' },
        ]}
      />
    </div>
  );
}
