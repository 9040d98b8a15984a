import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PersonExport } from '../../protocol/operator-socket';
import { personArchive } from '../../renderer/src/features/admin/privacy/personArchive';

const exported: PersonExport = {
  exportedAt: '2026-11-23T09:00:00.000Z',
  visitors: [
    {
      id: 'v1',
      language: 'de',
      address: '203.0.113.0',
      createdAt: '2026-11-20T09:00:00.000Z',
      lastSeenAt: '2026-11-21T09:00:00.000Z',
      consents: [{ groupId: 'g1', noticeVersion: '2', language: 'de', givenAt: '2026-11-20T09:00:00.000Z' }],
    },
  ],
  chats: [
    {
      id: 'c1',
      groupId: 'g1',
      visitorId: 'v1',
      visitorName: 'Vera Müller',
      fields: { name: 'Vera Müller', email: 'vera@example.de' },
      pageUrl: 'https://shop.example/cart',
      status: 'closed',
      outcome: 'answered',
      rating: 5,
      ratingComment: '=HYPERLINK("http://evil")',
      createdAt: '2026-11-20T09:00:00.000Z',
      closedAt: '2026-11-20T09:10:00.000Z',
      messages: [
        {
          author: 'visitor',
          authorName: 'Vera Müller',
          text: 'Hallo, "Paket" 4711',
          createdAt: '2026-11-20T09:01:00.000Z',
        },
      ],
    },
  ],
  tickets: [],
};

function unzipped(archive: Uint8Array, name: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'parley-archive-')), 'person.zip');
  writeFileSync(file, archive);
  return execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' });
}

describe('the person export archive', () => {
  it('holds the whole document as JSON and one CSV per kind of record, spreadsheet-safe', () => {
    const archive = personArchive(exported);
    expect(JSON.parse(unzipped(archive, 'person.json'))).toEqual(exported);
    expect(unzipped(archive, 'messages.csv')).toBe(
      '\uFEFFchat_id,created_at,author,author_name,text\r\n' +
        'c1,2026-11-20T09:01:00.000Z,visitor,Vera Müller,"Hallo, ""Paket"" 4711"\r\n',
    );
    const chats = unzipped(archive, 'chats.csv');
    expect(chats).toContain(
      'c1,v1,Vera Müller,vera@example.de,,,,https://shop.example/cart,closed,answered,5,',
    );
    // The visitor's own comment cannot run as a formula when the file is opened.
    expect(chats).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(unzipped(archive, 'consents.csv')).toContain('v1,g1,2,de,2026-11-20T09:00:00.000Z');
    expect(unzipped(archive, 'tickets.csv')).toBe(
      '\uFEFFid,number,subject,body,status,source,chat_id,requester_name,requester_email,created_at\r\n',
    );
  });
});
