import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, it, onTestFinished } from 'vitest';
import { openStorage, storageFromPglite } from '../../server/storage/database';
import type { Storage } from '../../server/storage/database';
import { postgresAvailable, startPostgres } from './postgres';
import type { PostgresServer } from './postgres';

export interface TestStorage {
  storage: Storage;
  kind: 'pglite' | 'postgres';
}

/**
 * Runs `suite` twice, as describe('on PGlite') and describe('on PostgreSQL'). Each call of
 * `fresh()` opens a new, migrated, empty database: on PGlite a copy of a migrated template, on
 * PostgreSQL a new database on a server started for this describe block. Call `fresh()` from a
 * test or a beforeEach: the storage is closed when that test finishes.
 */
export function describeEachDatabase(name: string, suite: (fresh: () => Promise<Storage>) => void): void {
  describe(name, () => {
    describe('on PGlite', () => {
      // Pay for initdb in a hook (60 s timeout) rather than inside the first test.
      beforeAll(async () => {
        await migratedTemplate();
      });
      suite(freshPglite);
    });
    describePostgres('on PostgreSQL', (server) =>
      suite(() =>
        closedAfterTest(async () =>
          openStorage({ kind: 'postgres', connectionString: await server().createDatabase() }),
        ),
      ),
    );
  });
}

/** Just PGlite (a copy of the migrated template), for tests that don't need both databases. */
export function freshPglite(): Promise<Storage> {
  return closedAfterTest(async () =>
    storageFromPglite(await PGlite.create({ loadDataDir: await migratedTemplate() })),
  );
}

/**
 * A describe block with a PostgreSQL server running for its tests: `server()` returns it once
 * beforeAll has started it. Missing PostgreSQL fails the block on CI, where skipping would hide
 * that half of the storage tests never ran; locally the block is skipped with a warning.
 */
export function describePostgres(name: string, suite: (server: () => PostgresServer) => void): void {
  if (!postgresAvailable()) {
    const reason = 'PostgreSQL 15 is not installed (apt-get install postgresql-15)';
    if (process.env.CI) {
      describe(name, () => {
        it('needs PostgreSQL', () => {
          throw new Error(`${reason}; CI must run the storage tests against it.`);
        });
      });
    } else {
      console.warn(`Skipping "${name}": ${reason}.`);
      describe.skip(`${name} (skipped: ${reason})`, () => suite(notStarted));
    }
    return;
  }
  describe(name, () => {
    let server: PostgresServer | undefined;
    beforeAll(async () => {
      server = await startPostgres();
    });
    afterAll(async () => {
      await server?.stop();
    });
    suite(() => server ?? notStarted());
  });
}

function notStarted(): never {
  throw new Error('PostgreSQL is not running: use server() inside tests or hooks, not while collecting.');
}

/** Opens a storage and closes it when the current test finishes. */
async function closedAfterTest(open: () => Promise<Storage>): Promise<Storage> {
  let close = async () => {};
  // Registered before opening, so outside a test this throws before anything is left open.
  onTestFinished(() => close());
  const storage = await open();
  close = storage.close;
  return storage;
}

let template: Promise<File | Blob> | undefined;

/**
 * The data directory of a migrated PGlite, built once per test file (vitest isolates each file's
 * modules). Creating a PGlite runs initdb (seconds); loading a dump of one is several times faster.
 * This is what PGlite's clone() does, minus dumping the template again for every copy.
 */
function migratedTemplate(): Promise<File | Blob> {
  template ??= (async () => {
    const pglite = await PGlite.create();
    const storage = await storageFromPglite(pglite);
    try {
      return await pglite.dumpDataDir('none');
    } finally {
      await storage.close();
    }
  })();
  return template;
}
