import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ParleyError } from '../../protocol/errors';
import type { AdminOperator } from '../../protocol/operator-socket';
import { isSetupPending, setupPendingHash } from '../accounts';
import { auditCaller } from '../caller-audit';
import { revokeSessions } from '../auth/sessions';
import type { Caller, OperatorHandlers } from '../operator-methods';
import { endSessionsByAdmin } from './end-sessions';
import { markOffline } from '../operator-status';
import type { Db } from '../storage/database';
import type { Operator } from '../storage/schema';
import { issueSetupCode } from './setup-codes';

/*
 * Administration of operators: listing, creating (with a one-time set-up code instead of a
 * password), editing, disabling and ending their sessions. Every change that could lock the team
 * out (demoting or disabling the last enabled admin, or oneself) is refused here, under a lock on
 * the enabled admins so two admins acting at once cannot both pass the check.
 */

type AdminOperatorHandlers = Pick<
  OperatorHandlers,
  | 'operators.list'
  | 'operators.create'
  | 'operators.update'
  | 'operators.setDisabled'
  | 'operators.endSessions'
  | 'operators.newSetupCode'
>;

const defaultMaxChats = 3;

async function groupIdsByOperator(db: Db, operatorIds: string[]): Promise<Map<string, string[]>> {
  const byOperator = new Map<string, string[]>();
  if (operatorIds.length === 0) return byOperator;
  const rows = await db
    .selectFrom('operator_groups')
    .select(['operator_id', 'group_id'])
    .where('operator_id', 'in', operatorIds)
    .orderBy('group_id')
    .execute();
  for (const row of rows) {
    const list = byOperator.get(row.operator_id) ?? [];
    list.push(row.group_id);
    byOperator.set(row.operator_id, list);
  }
  return byOperator;
}

function toAdminOperator(operator: Operator, groupIds: string[]): AdminOperator {
  return {
    id: operator.id,
    username: operator.username,
    displayName: operator.display_name,
    role: operator.role,
    groupIds,
    maxConcurrentChats: operator.max_concurrent_chats,
    disabled: operator.disabled,
    status: operator.status,
    totpEnabled: operator.totp_secret !== null,
    lastLoginAt: operator.last_login_at?.toISOString() ?? null,
    setupPending: isSetupPending(operator),
    version: operator.version,
  };
}

async function adminView(db: Db, operatorId: string): Promise<AdminOperator> {
  const operator = await db
    .selectFrom('operators')
    .selectAll()
    .where('id', '=', operatorId)
    .executeTakeFirst();
  if (!operator) throw new ParleyError('not_found', 'There is no such operator.');
  return toAdminOperator(operator, (await groupIdsByOperator(db, [operatorId])).get(operatorId) ?? []);
}

/** The groups in the order asked for; refuses the whole request if one does not exist. */
async function requireGroups(db: Db, groupIds: string[]) {
  const unique = [...new Set(groupIds)];
  if (unique.length === 0) return [];
  const rows = await db
    .selectFrom('groups')
    .select(['id', 'default_max_chats'])
    .where('id', 'in', unique)
    .execute();
  const byId = new Map(rows.map((row) => [row.id, row]));
  return unique.map((id) => {
    const group = byId.get(id);
    if (!group) throw new ParleyError('not_found', 'There is no such group.');
    return group;
  });
}

async function replaceGroups(db: Db, operatorId: string, groupIds: string[]) {
  await db.deleteFrom('operator_groups').where('operator_id', '=', operatorId).execute();
  if (groupIds.length === 0) return;
  await db
    .insertInto('operator_groups')
    .values(groupIds.map((groupId) => ({ operator_id: operatorId, group_id: groupId })))
    .execute();
}

/**
 * Locks the enabled admins (always first and in id order, so concurrent admin changes queue
 * instead of deadlocking), then the target operator. Returns the target and the enabled admins' ids.
 */
async function lockForChange(db: Db, operatorId: string) {
  const admins = await db
    .selectFrom('operators')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .orderBy('id')
    .forUpdate()
    .execute();
  const operator = await db
    .selectFrom('operators')
    .selectAll()
    .where('id', '=', operatorId)
    .forUpdate()
    .executeTakeFirst();
  if (!operator) throw new ParleyError('not_found', 'There is no such operator.');
  return { operator, enabledAdminIds: admins.map((admin) => admin.id) };
}

