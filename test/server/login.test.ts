import { beforeEach, expect, it } from 'vitest';
import { protocolVersion, type LoginResponse } from '../../protocol/auth';
import { listAudit } from '../../server/audit';
import type { ServerContext } from '../../server/context';
import { enrol, login, secondFactor } from '../../server/auth/login';
import { authenticateSession, revokeSessions } from '../../server/auth/sessions';
import { totpCode } from '../../server/auth/totp';
import { readSecurityPolicy, updateSecurityPolicy } from '../../server/policy';
import { describeEachDatabase } from '../support/databases';
import {
  addOperator,
  contextFor,
  fakeClock,
  testPassword,
  withoutRequiredTotp,
} from '../support/server-fixtures';

const office = { address: '203.0.113.7' };

function attempt(ctx: ServerContext, username: string, password = testPassword, origin = office) {
  return login(ctx, { protocolVersion, username, password, deviceId: 'device-0001' }, origin);
}

function expectStep<S extends LoginResponse['step']>(response: LoginResponse, step: S) {
  expect(response.step).toBe(step);
  return response as Extract<LoginResponse, { step: S }>;
}

async function auditActions(ctx: ServerContext) {
  return (await listAudit(ctx.db, { limit: 500 })).entries.map((entry) => entry.action);
}

