import { ParleyError } from '../../protocol/errors';
import {
  protocolVersion,
  type EnrolRequest,
  type EnrolResponse,
  type LoginRequest,
  type LoginResponse,
  type SecondFactorRequest,
  type SessionGrant,
} from '../../protocol/auth';
import type { SecurityPolicy } from '../../protocol/operator-socket';
import { findOperatorByUsername, isSetupPending, operatorPermissions, operatorProfile } from '../accounts';
import { recordAudit } from '../audit';
import { addMinutes } from '../clock';
import type { ServerContext } from '../context';
import { readSecurityPolicy } from '../policy';
import type { Operator } from '../storage/schema';
import { ensureAddressAllowed } from './address-check';
import { releaseDeviceKey } from './devices';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from './passwords';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes';
import { createSession } from './sessions';
import { clearFailures, lockedUntil, recordFailure } from './throttle';
import { randomToken, sha256 } from './tokens';
import { checkTotp, newTotpSecret, totpUri } from './totp';

/** Where a login attempt comes from: the client address after trusted-proxy resolution. */
export interface LoginOrigin {
  address: string;
}

const ticketMinutes = 5;

function actorOf(operator: Operator) {
  return { id: operator.id, name: operator.username };
}

export async function ensureNotLocked(
  ctx: ServerContext,
  operator: Operator | undefined,
  origin: LoginOrigin,
) {
  const until =
    (await lockedUntil(ctx.db, ctx.clock, 'address', origin.address)) ??
    (operator ? await lockedUntil(ctx.db, ctx.clock, 'account', operator.id) : undefined);
  if (until) {
    throw new ParleyError(
      'account_locked',
      `Too many failed attempts. Try again after ${until.toISOString()}.`,
      until.toISOString(),
    );
  }
}

/** Counts a failure against the address and (if known) the account; audits it and any lockout. */
export async function countFailure(
  ctx: ServerContext,
  policy: SecurityPolicy,
  operator: Operator | undefined,
  origin: LoginOrigin,
  action: string,
) {
  const byAddress = await recordFailure(ctx.db, ctx.clock, policy.lockout, 'address', origin.address);
  const byAccount = operator
    ? await recordFailure(ctx.db, ctx.clock, policy.lockout, 'account', operator.id)
    : { lockedUntil: undefined };
  const actor = operator ? actorOf(operator) : undefined;
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, { action, actor, address: origin.address });
  for (const [scope, locked] of [
    ['address', byAddress.lockedUntil],
    ['account', byAccount.lockedUntil],
  ] as const) {
    if (locked) {
      await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
        action: 'lockout',
        actor,
        address: origin.address,
        details: { scope, until: locked.toISOString() },
      });
    }
  }
}

async function issueTicket(
  ctx: ServerContext,
  operator: Operator,
  purpose: 'second_factor' | 'enrolment',
  request: Pick<LoginRequest, 'deviceId' | 'deviceName'>,
) {
  const ticket = randomToken(32);
  const expiresAt = addMinutes(ctx.clock.now(), ticketMinutes);
  await ctx.db
    .insertInto('login_tickets')
    .values({
      ticket_hash: sha256(ticket),
      operator_id: operator.id,
      purpose,
      device_id: request.deviceId ?? null,
      device_name: request.deviceName ?? null,
      expires_at: expiresAt,
      created_at: ctx.clock.now(),
    })
    .execute();
  return { ticket, expiresAt: expiresAt.toISOString() };
}

/** Takes a ticket once: a ticket is deleted as it is used, so it can never be replayed. */
async function redeemTicket(ctx: ServerContext, ticket: string, purpose: 'second_factor' | 'enrolment') {
  const row = await ctx.db
    .selectFrom('login_tickets')
    .selectAll()
    .where('ticket_hash', '=', sha256(ticket))
    .where('purpose', '=', purpose)
    .executeTakeFirst();
  if (!row || row.expires_at <= ctx.clock.now()) {
    throw new ParleyError('unauthenticated', 'This sign-in has expired. Start again with your password.');
  }
  const operator = await ctx.db
    .selectFrom('operators')
    .selectAll()
    .where('id', '=', row.operator_id)
    .executeTakeFirstOrThrow();
  return { row, operator };
}

