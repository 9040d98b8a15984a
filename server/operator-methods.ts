import { randomUUID } from 'node:crypto';
import { parseCidr } from '../protocol/cidr';
import { describeIssues, ParleyError } from '../protocol/errors';
import {
  isOperatorMethod,
  operatorMethods,
  type OperatorMethod,
  type OperatorParams,
  type OperatorResult,
} from '../protocol/operator-socket';
import { can } from '../protocol/roles';
import { findOperator, operatorPermissions, operatorProfile } from './accounts';
import { listAudit } from './audit';
import { auditCaller } from './caller-audit';
import { endSessionsByAdmin } from './admin/end-sessions';
import { groupAdminHandlers } from './admin/groups';
import { operatorAdminHandlers } from './admin/operators';
import { listCanned, removeCanned, saveCanned } from './canned';
import { listOpenChatsFor, markRead, operatorTyping, sendOperatorMessage } from './chats';
import type { ServerContext } from './context';
import { lastEventSeq } from './events';
import { confirmTotpEnrolment, replaceRecoveryCodes } from './auth/login';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './auth/passwords';
import { ensureNotShutOut } from './auth/address-check';
import { listLiveSessions, revokeSessions } from './auth/sessions';
import { checkTotp, newTotpSecret, totpUri } from './auth/totp';
import { setStatus } from './operator-status';
import { readSecurityPolicy, updateSecurityPolicy } from './policy';
import { erasePerson, existingChats, findPerson } from './privacy/erasure';
import { exportPerson } from './privacy/export';
import { readRetention, updateRetention } from './privacy/retention';
import { revealValue } from './privacy/reveal';
import { acceptChat, declineChat, endChat, transferChat } from './queues/handover';
import { listQueue } from './queues/queue-view';
import { teamOf } from './team';
import { ticketFromChat } from './tickets';
import { visitorInfo } from './visitors/visitor-info';
import type { Operator, Session } from './storage/schema';

/** Who is calling: resolved from the socket's session before every request. */
export interface Caller {
  operator: Operator;
  session: Session;
  address: string;
}

/** What a method may ask of the socket layer, e.g. to close sockets of sessions it ended. */
export interface SocketEffects {
  /** Tells the sessions (session.revoked) and closes their sockets. Never rejects. */
  endSessions(sessionIds: string[], reason: string): Promise<void>;
}

