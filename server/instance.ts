import { randomUUID } from 'node:crypto';
import type { Db } from './storage/database';

/**
 * Each server instance's id, keyed by its database handle: two instances in one process (tests)
 * stay as separate as two processes. Announcements carry it so an instance skips its own.
 */
const instanceIds = new WeakMap<Db, string>();

export function instanceIdOf(db: Db): string {
  let id = instanceIds.get(db);
  if (!id) instanceIds.set(db, (id = randomUUID()));
  return id;
}