async function completeLogin(
  ctx: ServerContext,
  policy: SecurityPolicy,
  operator: Operator,
  device: { deviceId: string | undefined; deviceName: string | undefined },
  origin: LoginOrigin,
): Promise<SessionGrant> {
  const { token, session } = await createSession(ctx.db, ctx.clock, policy, {
    operatorId: operator.id,
    ...device,
    address: origin.address,
  });
  await clearFailures(ctx.db, 'account', operator.id);
  await ctx.db
    .updateTable('operators')
    .set({ last_login_at: ctx.clock.now() })
    .where('id', '=', operator.id)
    .execute();
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action: 'login.succeeded',
    actor: actorOf(operator),
    address: origin.address,
    details: { sessionId: session.id, secondFactor: operator.totp_secret !== null },
  });
  const deviceKey = device.deviceId
    ? await releaseDeviceKey(ctx, operator.id, device.deviceId, device.deviceName)
    : undefined;
  return {
    token,
    sessionId: session.id,
    expiresAt: session.expires_at.toISOString(),
    idleTimeoutSeconds: policy.sessionIdleMinutes * 60,
    operator: await operatorProfile(ctx.db, operator),
    permissions: operatorPermissions(operator),
    ...(deviceKey ? { deviceKey } : {}),
  };
}

/** A client speaking another protocol version gets told to update instead of a confusing failure. */
export function checkProtocolVersion(version: number): void {
  if (version !== protocolVersion) {
    throw new ParleyError(
      'version_mismatch',
      `This server speaks protocol version ${protocolVersion}; update Parley to connect.`,
    );
  }
}

/** Step one: the password. Unknown users cost the same scrypt work as known ones. */
export async function login(
  ctx: ServerContext,
  request: LoginRequest,
  origin: LoginOrigin,
): Promise<LoginResponse> {
  checkProtocolVersion(request.protocolVersion);
  const policy = await readSecurityPolicy(ctx.db);
  const operator = await findOperatorByUsername(ctx.db, request.username);
  await ensureNotLocked(ctx, operator, origin);

  // An account still waiting for set-up has no usable hash: it costs the same scrypt work as an
  // unknown user and fails like a wrong password, so it cannot be told apart.
  const usable = operator !== undefined && !isSetupPending(operator);
  const passwordOk = await verifyPassword(
    request.password,
    usable ? operator.password_hash : await dummyPasswordHash(),
  );
  if (!operator || !usable || !passwordOk) {
    await countFailure(ctx, policy, operator, origin, 'login.failed');
    throw new ParleyError('invalid_credentials', 'The username or password is not correct.');
  }
  if (operator.disabled) {
    await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
      action: 'login.refused_disabled',
      actor: actorOf(operator),
      address: origin.address,
    });
    throw new ParleyError('account_disabled', 'This account is disabled. Ask an administrator.');
  }
  await ensureAddressAllowed(ctx, policy, operator, origin.address, 'login');
  if (needsRehash(operator.password_hash)) {
    await ctx.db
      .updateTable('operators')
      .set({ password_hash: await hashPassword(request.password) })
      .where('id', '=', operator.id)
      .execute();
  }

  return continueAfterPassword(ctx, policy, operator, request, origin);
}

/**
 * What follows a proven password (a login, or a completed set-up): the second factor, TOTP
 * enrolment when the role requires it, or straight to a session.
 */
export async function continueAfterPassword(
  ctx: ServerContext,
  policy: SecurityPolicy,
  operator: Operator,
  request: Pick<LoginRequest, 'deviceId' | 'deviceName'>,
  origin: LoginOrigin,
): Promise<LoginResponse> {
  if (operator.totp_secret !== null) {
    return { step: 'second_factor', ...(await issueTicket(ctx, operator, 'second_factor', request)) };
  }
  if (policy.totpRequiredRoles.includes(operator.role)) {
    const secret = newTotpSecret();
    await ctx.db
      .updateTable('operators')
      .set({ totp_pending_secret: secret })
      .where('id', '=', operator.id)
      .execute();
    return {
      step: 'enrol_totp',
      ...(await issueTicket(ctx, operator, 'enrolment', request)),
      secret,
      otpauthUri: totpUri(secret, operator.username),
    };
  }
  const session = await completeLogin(
    ctx,
    policy,
    operator,
    { deviceId: request.deviceId, deviceName: request.deviceName },
    origin,
  );
  return { step: 'done', session };
}

/**
 * Accepts a TOTP code or marks one recovery code used. Both updates are conditional, so two
 * concurrent requests with the same code cannot both succeed.
 */
async function acceptSecondFactor(
  ctx: ServerContext,
  operator: Operator,
  code: string,
): Promise<'totp' | 'recovery' | 'replayed' | 'invalid'> {
  if (looksLikeRecoveryCode(code)) {
    const used = await ctx.db
      .updateTable('recovery_codes')
      .set({ used_at: ctx.clock.now() })
      .where('operator_id', '=', operator.id)
      .where('code_hash', '=', hashRecoveryCode(code))
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    return used ? 'recovery' : 'invalid';
  }
  if (operator.totp_secret === null) return 'invalid';
  const lastStep = operator.totp_last_step === null ? null : Number(operator.totp_last_step);
  const result = checkTotp(operator.totp_secret, code, ctx.clock.now().getTime(), lastStep);
  if (!result.ok) return result.reason;
  const claimed = await ctx.db
    .updateTable('operators')
    .set({ totp_last_step: result.step })
    .where('id', '=', operator.id)
    .where((where) =>
      where.or([where('totp_last_step', 'is', null), where('totp_last_step', '<', String(result.step))]),
    )
    .returning('id')
    .executeTakeFirst();
  return claimed ? 'totp' : 'replayed';
}