export type OperatorHandlers = {
  [M in OperatorMethod]: (
    ctx: ServerContext,
    caller: Caller,
    params: OperatorParams<M>,
    effects: SocketEffects,
  ) => Promise<OperatorResult<M>>;
};

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
    await effects.endSessions(ended, 'password changed');
    await auditCaller(ctx, caller, 'password.changed', caller.operator.id, { endedSessions: ended.length });
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
    await auditCaller(ctx, caller, 'totp.enrolled', caller.operator.id);
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
    await auditCaller(ctx, caller, 'recovery_codes.regenerated', operator.id);
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
    await endSessionsByAdmin(ctx, caller, effects, { sessionId: params.sessionId });
    await auditCaller(ctx, caller, 'session.revoked', params.sessionId, { operatorId: target.operator_id });
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
    await effects.endSessions(ended, 'two-factor authentication was reset');
    await auditCaller(ctx, caller, 'totp.reset', operator.id, { endedSessions: ended.length });
    return {};
  },

  async 'policy.get'(ctx) {
    return readSecurityPolicy(ctx.db);
  },

  async 'policy.update'(ctx, caller, params) {
    const policy = await updateSecurityPolicy(ctx.db, ctx.clock, params);
    await auditCaller(ctx, caller, 'policy.updated', undefined, { changed: Object.keys(params) });
    return policy;
  },

  async 'privacy.search'(ctx, _caller, params) {
    return findPerson(ctx.db, params.query);
  },

  'privacy.erase': (ctx, caller, params) => erasePerson(ctx, caller, params),

  'privacy.export': (ctx, caller, params) => exportPerson(ctx, caller, params),

  async 'chats.existing'(ctx, _caller, params) {
    return { chatIds: await existingChats(ctx.db, params.chatIds) };
  },

  async 'retention.get'(ctx) {
    return readRetention(ctx.db);
  },

  async 'retention.update'(ctx, caller, params) {
    const retention = await updateRetention(ctx.db, ctx.clock, params);
    await auditCaller(ctx, caller, 'retention.updated', undefined, { changed: params });
    return retention;
  },

  async 'ipRules.list'(ctx, caller) {
    const rows = await ctx.db
      .selectFrom('ip_rules')
      .select(['id', 'scope', 'subject', 'cidr'])
      .orderBy('created_at')
      .execute();
    return { rules: rows, yourAddress: caller.address };
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
    await ensureNotShutOut(
      ctx,
      caller.operator,
      caller.address,
      { add: rule },
      params.confirmLockout ?? false,
    );
    await ctx.db
      .insertInto('ip_rules')
      .values({ ...rule, created_at: ctx.clock.now() })
      .execute();
    await auditCaller(ctx, caller, 'ip_rule.added', rule.id, { scope: rule.scope, subject, cidr });
    return rule;
  },

  async 'ipRules.remove'(ctx, caller, params) {
    await ensureNotShutOut(
      ctx,
      caller.operator,
      caller.address,
      { removeId: params.id },
      params.confirmLockout ?? false,
    );
    const removed = await ctx.db
      .deleteFrom('ip_rules')
      .where('id', '=', params.id)
      .returningAll()
      .executeTakeFirst();
    if (!removed) throw new ParleyError('not_found', 'There is no such rule.');
    await auditCaller(ctx, caller, 'ip_rule.removed', removed.id, {
      scope: removed.scope,
      subject: removed.subject,
      cidr: removed.cidr,
    });
    return {};
  },

  async 'audit.list'(ctx, _caller, params) {
    return listAudit(ctx.db, params);
  },

  async 'chats.mine'(ctx, caller) {
    // Repeatable read: the seq and the chats come from one snapshot, so the events after seq are
    // exactly the changes the snapshot lacks (read committed would let a message slip in between).
    return ctx.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => ({
        seq: await lastEventSeq(trx, caller.session.id),
        chats: await listOpenChatsFor({ ...ctx, db: trx }, caller.operator.id),
      }));
  },

  async 'chat.send'(ctx, caller, params) {
    return { message: await sendOperatorMessage(ctx, caller.operator, params) };
  },

  async 'status.set'(ctx, caller, params) {
    return setStatus(ctx, caller.operator.id, params);
  },

  async 'queue.list'(ctx, caller) {
    return { chats: await listQueue(ctx, caller.operator.id) };
  },

  async 'chat.accept'(ctx, caller, params) {
    return { chat: await acceptChat(ctx, caller.operator, params.chatId) };
  },

  async 'chat.decline'(ctx, caller, params) {
    await declineChat(ctx, caller.operator, params.chatId);
    return {};
  },

  async 'chat.transfer'(ctx, caller, params) {
    await transferChat(ctx, caller.operator, params);
    return {};
  },

  async 'chat.end'(ctx, caller, params) {
    await endChat(ctx, caller.operator, params.chatId);
    return {};
  },

  async 'chat.typing'(ctx, caller, params) {
    await operatorTyping(ctx, caller.operator, params.chatId, params.typing);
    return {};
  },

  async 'chat.read'(ctx, caller, params) {
    await markRead(ctx, caller.operator, params.chatId, params.messageId);
    return {};
  },

  async 'chat.visitor'(ctx, caller, params) {
    return visitorInfo(ctx, caller.operator, params.chatId);
  },

  async 'visitor.reveal'(ctx, caller, params) {
    return revealValue(ctx, caller, params);
  },

  async 'chat.toTicket'(ctx, caller, params) {
    return { ticket: await ticketFromChat(ctx, caller.operator, params) };
  },

  async 'team.get'(ctx, caller) {
    return teamOf(ctx, caller.operator.id);
  },

  async 'canned.list'(ctx, caller) {
    return { responses: await listCanned(ctx, caller.operator) };
  },

  async 'canned.save'(ctx, caller, params) {
    return saveCanned(ctx, caller.operator, params);
  },

  async 'canned.remove'(ctx, caller, params) {
    await removeCanned(ctx, caller.operator, params.id);
    return {};
  },

  ...operatorAdminHandlers,
  ...groupAdminHandlers,
};