function isLastEnabledAdmin(operator: Operator, enabledAdminIds: string[]): boolean {
  return (
    operator.role === 'admin' &&
    !operator.disabled &&
    enabledAdminIds.filter((id) => id !== operator.id).length === 0
  );
}

/** The caller's role is checked before the request; under the lock, make sure it still holds. */
function ensureStillAdmin(caller: Caller, enabledAdminIds: string[]) {
  if (!enabledAdminIds.includes(caller.operator.id)) {
    throw new ParleyError('forbidden', 'Your role may not do this.');
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

function likePattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export const operatorAdminHandlers: AdminOperatorHandlers = {
  async 'operators.list'(ctx, _caller, params) {
    let query = ctx.db
      .selectFrom('operators')
      .selectAll()
      .orderBy(sql`lower(display_name)`)
      .orderBy('username');
    if (params.search) {
      const pattern = likePattern(params.search);
      query = query.where((eb) =>
        eb.or([eb('username', 'ilike', pattern), eb('display_name', 'ilike', pattern)]),
      );
    }
    if (params.role) query = query.where('role', '=', params.role);
    if (params.status) query = query.where('status', '=', params.status);
    if (params.disabled !== undefined) query = query.where('disabled', '=', params.disabled);
    if (params.totpEnabled !== undefined) {
      query = query.where('totp_secret', params.totpEnabled ? 'is not' : 'is', null);
    }
    if (params.groupId) {
      const groupId = params.groupId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('operator_groups')
            .select('operator_groups.group_id')
            .whereRef('operator_groups.operator_id', '=', 'operators.id')
            .where('operator_groups.group_id', '=', groupId),
        ),
      );
    }
    const rows = await query.execute();
    const groups = await groupIdsByOperator(
      ctx.db,
      rows.map((row) => row.id),
    );
    return { operators: rows.map((row) => toAdminOperator(row, groups.get(row.id) ?? [])) };
  },

  async 'operators.create'(ctx, caller, params) {
    const taken = () => new ParleyError('conflict', `The username "${params.username}" is taken.`);
    try {
      return await ctx.db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom('operators')
          .select('id')
          .where('username', '=', params.username)
          .executeTakeFirst();
        if (existing) throw taken();
        const groups = await requireGroups(trx, params.groupIds);
        const now = ctx.clock.now();
        const operator = await trx
          .insertInto('operators')
          .values({
            id: randomUUID(),
            username: params.username,
            display_name: params.displayName.trim() || params.username,
            role: params.role,
            password_hash: setupPendingHash,
            totp_secret: null,
            totp_pending_secret: null,
            totp_last_step: null,
            max_concurrent_chats:
              params.maxConcurrentChats ?? groups[0]?.default_max_chats ?? defaultMaxChats,
            created_at: now,
            updated_at: now,
            last_login_at: null,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        const groupIds = groups.map((group) => group.id);
        await replaceGroups(trx, operator.id, groupIds);
        const setup = await issueSetupCode(trx, ctx.clock, operator.id);
        await auditCaller({ ...ctx, db: trx }, caller, 'operator.created', operator.id, {
          username: operator.username,
          role: operator.role,
          groupIds,
        });
        return { operator: await adminView(trx, operator.id), ...setup };
      });
    } catch (error) {
      // Two admins creating the same username at once: the unique index decides.
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  },

  async 'operators.update'(ctx, caller, params) {
    return ctx.db.transaction().execute(async (trx) => {
      const { operator, enabledAdminIds } = await lockForChange(trx, params.operatorId);
      if (operator.version !== params.version) {
        throw new ParleyError('conflict', 'Someone else changed this operator. Reload and try again.');
      }
      const changed: string[] = [];
      const displayName = params.displayName?.trim();
      if (displayName !== undefined && displayName !== '' && displayName !== operator.display_name) {
        changed.push('displayName');
      }
      if (params.role !== undefined && params.role !== operator.role) {
        if (operator.role === 'admin') {
          if (operator.id === caller.operator.id) {
            throw new ParleyError('conflict', 'You cannot take away your own admin role.');
          }
          if (isLastEnabledAdmin(operator, enabledAdminIds)) {
            throw new ParleyError(
              'conflict',
              `${operator.display_name} is the last enabled admin. Make someone else an admin first.`,
            );
          }
        }
        changed.push('role');
      }
      ensureStillAdmin(caller, enabledAdminIds);
      if (
        params.maxConcurrentChats !== undefined &&
        params.maxConcurrentChats !== operator.max_concurrent_chats
      ) {
        changed.push('maxConcurrentChats');
      }
      let groupIds: string[] | undefined;
      if (params.groupIds !== undefined) {
        groupIds = (await requireGroups(trx, params.groupIds)).map((group) => group.id);
        const current = (await groupIdsByOperator(trx, [operator.id])).get(operator.id) ?? [];
        const same =
          current.length === groupIds.length && [...groupIds].sort().every((id, i) => id === current[i]);
        if (!same) changed.push('groupIds');
      }
      if (changed.length === 0) return { operator: await adminView(trx, operator.id) };

      await trx
        .updateTable('operators')
        .set({
          ...(changed.includes('displayName') && displayName !== undefined
            ? { display_name: displayName }
            : {}),
          ...(changed.includes('role') && params.role !== undefined ? { role: params.role } : {}),
          ...(changed.includes('maxConcurrentChats') && params.maxConcurrentChats !== undefined
            ? { max_concurrent_chats: params.maxConcurrentChats }
            : {}),
          version: operator.version + 1,
          updated_at: ctx.clock.now(),
        })
        .where('id', '=', operator.id)
        .execute();
      if (groupIds !== undefined && changed.includes('groupIds')) {
        await replaceGroups(trx, operator.id, groupIds);
      }
      await auditCaller({ ...ctx, db: trx }, caller, 'operator.updated', operator.id, {
        changed,
        ...(changed.includes('role') ? { from: operator.role, to: params.role } : {}),
      });
      return { operator: await adminView(trx, operator.id) };
    });
  },

  async 'operators.setDisabled'(ctx, caller, params, effects) {
    const ended = await ctx.db.transaction().execute(async (trx) => {
      const { operator, enabledAdminIds } = await lockForChange(trx, params.operatorId);
      if (operator.disabled === params.disabled) return undefined;
      if (params.disabled) {
        if (operator.id === caller.operator.id) {
          throw new ParleyError('conflict', 'You cannot disable your own account.');
        }
        if (isLastEnabledAdmin(operator, enabledAdminIds)) {
          throw new ParleyError(
            'conflict',
            `${operator.display_name} is the last enabled admin and cannot be disabled.`,
          );
        }
      }
      ensureStillAdmin(caller, enabledAdminIds);
      await trx
        .updateTable('operators')
        .set({ disabled: params.disabled, version: operator.version + 1, updated_at: ctx.clock.now() })
        .where('id', '=', operator.id)
        .execute();
      const sessions = params.disabled
        ? await revokeSessions(trx, ctx.clock, { operatorId: operator.id }, 'account disabled')
        : [];
      await auditCaller(
        { ...ctx, db: trx },
        caller,
        params.disabled ? 'operator.disabled' : 'operator.enabled',
        operator.id,
        params.disabled ? { endedSessions: sessions.length } : undefined,
      );
      return sessions;
    });
    if (params.disabled && ended !== undefined) {
      await effects.endSessions(ended, 'the account was disabled');
      // Colleagues see them go offline; routing stops offering them chats.
      await markOffline(ctx, params.operatorId);
    }
    return { operator: await adminView(ctx.db, params.operatorId) };
  },

  async 'operators.endSessions'(ctx, caller, params, effects) {
    const operator = await ctx.db
      .selectFrom('operators')
      .select('id')
      .where('id', '=', params.operatorId)
      .executeTakeFirst();
    if (!operator) throw new ParleyError('not_found', 'There is no such operator.');
    const ended = await endSessionsByAdmin(ctx, caller, effects, { operatorId: operator.id });
    await auditCaller(ctx, caller, 'operator.sessions_ended', operator.id, { endedSessions: ended.length });
    return { ended: ended.length };
  },

  async 'operators.newSetupCode'(ctx, caller, params) {
    return ctx.db.transaction().execute(async (trx) => {
      const operator = await trx
        .selectFrom('operators')
        .selectAll()
        .where('id', '=', params.operatorId)
        .forUpdate()
        .executeTakeFirst();
      if (!operator) throw new ParleyError('not_found', 'There is no such operator.');
      if (!isSetupPending(operator)) {
        throw new ParleyError(
          'conflict',
          'This operator has already chosen a password; a set-up code is only for new accounts.',
        );
      }
      const setup = await issueSetupCode(trx, ctx.clock, operator.id);
      await auditCaller({ ...ctx, db: trx }, caller, 'operator.setup_code_issued', operator.id);
      return setup;
    });
  },
};
