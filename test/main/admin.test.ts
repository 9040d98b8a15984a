import { describe, expect, it } from 'vitest';
import { totpCode } from '../../server/auth/totp';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { desktop, signIn, startServer, type TestDesktop } from './desktop-harness';

async function signedIn(desk: TestDesktop, url: string, username: string) {
  expect((await signIn(desk, url, username)).status).toBe('signed_in');
  await expect.poll(async () => (await desk.call('connection.status')).state).toBe('online');
}

const chosenPassword = 'seven quiet harbour lights';

describe('administration through the desktop core', () => {
  it('passes admin calls to the server, which refuses what the role may not do', async () => {
    const server = await startServer();
    await withoutRequiredTotp(server.ctx);
    await addOperator(server.ctx, 'ada', 'admin');
    await addOperator(server.ctx, 'lee', 'lead');
    const admin = desktop();
    const lead = desktop();
    await signedIn(admin, server.url, 'ada');
    await signedIn(lead, server.url, 'lee');

    const made = await admin.call('operators.create', {
      username: 'newbie',
      displayName: 'New Bie',
      role: 'agent',
      groupIds: [],
    });
    expect(made.operator).toMatchObject({ username: 'newbie', setupPending: true });
    expect((await lead.call('operators.list', {})).operators.map((o) => o.username)).toContain('newbie');
    await expect(
      lead.call('operators.setDisabled', { operatorId: made.operator.id, disabled: true }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    // The server's validation arrives unchanged, and bad arguments never leave the desktop.
    await expect(
      admin.call('operators.create', {
        username: 'newbie',
        displayName: 'Again',
        role: 'agent',
        groupIds: [],
      }),
    ).rejects.toMatchObject({ code: 'conflict' });
    await expect(
      admin.call('operators.update', { operatorId: made.operator.id, version: 0, maxConcurrentChats: 0 }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect((await admin.call('ipRules.list', {})).yourAddress).toBe('127.0.0.1');
  });

  it('sets up a new operator with their code: password, TOTP enrolment, recovery codes, signed in', async () => {
    const server = await startServer();
    await addOperator(server.ctx, 'ada', 'admin');
    const admin = desktop();
    await withoutRequiredTotp(server.ctx);
    await signedIn(admin, server.url, 'ada');
    await admin.call('policy.update', { totpRequiredRoles: ['agent', 'lead', 'admin'] });
    const made = await admin.call('operators.create', {
      username: 'newbie',
      displayName: 'New Bie',
      role: 'agent',
      groupIds: [],
    });

    const newbie = desktop();
    const setup = (code: string, password = chosenPassword) =>
      newbie.call('auth.setup', {
        profile: { name: 'Test', url: server.url },
        remember: true,
        username: 'newbie',
        code,
        password,
      });
    expect(await setup(made.setupCode, 'short')).toMatchObject({
      status: 'signed_out',
      error: { code: 'password_policy' },
    });
    const enrol = await setup(made.setupCode);
    expect(enrol).toMatchObject({ status: 'enrol_totp', username: 'newbie' });
    if (enrol.status !== 'enrol_totp') return;
    const codes = await newbie.call('auth.confirmEnrolment', { code: totpCode(enrol.secret, Date.now()) });
    expect(codes.status).toBe('recovery_codes');
    expect(await newbie.call('auth.acknowledgeRecoveryCodes')).toMatchObject({
      status: 'signed_in',
      operator: { username: 'newbie', totpEnabled: true },
    });

    // Used once: the same code is refused from now on.
    const again = desktop();
    expect(
      await again.call('auth.setup', {
        profile: { name: 'Test', url: server.url },
        remember: false,
        username: 'newbie',
        code: made.setupCode,
        password: chosenPassword,
      }),
    ).toMatchObject({ status: 'signed_out', error: { code: 'invalid_code' } });
  });
});