/** Step two for enrolled operators: a TOTP code or a recovery code. */
export async function secondFactor(
  ctx: ServerContext,
  request: SecondFactorRequest,
  origin: LoginOrigin,
): Promise<LoginResponse> {
  const policy = await readSecurityPolicy(ctx.db);
  const { row, operator } = await redeemTicket(ctx, request.ticket, 'second_factor');
  await ensureNotLocked(ctx, operator, origin);
  await ensureAddressAllowed(ctx, policy, operator, origin.address, 'login');

  const outcome = await acceptSecondFactor(ctx, operator, request.code);
  if (outcome === 'invalid' || outcome === 'replayed') {
    await countFailure(
      ctx,
      policy,
      operator,
      origin,
      outcome === 'replayed' ? 'totp.replayed' : 'totp.failed',
    );
    throw outcome === 'replayed'
      ? new ParleyError('code_replayed', 'This code was already used. Wait for the next one.')
      : new ParleyError('invalid_code', 'The code is not correct.');
  }
  if (outcome === 'recovery') {
    await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
      action: 'recovery_code.used',
      actor: actorOf(operator),
      address: origin.address,
    });
  }
  await ctx.db.deleteFrom('login_tickets').where('ticket_hash', '=', row.ticket_hash).execute();
  const device = { deviceId: row.device_id ?? undefined, deviceName: row.device_name ?? undefined };
  return { step: 'done', session: await completeLogin(ctx, policy, operator, device, origin) };
}

/** Replaces an operator's recovery codes with fresh ones and returns them, once, in plain text. */
export async function replaceRecoveryCodes(ctx: ServerContext, operatorId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (trx) => {
    await trx.deleteFrom('recovery_codes').where('operator_id', '=', operatorId).execute();
    await trx
      .insertInto('recovery_codes')
      .values(
        codes.map((code) => ({ operator_id: operatorId, code_hash: hashRecoveryCode(code), used_at: null })),
      )
      .execute();
  });
  return codes;
}

/**
 * Turns a pending TOTP secret into the active one after one valid code. Shared by first-login
 * enrolment and enrolment from inside a session.
 */
export async function confirmTotpEnrolment(
  ctx: ServerContext,
  operator: Operator,
  code: string,
): Promise<string[]> {
  if (operator.totp_pending_secret === null) {
    throw new ParleyError('invalid_request', 'Start two-factor enrolment first.');
  }
  const result = checkTotp(operator.totp_pending_secret, code, ctx.clock.now().getTime(), null);
  if (!result.ok)
    throw new ParleyError('invalid_code', 'The code is not correct. Check the time on your phone.');
  await ctx.db
    .updateTable('operators')
    .set({
      totp_secret: operator.totp_pending_secret,
      totp_pending_secret: null,
      totp_last_step: result.step,
    })
    .where('id', '=', operator.id)
    .execute();
  return replaceRecoveryCodes(ctx, operator.id);
}

/** Step two for first-time enrolment during login: one valid code activates TOTP. */
export async function enrol(
  ctx: ServerContext,
  request: EnrolRequest,
  origin: LoginOrigin,
): Promise<EnrolResponse> {
  const policy = await readSecurityPolicy(ctx.db);
  const { row, operator } = await redeemTicket(ctx, request.ticket, 'enrolment');
  await ensureNotLocked(ctx, operator, origin);
  let recoveryCodes: string[];
  try {
    recoveryCodes = await confirmTotpEnrolment(ctx, operator, request.code);
  } catch (error) {
    if (error instanceof ParleyError && error.code === 'invalid_code') {
      await countFailure(ctx, policy, operator, origin, 'totp.enrolment_failed');
    }
    throw error;
  }
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action: 'totp.enrolled',
    actor: actorOf(operator),
    address: origin.address,
  });
  await ctx.db.deleteFrom('login_tickets').where('ticket_hash', '=', row.ticket_hash).execute();
  const enrolled = { ...operator, totp_secret: operator.totp_pending_secret };
  const device = { deviceId: row.device_id ?? undefined, deviceName: row.device_name ?? undefined };
  return { step: 'done', session: await completeLogin(ctx, policy, enrolled, device, origin), recoveryCodes };
}
