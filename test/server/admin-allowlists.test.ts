import { afterAll, beforeAll, expect, it } from 'vitest';
import { authPaths, protocolVersion } from '../../protocol/auth';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import { describeEachServerStorage, OperatorTestSocket, postJson, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';

describeEachServerStorage('IP allowlists: the self-lockout guard', (storage) => {
  let server: ParleyServer;
  let admin: OperatorTestSocket;
  const clock = fakeClock(Date.now());

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: [] });
    await addOperator(server.ctx, 'guard-admin', 'admin');
    const { grant } = await signIn(server.url, 'guard-admin', testPassword);
    admin = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
  });
  afterAll(async () => {
    admin?.close();
    await server?.close();
  });

  async function rules() {
    const listed = await admin.request('ipRules.list', {});
    if (!listed.ok) throw new Error(listed.error.message);
    return listed.result as { rules: { id: string; cidr: string }[]; yourAddress: string };
  }

  it('tells the admin their own address, as the server sees it', async () => {
    expect(await rules()).toEqual({ rules: [], yourAddress: '127.0.0.1' });
  });

  it('refuses a rule that would shut the admin out, stores nothing, and adds it once confirmed', async () => {
    const elsewhere = { scope: 'global', subject: '', cidr: '10.0.0.0/8' };
    expect(await admin.request('ipRules.add', elsewhere)).toMatchObject({
      ok: false,
      error: {
        code: 'would_lock_out',
        message: expect.stringContaining('Your own address 127.0.0.1 would no longer be allowed'),
      },
    });
    expect((await rules()).rules).toEqual([]);

    // A rule for another role does not touch the admin.
    expect(
      await admin.request('ipRules.add', { scope: 'role', subject: 'agent', cidr: '10.0.0.0/8' }),
    ).toMatchObject({ ok: true });
    // Own network first, then the remote one: both are allowed without confirmation.
    expect(await admin.request('ipRules.add', { ...elsewhere, cidr: '127.0.0.0/8' })).toMatchObject({
      ok: true,
    });
    expect(await admin.request('ipRules.add', elsewhere)).toMatchObject({ ok: true });

    // Removing the rule that lets the admin in would shut them out again.
    const own = (await rules()).rules.find((rule) => rule.cidr === '127.0.0.0/8');
    expect(await admin.request('ipRules.remove', { id: own?.id })).toMatchObject({
      ok: false,
      error: { code: 'would_lock_out' },
    });
    expect((await rules()).rules).toHaveLength(3);

    for (const rule of (await rules()).rules) {
      expect(await admin.request('ipRules.remove', { id: rule.id, confirmLockout: true })).toMatchObject({
        ok: true,
      });
    }
    expect(await admin.request('ipRules.add', { ...elsewhere, confirmLockout: true })).toMatchObject({
      ok: true,
    });
    expect(
      await postJson(server.url, authPaths.login, {
        protocolVersion,
        username: 'guard-admin',
        password: testPassword,
      }),
    ).toMatchObject({ status: 403, body: { code: 'address_not_allowed' } });
  });
});
