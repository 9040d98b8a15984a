import { mkdir } from 'node:fs/promises';
import { PGlite, types } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** Without a dataDir, PGlite keeps the database in memory. */
export type StorageOptions =
  { kind: 'pglite'; dataDir?: string } | { kind: 'postgres'; connectionString: string };

export interface Storage {
  db: Db;
  kind: 'pglite' | 'postgres';
  /**
   * Calls `onMessage` for every NOTIFY on `channel`, from any process using this database; returns
   * the function that stops listening. PGlite is one process, so there it never calls back.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  /** Closes the connection pool or the PGlite instance. Safe to call more than once. */
  close(): Promise<void>;
}

/** Enough for one server instance; PostgreSQL's default max_connections (100) leaves room for several. */
const POOL_SIZE = 10;

/** Opens the database and runs all pending migrations before returning. */
export async function openStorage(options: StorageOptions): Promise<Storage> {
  if (options.kind === 'postgres') return openPostgres(options.connectionString);
  // PGlite creates the data directory itself but not its parents.
  if (options.dataDir !== undefined) await mkdir(options.dataDir, { recursive: true });
  return storageFromPglite(await PGlite.create({ dataDir: options.dataDir }));
}

/**
 * Wraps an already-open PGlite instance (used by tests that clone a template). Runs migrations.
 * The storage owns the instance from then on: closing the storage closes it.
 */
export async function storageFromPglite(pglite: PGlite): Promise<Storage> {
  readBigintsAsStrings(pglite);
  return migrated('pglite', new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) }));
}

/**
 * node-postgres's defaults already match schema.ts: timestamptz → Date, int8 → string. PGlite
 * also returns Date for timestamptz, but int8 as a number (or a BigInt beyond 2^53), so the two
 * databases would hand different types to the same code. Reading int8 as its text makes PGlite
 * behave like pg. Kysely's PGlite driver passes no per-query parsers, so this has to be set on
 * the instance; a fresh object, because an instance created without parsers shares PGlite's
 * module-wide defaults. Array types look their element parser up here too, so int8[] follows.
 */
function readBigintsAsStrings(pglite: PGlite): void {
  pglite.parsers = { ...pglite.parsers, [types.INT8]: (text: string) => text };
}

async function openPostgres(connectionString: string): Promise<Storage> {
  const pool = new pg.Pool({ connectionString, max: POOL_SIZE });
  // An idle connection that drops (e.g. PostgreSQL restarts) is reported here; the pool has already
  // discarded it and the next query opens a new one. Without a listener it would crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return migrated('postgres', db, (channel, onMessage) =>
    listenOnPostgres(connectionString, channel, onMessage),
  );
}

/**
 * LISTEN needs a connection of its own that stays open (a pooled one would be handed to queries).
 * If it drops, it is reopened; notifications sent while it was down are lost, which the clients'
 * resume by seq covers.
 */
async function listenOnPostgres(
  connectionString: string,
  channel: string,
  onMessage: (payload: string) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | undefined;
  async function open() {
    const next = new pg.Client({ connectionString });
    next.on('notification', (message) => {
      if (message.channel === channel && message.payload !== undefined) onMessage(message.payload);
    });
    next.on('error', () => {
      if (!stopped) setTimeout(() => void open().catch(() => undefined), 1_000).unref();
    });
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    client = next;
  }
  await open();
  return async () => {
    stopped = true;
    await client?.end();
  };
}

const listenNowhere: Storage['listen'] = () => Promise.resolve(() => Promise.resolve());

async function migrated(
  kind: Storage['kind'],
  db: Db,
  listen: Storage['listen'] = listenNowhere,
): Promise<Storage> {
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return { db, kind, listen, close: () => (closing ??= db.destroy()) };
}
