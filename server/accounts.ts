import { randomUUID } from 'node:crypto';
import { ParleyError } from '../protocol/errors';
import { permissionsOf, type Role } from '../protocol/roles';
import type { OperatorProfile } from '../protocol/auth';
import type { Clock } from './clock';
import type { Db } from './storage/database';
import type { Operator } from './storage/schema';
import { checkPasswordPolicy, hashPassword } from './auth/passwords';

export interface NewOperatorInput {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export function normaliseUsername(username: string): string {
  return username.trim().toLowerCase();
}

export async function createOperator(
  db: Db,
  clock: Clock,
  input: NewOperatorInput,
  passwordMinLength: number,
): Promise<Operator> {
  const username = normaliseUsername(input.username);
  if (!/^[a-z0-9._@-]{2,64}$/.test(username)) {
    throw new ParleyError(
      'invalid_request',
      'A username has 2 to 64 letters, digits, dots, dashes, underscores or @ signs.',
    );
  }
  checkPasswordPolicy(input.password, { username }, { minLength: passwordMinLength });
  const existing = await db
    .selectFrom('operators')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirst();
  if (existing) throw new ParleyError('conflict', `The username "${username}" is taken.`);
  const now = clock.now();
  return db
    .insertInto('operators')
    .values({
      id: randomUUID(),
      username,
      display_name: input.displayName.trim() || username,
      role: input.role,
      password_hash: await hashPassword(input.password),
      totp_secret: null,
      totp_pending_secret: null,
      totp_last_step: null,
      created_at: now,
      updated_at: now,
      last_login_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Stored as password_hash while a new operator has not chosen a password with their set-up code.
 * It is no scrypt hash, so nothing can ever verify against it.
 */
export const setupPendingHash = '!setup-pending';

export function isSetupPending(operator: Pick<Operator, 'password_hash'>): boolean {
  return operator.password_hash === setupPendingHash;
}

export function findOperatorByUsername(db: Db, username: string): Promise<Operator | undefined> {
  return db
    .selectFrom('operators')
    .selectAll()
    .where('username', '=', normaliseUsername(username))
    .executeTakeFirst();
}

export function findOperator(db: Db, id: string): Promise<Operator | undefined> {
  return db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function operatorProfile(db: Db, operator: Operator): Promise<OperatorProfile> {
  const groups = await db
    .selectFrom('operator_groups')
    .select('group_id')
    .where('operator_id', '=', operator.id)
    .execute();
  return {
    id: operator.id,
    username: operator.username,
    displayName: operator.display_name,
    role: operator.role,
    groupIds: groups.map((group) => group.group_id),
    totpEnabled: operator.totp_secret !== null,
  };
}

export function operatorPermissions(operator: Operator) {
  return permissionsOf(operator.role);
}