/** A request as the socket received it. */
export interface MethodCall {
  method: string;
  params: unknown;
  actionId: string | undefined;
}

/** Checks the method, the caller's permission and the params, then runs the handler. */
export async function callOperatorMethod(
  ctx: ServerContext,
  caller: Caller,
  call: MethodCall,
  effects: SocketEffects,
): Promise<unknown> {
  const { method } = call;
  if (!isOperatorMethod(method))
    throw new ParleyError('unknown_method', `There is no method called "${method}".`);
  const spec = operatorMethods[method];
  if (spec.permission && !can(caller.operator.role, spec.permission)) {
    throw new ParleyError('forbidden', 'Your role may not do this.');
  }
  const parsed = spec.params.safeParse(call.params ?? {});
  if (!parsed.success) throw new ParleyError('invalid_request', describeIssues(parsed.error));
  const handler = operatorHandlers[method] as (...args: unknown[]) => Promise<unknown>;
  const run = () => handler(ctx, caller, parsed.data, effects);
  return spec.mutating && !spec.returnsSecrets && call.actionId !== undefined
    ? applyOnce(ctx, caller.operator.id, method, call.actionId, run)
    : run();
}

/** A retry comes within minutes; a week covers a laptop that slept through a long weekend. */
const appliedActionRetentionMs = 7 * 24 * 60 * 60_000;

/**
 * Runs a mutating request once per (operator, actionId) and answers repeats with the stored
 * result, so a client's outbox can resend whatever it is unsure about after a reconnect. Keyed by
 * operator, not session, so a retry after signing in again is still recognised. Failures are not
 * stored: the retry of a failed action may well succeed.
 *
 * This is enough because an outbox resends an action only after its socket dropped, by which time
 * the first attempt has normally finished and been recorded. What remains is a first attempt still
 * running (or one that failed between applying and recording) when its retry arrives: both may
 * apply. For the admin actions that means at worst a duplicate rule or audit entry. chat.send, where
 * a duplicate would reach a visitor, is also idempotent by its own key (chat_id, client_msg_id),
 * checked under the chat's row lock and enforced by a unique index, so even two concurrent
 * deliveries of one message cannot store it twice.
 */
async function applyOnce(
  ctx: ServerContext,
  operatorId: string,
  method: OperatorMethod,
  actionId: string,
  run: () => Promise<unknown>,
): Promise<unknown> {
  const applied = await ctx.db
    .selectFrom('applied_actions')
    .select(['method', 'result'])
    .where('operator_id', '=', operatorId)
    .where('action_id', '=', actionId)
    .executeTakeFirst();
  if (applied) {
    if (applied.method !== method) {
      throw new ParleyError('invalid_request', 'This actionId was already used for a different method.');
    }
    return applied.result;
  }
  const result = await run();
  await ctx.db
    .insertInto('applied_actions')
    .values({
      operator_id: operatorId,
      action_id: actionId,
      method,
      result: JSON.stringify(result),
      created_at: ctx.clock.now(),
    })
    .onConflict((conflict) => conflict.columns(['operator_id', 'action_id']).doNothing())
    .execute();
  return result;
}

export async function trimAppliedActions(ctx: ServerContext, now: Date): Promise<void> {
  await ctx.db
    .deleteFrom('applied_actions')
    .where('created_at', '<', new Date(now.getTime() - appliedActionRetentionMs))
    .execute();
}
