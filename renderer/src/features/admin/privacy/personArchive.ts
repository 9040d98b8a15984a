import { csvByteOrderMark, toCsv, type CsvValue } from '../../../../../protocol/csv';
import type { PersonExport } from '../../../../../protocol/operator-socket';
import { zipStore } from '../../../../../protocol/zip';

const encoder = new TextEncoder();
const csvFile = (name: string, header: string[], rows: CsvValue[][]) => ({
  name,
  data: encoder.encode(csvByteOrderMark + toCsv([header, ...rows])),
});

/** parley-person-2026-11-23.zip, dated by the admin's calendar. */
export function personArchiveName(day: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `parley-person-${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}.zip`;
}

/**
 * The person's data as one archive: `person.json` holds everything (for machines: portability),
 * and one CSV per kind of record (for people and spreadsheets: access).
 */
export function personArchive(exported: PersonExport): Uint8Array<ArrayBuffer> {
  const field = (fields: Record<string, string>, key: string) => fields[key] ?? '';
  return zipStore(
    [
      { name: 'person.json', data: encoder.encode(`${JSON.stringify(exported, null, 2)}\n`) },
      csvFile(
        'visitors.csv',
        ['id', 'language', 'address', 'created_at', 'last_seen_at'],
        exported.visitors.map((v) => [v.id, v.language, v.address, v.createdAt, v.lastSeenAt]),
      ),
      csvFile(
        'consents.csv',
        ['visitor_id', 'group_id', 'notice_version', 'language', 'given_at'],
        exported.visitors.flatMap((v) =>
          v.consents.map((c) => [v.id, c.groupId, c.noticeVersion, c.language, c.givenAt]),
        ),
      ),
      csvFile(
        'chats.csv',
        [
          'id',
          'visitor_id',
          'visitor_name',
          'email',
          'phone',
          'company',
          'custom',
          'page_url',
          'status',
          'outcome',
          'rating',
          'rating_comment',
          'created_at',
          'closed_at',
        ],
        exported.chats.map((c) => [
          c.id,
          c.visitorId,
          c.visitorName,
          field(c.fields, 'email'),
          field(c.fields, 'phone'),
          field(c.fields, 'company'),
          field(c.fields, 'custom'),
          c.pageUrl,
          c.status,
          c.outcome,
          c.rating,
          c.ratingComment,
          c.createdAt,
          c.closedAt,
        ]),
      ),
      csvFile(
        'messages.csv',
        ['chat_id', 'created_at', 'author', 'author_name', 'text'],
        exported.chats.flatMap((c) =>
          c.messages.map((m) => [c.id, m.createdAt, m.author, m.authorName, m.text]),
        ),
      ),
      csvFile(
        'tickets.csv',
        [
          'id',
          'number',
          'subject',
          'body',
          'status',
          'source',
          'chat_id',
          'requester_name',
          'requester_email',
          'created_at',
        ],
        exported.tickets.map((t) => [
          t.id,
          t.number,
          t.subject,
          t.body,
          t.status,
          t.source,
          t.chatId,
          field(t.requester, 'name'),
          field(t.requester, 'email'),
          t.createdAt,
        ]),
      ),
    ],
    new Date(exported.exportedAt),
  );
}
