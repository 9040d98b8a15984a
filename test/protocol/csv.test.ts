import { describe, expect, it } from 'vitest';
import { csvCell, csvRow, toCsv } from '../../protocol/csv';

describe('CSV cells (RFC 4180)', () => {
  it('leaves plain text as it is', () => {
    expect(csvCell('login.succeeded')).toBe('login.succeeded');
    expect(csvCell('Anna Berg')).toBe('Anna Berg');
    expect(csvCell('Grüße aus Köln')).toBe('Grüße aus Köln');
  });

  it('writes nothing for missing values and numbers and booleans as they print', () => {
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('')).toBe('');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(true)).toBe('true');
  });

  it('quotes fields with commas, quotes or line breaks and doubles the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvCell('"')).toBe('""""');
  });
});

describe('CSV cells against formula injection', () => {
  it.each([
    ['=cmd|" /C calc"!A0', `"'=cmd|"" /C calc""!A0"`],
    ['=1+1', "'=1+1"],
    ['+49 30 1234', "'+49 30 1234"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', `"'\r=1+1"`],
  ])('neutralises %j with a leading apostrophe', (text, expected) => {
    expect(csvCell(text)).toBe(expected);
  });

  it('leaves formula characters inside the text alone', () => {
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('ip_rule.added scope=global')).toBe('ip_rule.added scope=global');
    expect(csvCell(' =1')).toBe(' =1');
  });

  it('keeps negative numbers numbers: only text can carry a formula', () => {
    expect(csvCell(-5)).toBe('-5');
  });
});

describe('CSV rows and files', () => {
  it('joins a row with commas', () => {
    expect(csvRow(['a', 'b,c', null, 3])).toBe('a,"b,c",,3');
  });

  it('ends every record with CRLF, the last one too', () => {
    expect(
      toCsv([
        ['time', 'action'],
        ['2026-11-23T09:00:00.000Z', '=evil()'],
      ]),
    ).toBe("time,action\r\n2026-11-23T09:00:00.000Z,'=evil()\r\n");
    expect(toCsv([])).toBe('');
  });

  it('keeps a line break inside a quoted field from starting a new record', () => {
    const file = toCsv([['note', 'line one\r\nline two']]);
    expect(file).toBe('note,"line one\r\nline two"\r\n');
  });
});