describeEachDatabase('login', (fresh) => {
  let ctx: ServerContext;
  let clock: ReturnType<typeof fakeClock>;

  beforeEach(async () => {
    clock = fakeClock();
    ctx = contextFor(await fresh(), clock);
  });

  /** Enrols TOTP through the first login and returns the secret. */
  async function enrolled(username: string) {
    await addOperator(ctx, username);
    const started = expectStep(await attempt(ctx, username), 'enrol_totp');
    const done = await enrol(
      ctx,
      { ticket: started.ticket, code: totpCode(started.secret, clock.now().getTime()) },
      office,
    );
    clock.advanceMinutes(1);
    return { secret: started.secret, recoveryCodes: done.recoveryCodes };
  }

  it('signs in with the password alone where no role requires 2FA', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'anna', 'lead');
    const done = expectStep(await attempt(ctx, 'ANNA'), 'done');
    expect(done.session.operator).toMatchObject({ username: 'anna', role: 'lead', totpEnabled: false });
    expect(done.session.permissions).toContain('stats.viewTeam');
    expect(done.session.token.length).toBeGreaterThanOrEqual(43); // 256 bits, base64url
    expect(done.session.deviceKey).toBeDefined();
  });

  it('makes a first login enrol TOTP, activating it only after one valid code', async () => {
    await addOperator(ctx, 'ben');
    const started = expectStep(await attempt(ctx, 'ben'), 'enrol_totp');
    expect(started.otpauthUri).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    await expect(enrol(ctx, { ticket: started.ticket, code: '000000' }, office)).rejects.toMatchObject({
      code: 'invalid_code',
    });
    const done = await enrol(
      ctx,
      { ticket: started.ticket, code: totpCode(started.secret, clock.now().getTime()) },
      office,
    );
    expect(done.recoveryCodes).toHaveLength(10);
    expect(done.session.operator.totpEnabled).toBe(true);
    await expect(enrol(ctx, { ticket: started.ticket, code: '123456' }, office)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(await auditActions(ctx)).toEqual(expect.arrayContaining(['totp.enrolled', 'login.succeeded']));
  });

  it('asks enrolled operators for a code, accepts one step of drift and refuses replays', async () => {
    const { secret } = await enrolled('carla');
    const first = expectStep(await attempt(ctx, 'carla'), 'second_factor');
    const lateCode = totpCode(secret, clock.now().getTime() - 30_000);
    expectStep(await secondFactor(ctx, { ticket: first.ticket, code: lateCode }, office), 'done');

    const second = expectStep(await attempt(ctx, 'carla'), 'second_factor');
    await expect(secondFactor(ctx, { ticket: second.ticket, code: lateCode }, office)).rejects.toMatchObject({
      code: 'code_replayed',
    });
    const tooOld = totpCode(secret, clock.now().getTime() - 90_000);
    await expect(secondFactor(ctx, { ticket: second.ticket, code: tooOld }, office)).rejects.toMatchObject({
      code: 'invalid_code',
    });
    clock.advanceMinutes(1);
    const fresh = totpCode(secret, clock.now().getTime());
    expectStep(await secondFactor(ctx, { ticket: second.ticket, code: fresh }, office), 'done');
    expect(await auditActions(ctx)).toContain('totp.replayed');
  });

  it('accepts each recovery code once', async () => {
    const { recoveryCodes } = await enrolled('dora');
    const code = recoveryCodes[0] ?? '';
    const first = expectStep(await attempt(ctx, 'dora'), 'second_factor');
    expectStep(await secondFactor(ctx, { ticket: first.ticket, code: code.toUpperCase() }, office), 'done');
    const again = expectStep(await attempt(ctx, 'dora'), 'second_factor');
    await expect(secondFactor(ctx, { ticket: again.ticket, code }, office)).rejects.toMatchObject({
      code: 'invalid_code',
    });
    expect(await auditActions(ctx)).toContain('recovery_code.used');
  });

  it('answers an unknown user exactly like a wrong password', async () => {
    await addOperator(ctx, 'emil');
    const wrongPassword = await attempt(ctx, 'emil', 'not the password at all').catch(
      (error: unknown) => error,
    );
    const unknownUser = await attempt(ctx, 'nobody', 'not the password at all').catch(
      (error: unknown) => error,
    );
    expect(wrongPassword).toMatchObject({ code: 'invalid_credentials' });
    expect(unknownUser).toMatchObject({
      code: 'invalid_credentials',
      message: (wrongPassword as Error).message,
    });
  });

  it('locks an account after 5 failures for 15 minutes, audits it, and unlocks after', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'fritz');
    for (let failure = 0; failure < 5; failure++) {
      await expect(
        attempt(ctx, 'fritz', 'wrong password here', { address: `198.51.100.${failure}` }),
      ).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    const locked = await attempt(ctx, 'fritz').catch((error: unknown) => error);
    expect(locked).toMatchObject({ code: 'account_locked', retryAt: '2026-11-23T09:15:00.000Z' });
    expect(await auditActions(ctx)).toContain('lockout');
    clock.advanceMinutes(14);
    await expect(attempt(ctx, 'fritz')).rejects.toMatchObject({ code: 'account_locked' });
    clock.advanceMinutes(1);
    expectStep(await attempt(ctx, 'fritz'), 'done');
  });

  it('locks a source address that tries many usernames', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'gina');
    for (let failure = 0; failure < 5; failure++) {
      await expect(attempt(ctx, `guess${failure}`, 'some password 123')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    await expect(attempt(ctx, 'gina')).rejects.toMatchObject({ code: 'account_locked' });
    expectStep(await attempt(ctx, 'gina', testPassword, { address: '192.0.2.50' }), 'done');
  });

  it('forgets failures that fall out of the window', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'hans');
    for (let failure = 0; failure < 4; failure++) {
      await expect(attempt(ctx, 'hans', 'wrong password here')).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    clock.advanceMinutes(16);
    await expect(attempt(ctx, 'hans', 'wrong password here')).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
    expectStep(await attempt(ctx, 'hans'), 'done');
  });

  it('counts wrong second-factor codes toward the lockout', async () => {
    await enrolled('ida');
    const started = expectStep(await attempt(ctx, 'ida'), 'second_factor');
    for (let failure = 0; failure < 5; failure++) {
      await expect(
        secondFactor(ctx, { ticket: started.ticket, code: '000000' }, office),
      ).rejects.toMatchObject({
        code: 'invalid_code',
      });
    }
    await expect(secondFactor(ctx, { ticket: started.ticket, code: '111111' }, office)).rejects.toMatchObject(
      {
        code: 'account_locked',
      },
    );
  });

  it('refuses a disabled operator after checking the password', async () => {
    await withoutRequiredTotp(ctx);
    const operator = await addOperator(ctx, 'jana');
    await ctx.db.updateTable('operators').set({ disabled: true }).where('id', '=', operator.id).execute();
    await expect(attempt(ctx, 'jana')).rejects.toMatchObject({ code: 'account_disabled' });
  });

  it('refuses an address outside the allowlists, naming the list, and audits it', async () => {
    await withoutRequiredTotp(ctx);
    const operator = await addOperator(ctx, 'karl');
    await ctx.db
      .insertInto('ip_rules')
      .values({ id: 'r1', scope: 'global', subject: '', cidr: '203.0.113.0/24' })
      .execute();
    expectStep(await attempt(ctx, 'karl'), 'done');
    await expect(attempt(ctx, 'karl', testPassword, { address: '192.0.2.1' })).rejects.toMatchObject({
      code: 'address_not_allowed',
      message: expect.stringContaining('allowlist'),
    });
    await ctx.db
      .insertInto('ip_rules')
      .values({ id: 'r2', scope: 'operator', subject: operator.id, cidr: '2001:db8::/32' })
      .execute();
    await expect(attempt(ctx, 'karl')).rejects.toMatchObject({
      code: 'address_not_allowed',
      message: expect.stringContaining('your account'),
    });
    const refused = (await listAudit(ctx.db, { action: 'address.refused', limit: 10 })).entries;
    expect(refused[0]).toMatchObject({ address: '203.0.113.0', details: { list: 'operator', at: 'login' } });
  });

  it('refuses a client that speaks another protocol version', async () => {
    await expect(
      login(ctx, { protocolVersion: protocolVersion + 1, username: 'x', password: 'y' }, office),
    ).rejects.toMatchObject({ code: 'version_mismatch' });
  });

  it('ends sessions after the idle timeout and after their absolute lifetime', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'lena');
    const policy = await readSecurityPolicy(ctx.db);
    const idle = expectStep(await attempt(ctx, 'lena'), 'done').session;
    clock.advanceMinutes(59);
    await authenticateSession(ctx.db, ctx.clock, policy, { token: idle.token });
    clock.advanceMinutes(60);
    await expect(authenticateSession(ctx.db, ctx.clock, policy, { token: idle.token })).rejects.toMatchObject(
      {
        code: 'session_expired',
      },
    );

    const busy = expectStep(await attempt(ctx, 'lena'), 'done').session;
    for (let hour = 0; hour < 23; hour++) {
      clock.advanceMinutes(30);
      await authenticateSession(ctx.db, ctx.clock, policy, { token: busy.token });
    }
    clock.advanceMinutes(30);
    await expect(authenticateSession(ctx.db, ctx.clock, policy, { token: busy.token })).rejects.toMatchObject(
      {
        code: 'session_expired',
        message: expect.stringContaining('maximum lifetime'),
      },
    );
  });

  it('refuses revoked and unknown tokens', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'mia');
    const policy = await readSecurityPolicy(ctx.db);
    const session = expectStep(await attempt(ctx, 'mia'), 'done').session;
    await revokeSessions(ctx.db, ctx.clock, { sessionId: session.sessionId }, 'test');
    await expect(
      authenticateSession(ctx.db, ctx.clock, policy, { token: session.token }),
    ).rejects.toMatchObject({
      code: 'session_expired',
    });
    await expect(
      authenticateSession(ctx.db, ctx.clock, policy, { token: 'x'.repeat(43) }),
    ).rejects.toMatchObject({
      code: 'unauthenticated',
    });
  });

  it('stores addresses in the audit log as the policy says', async () => {
    await withoutRequiredTotp(ctx);
    await addOperator(ctx, 'nils');
    await attempt(ctx, 'nils');
    await updateSecurityPolicy(ctx.db, ctx.clock, { addressPolicy: 'none' });
    await attempt(ctx, 'nils');
    const logins = (await listAudit(ctx.db, { action: 'login.succeeded', limit: 10 })).entries;
    expect(logins.map((entry) => entry.address)).toEqual([null, '203.0.113.0']);
  });
});
