import type { z } from 'zod';
import { describeIssues, ParleyError } from '../protocol/errors';
import type { Clock } from './clock';
import type { Db } from './storage/database';

/*
 * Server-wide settings, one JSON value per key, read from the database every time: with several
 * server instances, none may act on a stale copy. A stored value that no longer parses (an older
 * version wrote it) falls back to the defaults field by field.
 */

export async function readSetting<T extends object>(
  db: Db,
  key: string,
  schema: z.ZodType<T>,
  defaults: T,
): Promise<T> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row || typeof row.value !== 'object' || row.value === null) return defaults;
  const merged = { ...defaults, ...(row.value as Partial<T>) };
  const parsed = schema.safeParse(merged);
  return parsed.success ? parsed.data : defaults;
}

/** Validates the whole new value before storing it: an invalid patch changes nothing. */
export async function updateSetting<T extends object>(
  db: Db,
  clock: Clock,
  key: string,
  schema: z.ZodType<T>,
  defaults: T,
  patch: Partial<T>,
  what: string,
): Promise<T> {
  const next = schema.safeParse({ ...(await readSetting(db, key, schema, defaults)), ...patch });
  if (!next.success) {
    throw new ParleyError('invalid_request', `The ${what} is not valid: ${describeIssues(next.error)}`);
  }
  const value = JSON.stringify(next.data);
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: clock.now() })
    .onConflict((conflict) => conflict.column('key').doUpdateSet({ value, updated_at: clock.now() }))
    .execute();
  return next.data;
}
