import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** Debian's postgresql-15 package. */
const BIN = '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  port: number;
  url(database: string): string;
  /** Creates a uniquely named empty database and returns its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export function postgresAvailable(): boolean {
  return existsSync(join(BIN, 'initdb'));
}

/**
 * Starts a throw-away PostgreSQL 15 server on 127.0.0.1 with trust authentication, its data,
 * socket and log in a temp directory. fsync is off: nothing here needs to survive a crash.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  const dataDir = join(dir, 'data');
  const log = join(dir, 'log');
  const run = asServerUser(dir);
  try {
    // C collation, like PGlite, so ORDER BY on text sorts the same on both databases.
    const cluster = ['-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'];
    await run('initdb', ['-D', dataDir, ...cluster]);
    const port = await freePort();
    const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`;
    await run('pg_ctl', ['-D', dataDir, '-l', log, '-o', settings, '-w', 'start']);
    return serverHandle(port, () => run('pg_ctl', ['-D', dataDir, '-m', 'immediate', 'stop']), dir);
  } catch (error) {
    // pg_ctl only says "could not start server"; the reason is in the server's log.
    const serverLog = existsSync(log) ? `\n${readFileSync(log, 'utf8')}` : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${describeFailure(error)}${serverLog}`, { cause: error });
  }
}

function serverHandle(port: number, stopServer: () => Promise<void>, dir: string): PostgresServer {
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase() {
      const name = `parley_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(`create database ${name}`);
      } finally {
        await admin.end();
      }
      return url(name);
    },
    async stop() {
      try {
        await stopServer();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

type Run = (program: string, args: string[]) => Promise<void>;

/**
 * PostgreSQL refuses to run as root. As root, hand the directory to the `postgres` account the
 * package created and run the binaries through runuser; as anyone else, run them directly.
 */
function asServerUser(dir: string): Run {
  const asRoot = process.getuid?.() === 0;
  // The directory is still empty, so owning it is enough for everything created inside.
  if (asRoot) chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), -1);
  return async (program, args) => {
    const [command, commandArgs] = asRoot
      ? ['runuser', ['-u', 'postgres', '--', join(BIN, program), ...args]]
      : [join(BIN, program), args];
    try {
      // cwd: the server user may not be allowed into the caller's working directory.
      await promisify(execFile)(command, commandArgs, { cwd: dir });
    } catch (error) {
      throw new Error(`${program} failed: ${describeFailure(error)}`, { cause: error });
    }
  };
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && 'stderr' in error && typeof error.stderr === 'string' && error.stderr) {
    return error.stderr.trim();
  }
  return error instanceof Error ? error.message : String(error);
}

/** Asks the OS for an unused port. Another process could take it before PostgreSQL does; unlikely. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
