import { randomUUID } from 'node:crypto';
import { ParleyError } from '../protocol/errors';
import type { CannedResponse, OperatorParams } from '../protocol/operator-socket';
import { can } from '../protocol/roles';
import type { ServerContext } from './context';
import type { CannedResponseRow, Operator } from './storage/schema';

/*
 * Canned responses: replies kept for reuse, the operator's own and the team's shared ones. A
 * shortcut is unique per owner (and among the shared ones); the composer expands "/shortcut".
 */

function toCanned(row: CannedResponseRow, operator: Operator): CannedResponse {
  const shared = row.owner_id === null;
  return {
    id: row.id,
    shortcut: row.shortcut,
    title: row.title,
    text: row.text,
    shared,
    editable: shared ? can(operator.role, 'canned.manageShared') : row.owner_id === operator.id,
  };
}

/** Own first, then shared, each by shortcut. */
export async function listCanned(ctx: ServerContext, operator: Operator): Promise<CannedResponse[]> {
  const rows = await ctx.db
    .selectFrom('canned_responses')
    .selectAll()
    .where((eb) => eb.or([eb('owner_id', '=', operator.id), eb('owner_id', 'is', null)]))
    .orderBy((eb) => eb.case().when('owner_id', 'is', null).then(1).else(0).end())
    .orderBy('shortcut')
    .execute();
  return rows.map((row) => toCanned(row, operator));
}

function mayChange(operator: Operator, ownerId: string | null): boolean {
  return ownerId === null ? can(operator.role, 'canned.manageShared') : ownerId === operator.id;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

export async function saveCanned(
  ctx: ServerContext,
  operator: Operator,
  params: OperatorParams<'canned.save'>,
): Promise<CannedResponse> {
  const ownerId = params.shared ? null : operator.id;
  if (!mayChange(operator, ownerId)) {
    throw new ParleyError('forbidden', 'Only team leads and administrators change shared responses.');
  }
  if (params.id !== undefined) {
    const existing = await ctx.db
      .selectFrom('canned_responses')
      .select('owner_id')
      .where('id', '=', params.id)
      .executeTakeFirst();
    if (!existing || !(existing.owner_id === operator.id || existing.owner_id === null)) {
      throw new ParleyError('not_found', 'There is no such canned response.');
    }
    if (!mayChange(operator, existing.owner_id)) {
      throw new ParleyError('forbidden', 'Only team leads and administrators change shared responses.');
    }
  }
  const values = {
    owner_id: ownerId,
    shortcut: params.shortcut,
    title: params.title,
    text: params.text,
    updated_at: ctx.clock.now(),
  };
  try {
    const row =
      params.id === undefined
        ? await ctx.db
            .insertInto('canned_responses')
            .values({ id: randomUUID(), ...values })
            .returningAll()
            .executeTakeFirstOrThrow()
        : await ctx.db
            .updateTable('canned_responses')
            .set(values)
            .where('id', '=', params.id)
            .returningAll()
            .executeTakeFirstOrThrow();
    return toCanned(row, operator);
  } catch (error) {
    if (isUniqueViolation(error))
      throw new ParleyError('conflict', `The shortcut /${params.shortcut} is already in use.`);
    throw error;
  }
}

export async function removeCanned(ctx: ServerContext, operator: Operator, id: string): Promise<void> {
  const existing = await ctx.db
    .selectFrom('canned_responses')
    .select('owner_id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!existing || !(existing.owner_id === operator.id || existing.owner_id === null)) {
    throw new ParleyError('not_found', 'There is no such canned response.');
  }
  if (!mayChange(operator, existing.owner_id)) {
    throw new ParleyError('forbidden', 'Only team leads and administrators change shared responses.');
  }
  await ctx.db.deleteFrom('canned_responses').where('id', '=', id).execute();
}
