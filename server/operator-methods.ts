import { randomUUID } from 'node:crypto';
import { ParleyError } from '../protocol/errors';
import type { OperatorMethod, OperatorParams, OperatorResult } from '../protocol/operator-socket';
import { can } from '../protocol/roles';
import { findOperator, operatorPermissions, operatorProfile } from './accounts';
import { listAudit, recordAudit } from './audit';
import type { ServerContext } from './context';
import { parseCidr } from './auth/ip-rules';
import { confirmTotpEnrolment, replaceRecoveryCodes } from './auth/login';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './auth/passwords';
import { listLiveSessions, revokeSessions } from './auth/sessions';
import { checkTotp, newTotpSecret, totpUri } from './auth/totp';
import { readSecurityPolicy, updateSecurityPolicy } from './policy';
import type { Operator, Session } from './storage/schema';

/** Who is calling: resolved from the socket's session before every request. */
export interface Caller {
  operator: Operator;
  session: Session;
  address: string;
}

/** What a method may ask of the socket layer, e.g. to close sockets of sessions it ended. */
export interface SocketEffects {
  endSessions(sessionIds: string[], reason: string): void;
}

export type OperatorHandlers = {
  [M in OperatorMethod]: (
    ctx: ServerContext,
    caller: Caller,
    params: OperatorParams<M>,
    effects: SocketEffects,
  ) => Promise<OperatorResult<M>>;
};

async function audit(
  ctx: ServerContext,
  caller: Caller,
  action: string,
  target?: string,
  details?: Record<string, unknown>,
) {
  const policy = await readSecurityPolicy(ctx.db);
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action,
    actor: { id: caller.operator.id, name: caller.operator.username },
    address: caller.address,
    target,
    ...(details ? { details } : {}),
  });
}

