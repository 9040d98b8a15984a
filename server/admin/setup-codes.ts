import { ParleyError } from '../../protocol/errors';
import type { LoginResponse, SetupRequest } from '../../protocol/auth';
import { isSetupPending, setupPendingHash } from '../accounts';
import { recordAudit } from '../audit';
import { addMinutes, type Clock } from '../clock';
import type { ServerContext } from '../context';
import { readSecurityPolicy } from '../policy';
import type { Db } from '../storage/database';
import { ensureAddressAllowed } from '../auth/address-check';
import {
  checkProtocolVersion,
  continueAfterPassword,
  countFailure,
  ensureNotLocked,
  type LoginOrigin,
} from '../auth/login';
import { checkPasswordPolicy, hashPassword } from '../auth/passwords';
import { randomToken, sha256 } from '../auth/tokens';

/*
 * One-time set-up codes: an admin creates an operator without a password and hands them a code;
 * with it the operator chooses their own password. Codes are stored only as SHA-256.
 */

export const setupCodeHours = 72;

const invalidCodeMessage = 'This set-up code is not valid any more. Ask your administrator for a new one.';

/** Replaces the operator's unused codes with a new one; returns it once, in plain text. */
export async function issueSetupCode(
  db: Db,
  clock: Clock,
  operatorId: string,
): Promise<{ setupCode: string; setupExpiresAt: string }> {
  const now = clock.now();
  await db
    .updateTable('operator_setups')
    .set({ used_at: now })
    .where('operator_id', '=', operatorId)
    .where('used_at', 'is', null)
    .execute();
  const code = randomToken(32);
  const expiresAt = addMinutes(now, setupCodeHours * 60);
  await db
    .insertInto('operator_setups')
    .values({
      token_hash: sha256(code),
      operator_id: operatorId,
      expires_at: expiresAt,
      used_at: null,
      created_at: now,
    })
    .execute();
  return { setupCode: code, setupExpiresAt: expiresAt.toISOString() };
}

/** POST /api/auth/setup: redeems a code, sets the password, then continues like a password login. */
export async function completeSetup(
  ctx: ServerContext,
  request: SetupRequest,
  origin: LoginOrigin,
): Promise<LoginResponse> {
  checkProtocolVersion(request.protocolVersion);
  const policy = await readSecurityPolicy(ctx.db);
  await ensureNotLocked(ctx, undefined, origin);
  const codeHash = sha256(request.code);
  const refuse = async (): Promise<never> => {
    await countFailure(ctx, policy, undefined, origin, 'operator.setup_failed');
    throw new ParleyError('invalid_code', invalidCodeMessage);
  };

  const found = await ctx.db
    .selectFrom('operator_setups')
    .innerJoin('operators', 'operators.id', 'operator_setups.operator_id')
    .selectAll('operators')
    .where('operator_setups.token_hash', '=', codeHash)
    .where('operator_setups.used_at', 'is', null)
    .where('operator_setups.expires_at', '>', ctx.clock.now())
    .executeTakeFirst();
  if (!found || !isSetupPending(found) || found.username !== request.username.toLowerCase()) {
    return refuse();
  }
  if (found.disabled) {
    throw new ParleyError('account_disabled', 'This account is disabled. Ask an administrator.');
  }
  // Checked before the code is taken: a refused password leaves the code usable.
  checkPasswordPolicy(
    request.password,
    { username: found.username },
    { minLength: policy.passwordMinLength },
  );
  await ensureAddressAllowed(ctx, policy, found, origin.address, 'login');
  const passwordHash = await hashPassword(request.password);

  const operator = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    // Conditional: of two requests with one code, only one finds it unused.
    const taken = await trx
      .updateTable('operator_setups')
      .set({ used_at: now })
      .where('token_hash', '=', codeHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('operator_id')
      .executeTakeFirst();
    if (!taken) return undefined;
    await trx
      .updateTable('operator_setups')
      .set({ used_at: now })
      .where('operator_id', '=', taken.operator_id)
      .where('used_at', 'is', null)
      .execute();
    return trx
      .updateTable('operators')
      .set((eb) => ({
        password_hash: passwordHash,
        updated_at: now,
        version: eb('version', '+', 1),
      }))
      .where('id', '=', taken.operator_id)
      .where('password_hash', '=', setupPendingHash)
      .returningAll()
      .executeTakeFirst();
  });
  if (!operator) return refuse();
  await recordAudit(ctx.db, ctx.clock, policy.addressPolicy, {
    action: 'operator.setup_completed',
    actor: { id: operator.id, name: operator.username },
    target: operator.id,
    address: origin.address,
  });
  return continueAfterPassword(ctx, policy, operator, request, origin);
}
