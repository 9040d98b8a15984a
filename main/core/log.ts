import type { Logger } from './ports';

/** One JSON line per entry on stderr, so logs stay greppable and never mix with printed URLs. */
export function createConsoleLogger(scope: string): Logger {
  function write(level: string, message: string, fields?: Record<string, unknown>) {
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, scope, message, ...fields })}\n`,
    );
  }
  return {
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}