export const operatorHandlers: OperatorHandlers = {
  async 'me.get'(ctx, caller) {
    return {
      operator: await operatorProfile(ctx.db, caller.operator),
      permissions: operatorPermissions(caller.operator),
    };
  },

  async 'password.change'(ctx, caller, params, effects) {
    if (!(await verifyPassword(params.currentPassword, caller.operator.password_hash))) {
      throw new ParleyError('invalid_credentials', 'The current password is not correct.');
    }
    const policy = await readSecurityPolicy(ctx.db);
    checkPasswordPolicy(
      params.newPassword,
      { username: caller.operator.username },
      { minLength: policy.passwordMinLength },
    );
    await ctx.db
      .updateTable('operators')
      .set({ password_hash: await hashPassword(params.newPassword), updated_at: ctx.clock.now() })
      .where('id', '=', caller.operator.id)
      .execute();
    const ended = await revokeSessions(
      ctx.db,
      ctx.clock,
      { operatorId: caller.operator.id, exceptSessionId: caller.session.id },
      'password changed',
    );
    effects.endSessions(ended, 'password changed');
    await audit(ctx, caller, 'password.changed', caller.operator.id, { endedSessions: ended.length });
    return {};
  },

  async 'totp.begin'(ctx, caller) {
    if (caller.operator.totp_secret !== null) {
      throw new ParleyError(
        'conflict',
        'Two-factor authentication is already on. Ask an admin to reset it first.',
      );
    }
    const secret = newTotpSecret();
    await ctx.db
      .updateTable('operators')
      .set({ totp_pending_secret: secret })
      .where('id', '=', caller.operator.id)
      .execute();
    return { secret, otpauthUri: totpUri(secret, caller.operator.username) };
  },

  async 'totp.confirm'(ctx, caller, params) {
    const recoveryCodes = await confirmTotpEnrolment(ctx, caller.operator, params.code);
    await audit(ctx, caller, 'totp.enrolled', caller.operator.id);
    return { recoveryCodes };
  },

  async 'totp.regenerateRecoveryCodes'(ctx, caller, params) {
    const { operator } = caller;
    if (operator.totp_secret === null)
      throw new ParleyError('invalid_request', 'Turn on two-factor authentication first.');
    const lastStep = operator.totp_last_step === null ? null : Number(operator.totp_last_step);
    const check = checkTotp(operator.totp_secret, params.code, ctx.clock.now().getTime(), lastStep);
    if (!check.ok) {
      throw check.reason === 'replayed'
        ? new ParleyError('code_replayed', 'This code was already used. Wait for the next one.')
        : new ParleyError('invalid_code', 'The code is not correct.');
    }
    await ctx.db
      .updateTable('operators')
      .set({ totp_last_step: check.step })
      .where('id', '=', operator.id)
      .execute();
    const recoveryCodes = await replaceRecoveryCodes(ctx, operator.id);
    await audit(ctx, caller, 'recovery_codes.regenerated', operator.id);
    return { recoveryCodes };
  },

  async 'sessions.list'(ctx, caller, params) {
    const all = params.all === true;
    if (all && !can(caller.operator.role, 'sessions.manage')) {
      throw new ParleyError('forbidden', 'Only administrators see everyone’s sessions.');
    }
    const policy = await readSecurityPolicy(ctx.db);
    const sessions = await listLiveSessions(ctx.db, ctx.clock, policy, {
      ...(all ? {} : { operatorId: caller.operator.id }),
      currentSessionId: caller.session.id,
    });
    return { sessions };
  },

  async 'sessions.revoke'(ctx, caller, params, effects) {
    const target = await ctx.db
      .selectFrom('sessions')
      .select('operator_id')
      .where('id', '=', params.sessionId)
      .executeTakeFirst();
    if (!target) throw new ParleyError('not_found', 'There is no such session.');
    if (target.operator_id !== caller.operator.id && !can(caller.operator.role, 'sessions.manage')) {
      throw new ParleyError('forbidden', 'You can only end your own sessions.');
    }
    const ended = await revokeSessions(
      ctx.db,
      ctx.clock,
      { sessionId: params.sessionId },
      'ended by ' + caller.operator.username,
    );
    effects.endSessions(ended, 'ended by an administrator');
    await audit(ctx, caller, 'session.revoked', params.sessionId, { operatorId: target.operator_id });
    return {};
  },

  async 'operators.resetTotp'(ctx, caller, params, effects) {
    const operator = await findOperator(ctx.db, params.operatorId);
    if (!operator) throw new ParleyError('not_found', 'There is no such operator.');
    await ctx.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('operators')
        .set({
          totp_secret: null,
          totp_pending_secret: null,
          totp_last_step: null,
          updated_at: ctx.clock.now(),
        })
        .where('id', '=', operator.id)
        .execute();
      await trx.deleteFrom('recovery_codes').where('operator_id', '=', operator.id).execute();
    });
    const ended = await revokeSessions(ctx.db, ctx.clock, { operatorId: operator.id }, 'two-factor reset');
    effects.endSessions(ended, 'two-factor authentication was reset');
    await audit(ctx, caller, 'totp.reset', operator.id, { endedSessions: ended.length });
    return {};
  },

  async 'policy.get'(ctx) {
    return readSecurityPolicy(ctx.db);
  },

  async 'policy.update'(ctx, caller, params) {
    const policy = await updateSecurityPolicy(ctx.db, ctx.clock, params);
    await audit(ctx, caller, 'policy.updated', undefined, { changed: Object.keys(params) });
    return policy;
  },

  async 'ipRules.list'(ctx) {
    const rows = await ctx.db
      .selectFrom('ip_rules')
      .select(['id', 'scope', 'subject', 'cidr'])
      .orderBy('created_at')
      .execute();
    return { rules: rows };
  },

  async 'ipRules.add'(ctx, caller, params) {
    const cidr = parseCidr(params.cidr).text;
    const subject = params.scope === 'global' ? '' : params.subject;
    if (params.scope === 'role' && !['agent', 'lead', 'admin'].includes(subject)) {
      throw new ParleyError('invalid_request', `There is no role called "${subject}".`);
    }
    if (params.scope === 'operator' && !(await findOperator(ctx.db, subject))) {
      throw new ParleyError('not_found', 'There is no such operator.');
    }
    const rule = { id: randomUUID(), scope: params.scope, subject, cidr };
    await ctx.db
      .insertInto('ip_rules')
      .values({ ...rule, created_at: ctx.clock.now() })
      .execute();
    await audit(ctx, caller, 'ip_rule.added', rule.id, { scope: rule.scope, subject, cidr });
    return rule;
  },

  async 'ipRules.remove'(ctx, caller, params) {
    const removed = await ctx.db
      .deleteFrom('ip_rules')
      .where('id', '=', params.id)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new ParleyError('not_found', 'There is no such rule.');
    await audit(ctx, caller, 'ip_rule.removed', removed.id, {
      scope: removed.scope,
      subject: removed.subject,
      cidr: removed.cidr,
    });
    return {};
  },

  async 'audit.list'(ctx, _caller, params) {
    return listAudit(ctx.db, params);
  },
};
