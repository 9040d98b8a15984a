import type { Logger } from '../../main/core/ports';

/** A logger that keeps its entries, so tests can assert that a refusal was logged. */
export function recordingLogger() {
  const entries: { level: 'info' | 'warn' | 'error'; message: string; fields?: Record<string, unknown> }[] =
    [];
  const log: Logger = {
    info: (message, fields) => entries.push({ level: 'info', message, fields }),
    warn: (message, fields) => entries.push({ level: 'warn', message, fields }),
    error: (message, fields) => entries.push({ level: 'error', message, fields }),
  };
  return { log, entries };
}
