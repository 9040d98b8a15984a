/*
 * CSV as RFC 4180 writes it (fields quoted when they must be, quotes doubled, CRLF line ends),
 * and safe to open in a spreadsheet: exports hold text that visitors and operators typed, and a
 * spreadsheet runs a cell that starts like a formula ("=HYPERLINK(…)", "@SUM(…)") as one.
 * Pure TypeScript: the renderer's audit download and the server's data export share it.
 */

export type CsvValue = string | number | boolean | null | undefined;

/** Excel reads a CSV as UTF-8 only when it starts with a byte order mark; other programs ignore it. */
export const csvByteOrderMark = '\uFEFF';

/** Characters that make a spreadsheet read a cell as a formula (OWASP's list). */
const formulaStart = /^[=+\-@\t\r]/;

/** RFC 4180: a field holding a quote, a comma or a line break must be quoted. */
const needsQuotes = /[",\r\n]/;

/**
 * One field. Text that would start a formula gets a leading apostrophe, which spreadsheets show
 * as plain text; numbers and booleans are data the export wrote itself, so -5 stays a number.
 */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text}`;
  return needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, without its line end. */
export function csvRow(values: readonly CsvValue[]): string {
  return values.map(csvCell).join(',');
}

/** A whole file: every record, the last one included, ends with CRLF. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => `${csvRow(row)}\r\n`).join('');
}
