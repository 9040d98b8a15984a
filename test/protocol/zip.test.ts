import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 as nodeCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { crc32, zipStore } from '../../protocol/zip';

const text = (value: string) => new TextEncoder().encode(value);

describe('zipStore', () => {
  it('computes the CRC-32 that zlib computes', () => {
    for (const sample of ['', 'a', 'Grüße aus München', 'x'.repeat(100_000)]) {
      expect(crc32(text(sample))).toBe(nodeCrc32(text(sample)));
    }
  });

  it('writes an archive that unzip tests and extracts byte for byte', () => {
    const files = {
      'person.json': '{"name":"Vera Müller"}\n',
      'chats.csv': 'id,text\r\n1,"Hallo, Welt"\r\n',
      'notes.txt': 'ä ö ü ß €',
      'empty.csv': '',
    };
    const archive = zipStore(Object.entries(files).map(([name, data]) => ({ name, data: text(data) })));
    const dir = mkdtempSync(join(tmpdir(), 'parley-zip-'));
    const file = join(dir, 'export.zip');
    writeFileSync(file, archive);
    expect(execFileSync('unzip', ['-tq', file], { encoding: 'utf8' })).toMatch(/No errors detected/);
    for (const [name, data] of Object.entries(files)) {
      expect(execFileSync('unzip', ['-p', file, name], { encoding: 'utf8' })).toBe(data);
    }
  });

  it('marks names as UTF-8, so an archive tool shows “Übersicht” and not mojibake', () => {
    const archive = zipStore([{ name: 'Übersicht.txt', data: text('x') }]);
    const header = new DataView(archive.buffer);
    expect(header.getUint16(6, true) & 0x0800).toBe(0x0800);
    const nameLength = header.getUint16(26, true);
    expect(new TextDecoder().decode(archive.slice(30, 30 + nameLength))).toBe('Übersicht.txt');
  });
});
