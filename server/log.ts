export interface ServerLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** JSON lines on stderr. Never pass personal data in fields: logs outlive retention periods. */
export function consoleLog(): ServerLog {
  const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    process.stderr.write(
      `${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`,
    );
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

export const silentLog: ServerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
