/** An entry's details on one line, key=value, for the table; the downloads keep the JSON. */
export function compactDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
}

/** When an entry happened, to the second, in the operator's language and time zone. */
export function formatAuditTime(at: string, language: string): string {
  return new Date(at).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'medium' });
}
