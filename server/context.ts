import type { Clock } from './clock';
import type { ServerLog } from './log';
import type { Db } from './storage/database';

/** What every server operation needs: the database, the time and somewhere to log. */
export interface ServerContext {
  db: Db;
  clock: Clock;
  log: ServerLog;
  /**
   * No other instance can share this database (PGlite is one process's): events and signals need
   * no NOTIFY to reach other instances.
   */
  singleInstance?: boolean;
}
