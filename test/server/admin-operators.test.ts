import { afterAll, beforeAll, expect, it } from 'vitest';
import { authPaths, protocolVersion, type LoginResponse } from '../../protocol/auth';
import { socketCloseCodes, type AdminOperator } from '../../protocol/operator-socket';
import type { Role } from '../../protocol/roles';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { listAudit } from '../../server/audit';
import { totpCode } from '../../server/auth/totp';
import { operatorAdminHandlers } from '../../server/admin/operators';
import { silentLog } from '../../server/log';
import type { Session } from '../../server/storage/schema';
import { updateSecurityPolicy } from '../../server/policy';
import { createGroup } from '../../server/queues/groups';
import { describeEachServerStorage, OperatorTestSocket, postJson, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';

const chosenPassword = 'purple elephants dance quietly';

describeEachServerStorage('operator administration', (storage) => {
  let server: ParleyServer;
  let counter = 0;
  const clock = fakeClock(Date.now());

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await updateSecurityPolicy(server.ctx.db, clock, {
      totpRequiredRoles: [],
      lockout: { maxFailures: 100, windowMinutes: 15, lockMinutes: 15 },
    });
  });
  afterAll(() => server?.close());

  function uniqueName(prefix = 'op') {
    return `${prefix}${++counter}`;
  }

  async function connected(role: Role) {
    const username = uniqueName(role);
    const operator = await addOperator(server.ctx, username, role);
    const { grant } = await signIn(server.url, username, testPassword);
    const socket = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    return { operator, socket, grant };
  }

  async function result<T>(socket: OperatorTestSocket, method: string, params?: unknown): Promise<T> {
    const response = await socket.request(method, params);
    if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  async function created(admin: OperatorTestSocket, params: Record<string, unknown> = {}) {
    return result<{ operator: AdminOperator; setupCode: string; setupExpiresAt: string }>(
      admin,
      'operators.create',
      { username: uniqueName('new'), displayName: 'New Person', role: 'agent', groupIds: [], ...params },
    );
  }

  function setUp(username: string, code: string, password = chosenPassword) {
    return postJson(server.url, authPaths.setup, { protocolVersion, username, code, password });
  }

  function adminRow(id: string) {
    return server.ctx.db.selectFrom('operators').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  async function auditActions() {
    return (await listAudit(server.ctx.db, { limit: 500 })).entries;
  }

  /** Demotes every other enabled admin, so `admin` is the only one left. */
  async function onlyAdmin(adminId: string) {
    await server.ctx.db
      .updateTable('operators')
      .set({ role: 'lead' })
      .where('role', '=', 'admin')
      .where('id', '!=', adminId)
      .execute();
  }

  it('allows each operators.* method only to the roles the permission table names', async () => {
    const agent = await connected('agent');
    const lead = await connected('lead');
    const admin = await connected('admin');
    const target = await addOperator(server.ctx, uniqueName('target'), 'agent');
    const pending = await created(admin.socket);

    const calls: [string, unknown, Role[]][] = [
      ['operators.list', {}, ['lead', 'admin']],
      [
        'operators.create',
        { username: uniqueName('perm'), displayName: 'P', role: 'agent', groupIds: [] },
        ['admin'],
      ],
      ['operators.update', { operatorId: target.id, version: 1, displayName: 'Renamed' }, ['admin']],
      ['operators.setDisabled', { operatorId: target.id, disabled: false }, ['admin']],
      ['operators.endSessions', { operatorId: target.id }, ['admin']],
      ['operators.newSetupCode', { operatorId: pending.operator.id }, ['admin']],
    ];
    for (const [method, params, allowed] of calls) {
      for (const [role, caller] of [
        ['agent', agent],
        ['lead', lead],
        ['admin', admin],
      ] as const) {
        const response = await caller.socket.request(method, params);
        if (allowed.includes(role)) {
          expect(response, `${method} as ${role}`).toMatchObject({ ok: true });
        } else {
          expect(response, `${method} as ${role}`).toMatchObject({
            ok: false,
            error: { code: 'forbidden' },
          });
        }
      }
    }
    for (const caller of [agent, lead, admin]) caller.socket.close();
  });

  it('creates an operator with groups, a default chat limit and a set-up code, audited without the code', async () => {
    const admin = await connected('admin');
    const support = await createGroup(server.ctx, {
      name: uniqueName('Support'),
      routingMode: 'manual',
      ringTimeoutSeconds: 30,
      defaultMaxChats: 5,
    });
    const made = await created(admin.socket, { displayName: 'Grace Hopper', groupIds: [support.id] });
    expect(made.operator).toMatchObject({
      displayName: 'Grace Hopper',
      groupIds: [support.id],
      maxConcurrentChats: 5,
      setupPending: true,
      disabled: false,
      totpEnabled: false,
      version: 1,
    });
    expect(made.setupCode).toMatch(/^[\w-]{43,}$/);
    expect(Date.parse(made.setupExpiresAt) - clock.now().getTime()).toBe(72 * 60 * 60_000);
    const stored = await server.ctx.db.selectFrom('operator_setups').select('token_hash').execute();
    expect(stored.map((row) => row.token_hash)).not.toContain(made.setupCode);

    const plain = await created(admin.socket);
    expect(plain.operator.maxConcurrentChats).toBe(3);

    const entry = (await auditActions()).find(
      (candidate) => candidate.action === 'operator.created' && candidate.target === made.operator.id,
    );
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).not.toContain(made.setupCode);
    admin.socket.close();
  });

  it('refuses a taken username and an unknown group, saving nothing', async () => {
    const admin = await connected('admin');
    const username = uniqueName('dup');
    await created(admin.socket, { username });
    expect(
      await admin.socket.request('operators.create', {
        username,
        displayName: 'Other',
        role: 'agent',
        groupIds: [],
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `The username "${username}" is taken.` },
    });

    const orphan = uniqueName('orphan');
    expect(
      await admin.socket.request('operators.create', {
        username: orphan,
        displayName: 'Orphan',
        role: 'agent',
        groupIds: ['no-such-group'],
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const rows = await server.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('username', 'in', [orphan])
      .execute();
    expect(rows).toEqual([]);
    admin.socket.close();
  });

  it('filters and sorts the list', async () => {
    const admin = await connected('admin');
    const tag = uniqueName('zq');
    const group = await createGroup(server.ctx, {
      name: uniqueName('Sales'),
      routingMode: 'manual',
      ringTimeoutSeconds: 30,
      defaultMaxChats: 2,
    });
    const bob = await created(admin.socket, {
      username: `${tag}bob`,
      displayName: 'bob Builder',
      role: 'lead',
      groupIds: [group.id],
    });
    const alice = await created(admin.socket, {
      username: `${tag}alice`,
      displayName: 'Alice Smith',
      role: 'agent',
    });
    await result(admin.socket, 'operators.setDisabled', { operatorId: alice.operator.id, disabled: true });

    const list = async (params: Record<string, unknown>) =>
      (await result<{ operators: AdminOperator[] }>(admin.socket, 'operators.list', params)).operators.map(
        (operator) => operator.username,
      );
    expect(await list({ search: tag.toUpperCase() })).toEqual([`${tag}alice`, `${tag}bob`]);
    expect(await list({ search: 'BOB BUILD' })).toContain(`${tag}bob`);
    expect(await list({ search: tag, role: 'lead' })).toEqual([`${tag}bob`]);
    expect(await list({ groupId: group.id })).toEqual([`${tag}bob`]);
    expect(await list({ search: tag, disabled: true })).toEqual([`${tag}alice`]);
    expect(await list({ search: tag, disabled: false })).toEqual([`${tag}bob`]);
    expect(await list({ search: tag, totpEnabled: true })).toEqual([]);
    expect(await list({ search: tag, status: 'offline' })).toHaveLength(2);
    expect(await list({ search: tag, status: 'online' })).toEqual([]);
    expect(await list({ search: '%' })).toEqual([]);
    const all = (
      await result<{ operators: AdminOperator[] }>(admin.socket, 'operators.list', { search: tag })
    ).operators;
    expect(all.every((operator) => operator.setupPending)).toBe(true);
    expect(all.find((operator) => operator.id === bob.operator.id)?.groupIds).toEqual([group.id]);
    admin.socket.close();
  });

  it('updates with a version check, replaces groups and audits the changed fields', async () => {
    const first = await connected('admin');
    const second = await connected('admin');
    const group = await createGroup(server.ctx, {
      name: uniqueName('G'),
      routingMode: 'manual',
      ringTimeoutSeconds: 30,
      defaultMaxChats: 2,
    });
    const { operator } = await created(first.socket);

    const updated = await result<{ operator: AdminOperator }>(first.socket, 'operators.update', {
      operatorId: operator.id,
      version: operator.version,
      displayName: 'First Edit',
      groupIds: [group.id],
    });
    expect(updated.operator).toMatchObject({ displayName: 'First Edit', groupIds: [group.id], version: 2 });

    const stale = await second.socket.request('operators.update', {
      operatorId: operator.id,
      version: operator.version,
      displayName: 'Second Edit',
      role: 'lead',
      groupIds: [],
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Someone else changed this operator. Reload and try again.' },
    });
    const unknownGroup = await second.socket.request('operators.update', {
      operatorId: operator.id,
      version: 2,
      displayName: 'Half',
      groupIds: ['missing'],
    });
    expect(unknownGroup).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const now = await result<{ operators: AdminOperator[] }>(first.socket, 'operators.list', {
      search: operator.username,
    });
    expect(now.operators[0]).toMatchObject({
      displayName: 'First Edit',
      role: 'agent',
      groupIds: [group.id],
      version: 2,
    });

    const entry = (await auditActions()).find(
      (candidate) => candidate.action === 'operator.updated' && candidate.target === operator.id,
    );
    expect(entry?.details).toMatchObject({ changed: ['displayName', 'groupIds'] });
    first.socket.close();
    second.socket.close();
  });

  it('never lets an admin demote or disable themselves', async () => {
    const admin = await connected('admin');
    await onlyAdmin(admin.operator.id);
    const self = await server.ctx.db
      .selectFrom('operators')
      .select('version')
      .where('id', '=', admin.operator.id)
      .executeTakeFirstOrThrow();

    expect(
      await admin.socket.request('operators.update', {
        operatorId: admin.operator.id,
        version: self.version,
        role: 'lead',
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'You cannot take away your own admin role.' },
    });
    expect(
      await admin.socket.request('operators.setDisabled', {
        operatorId: admin.operator.id,
        disabled: true,
      }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'You cannot disable your own account.' },
    });

    admin.socket.close();
  });

  it('refuses to demote or disable the last enabled admin, also when two admins race', async () => {
    const admin = await connected('admin');
    await onlyAdmin(admin.operator.id);
    const version = (await adminRow(admin.operator.id)).version;
    // A caller the table no longer counts as an admin (demoted after the request was checked).
    const lead = await addOperator(server.ctx, uniqueName('demoted'), 'lead');
    const staleCaller = {
      operator: { ...lead, role: 'admin' as const },
      session: {} as Session,
      address: '127.0.0.1',
    };
    const effects = { endSessions: async () => undefined };
    await expect(
      operatorAdminHandlers['operators.update'](
        server.ctx,
        staleCaller,
        { operatorId: admin.operator.id, version, role: 'agent' },
        effects,
      ),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('last enabled admin') });
    await expect(
      operatorAdminHandlers['operators.setDisabled'](
        server.ctx,
        staleCaller,
        { operatorId: admin.operator.id, disabled: true },
        effects,
      ),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('last enabled admin') });
    expect(await adminRow(admin.operator.id)).toMatchObject({ role: 'admin', disabled: false, version });

    // Two admins demote each other at once: one wins, the other is refused, one admin remains.
    const other = await connected('admin');
    const [first, second] = await Promise.all([
      admin.socket.request('operators.update', {
        operatorId: other.operator.id,
        version: (await adminRow(other.operator.id)).version,
        role: 'lead',
      }),
      other.socket.request('operators.update', {
        operatorId: admin.operator.id,
        version,
        role: 'lead',
      }),
    ]);
    expect([first.ok, second.ok].filter(Boolean)).toHaveLength(1);
    const admins = await server.ctx.db
      .selectFrom('operators')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .execute();
    expect(admins).toHaveLength(1);
    admin.socket.close();
    other.socket.close();
  });

  it('disabling ends the operator’s sessions and closes their socket; enabling lets them back in', async () => {
    const admin = await connected('admin');
    const agent = await connected('agent');
    const disabled = await result<{ operator: AdminOperator }>(admin.socket, 'operators.setDisabled', {
      operatorId: agent.operator.id,
      disabled: true,
    });
    expect(disabled.operator).toMatchObject({ disabled: true, status: 'offline' });
    expect(await agent.socket.waitFor((frame) => frame.type === 'event')).toMatchObject({
      event: 'session.revoked',
      payload: { sessionId: agent.grant.sessionId },
    });
    expect((await agent.socket.closed).code).toBe(socketCloseCodes.sessionEnded);
    expect(socketCloseCodes.sessionEnded).toBe(4401);
    await expect(signIn(server.url, agent.operator.username, testPassword)).rejects.toMatchObject({
      response: { status: 403, body: { code: 'account_disabled' } },
    });

    const enabled = await result<{ operator: AdminOperator }>(admin.socket, 'operators.setDisabled', {
      operatorId: agent.operator.id,
      disabled: false,
    });
    expect(enabled.operator.disabled).toBe(false);
    await signIn(server.url, agent.operator.username, testPassword);
    const actions = (await auditActions())
      .filter((entry) => entry.target === agent.operator.id)
      .map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['operator.disabled', 'operator.enabled']));
    admin.socket.close();
  });

  it('ends all of an operator’s sessions on request and says how many', async () => {
    const admin = await connected('admin');
    const agent = await connected('agent');
    await signIn(server.url, agent.operator.username, testPassword);
    const ended = await result<{ ended: number }>(admin.socket, 'operators.endSessions', {
      operatorId: agent.operator.id,
    });
    expect(ended).toEqual({ ended: 2 });
    expect((await agent.socket.closed).code).toBe(socketCloseCodes.sessionEnded);
    expect(
      await result<{ ended: number }>(admin.socket, 'operators.endSessions', {
        operatorId: agent.operator.id,
      }),
    ).toEqual({ ended: 0 });
    expect(await admin.socket.request('operators.endSessions', { operatorId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    admin.socket.close();
  });

  it('sets up a new operator once with their code, then they sign in and enrol TOTP', async () => {
    const admin = await connected('admin');
    const made = await created(admin.socket, { role: 'lead' });
    const { username } = made.operator;

    // Pending: no password can sign in, not even an empty-looking marker.
    for (const password of [chosenPassword, '!setup-pending']) {
      expect(
        await postJson(server.url, authPaths.login, { protocolVersion, username, password }),
      ).toMatchObject({ status: 401, body: { code: 'invalid_credentials' } });
    }

    expect(await setUp(username, 'x'.repeat(43))).toMatchObject({
      status: 401,
      body: {
        code: 'invalid_code',
        message: 'This set-up code is not valid any more. Ask your administrator for a new one.',
      },
    });
    // The code alone is not enough: it must come with the username it was made for.
    expect(await setUp('someone-else', made.setupCode)).toMatchObject({
      status: 401,
      body: { code: 'invalid_code' },
    });
    expect(await setUp(username, made.setupCode, 'short')).toMatchObject({
      status: 400,
      body: { code: 'password_policy' },
    });
    expect(await setUp(username, made.setupCode, `my-${username}-password-here`)).toMatchObject({
      status: 400,
      body: { code: 'password_policy', message: 'The password must not contain the username.' },
    });

    await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: ['lead'] });
    try {
      const done = await setUp(made.operator.username, made.setupCode);
      expect(done.status).toBe(200);
      const step = done.body as LoginResponse;
      expect(step.step).toBe('enrol_totp');
      if (step.step !== 'enrol_totp') return;
      const enrolled = await postJson(server.url, authPaths.enrol, {
        ticket: step.ticket,
        code: totpCode(step.secret, clock.now().getTime()),
      });
      expect(enrolled).toMatchObject({ status: 200, body: { step: 'done' } });

      expect(await setUp(made.operator.username, made.setupCode)).toMatchObject({
        status: 401,
        body: { code: 'invalid_code' },
      });
      expect(
        await admin.socket.request('operators.newSetupCode', { operatorId: made.operator.id }),
      ).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      });

      clock.advanceMinutes(1);
      const again = await signIn(server.url, username, chosenPassword, {
        secret: step.secret,
        now: () => clock.now().getTime(),
      });
      expect(again.grant.operator.username).toBe(username);
      const listed = await result<{ operators: AdminOperator[] }>(admin.socket, 'operators.list', {
        search: username,
      });
      expect(listed.operators[0]).toMatchObject({ setupPending: false, totpEnabled: true });
    } finally {
      await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: [] });
    }
    const actions = (await auditActions()).map((entry) => entry.action);
    expect(actions).toEqual(expect.arrayContaining(['operator.setup_completed', 'operator.setup_failed']));
    admin.socket.close();
  });

  it('lets a set-up code expire after 72 hours and replaces it with a new one', async () => {
    const admin = await connected('admin');
    const made = await created(admin.socket);
    const replaced = await result<{ setupCode: string; setupExpiresAt: string }>(
      admin.socket,
      'operators.newSetupCode',
      { operatorId: made.operator.id },
    );
    expect(replaced.setupCode).not.toBe(made.setupCode);
    expect(await setUp(made.operator.username, made.setupCode)).toMatchObject({
      status: 401,
      body: { code: 'invalid_code' },
    });

    clock.advanceMinutes(72 * 60);
    expect(await setUp(made.operator.username, replaced.setupCode)).toMatchObject({
      status: 401,
      body: { code: 'invalid_code' },
    });

    // The admin's own session has long expired; a new one asks for a new code.
    admin.socket.close();
    const laterAdmin = await connected('admin');
    const fresh = await result<{ setupCode: string }>(laterAdmin.socket, 'operators.newSetupCode', {
      operatorId: made.operator.id,
    });
    laterAdmin.socket.close();
    const done = await setUp(made.operator.username, fresh.setupCode);
    expect(done).toMatchObject({ status: 200, body: { step: 'done' } });
  });

  it('takes a code only once when two set-ups race', async () => {
    const admin = await connected('admin');
    const made = await created(admin.socket);
    const outcomes = await Promise.all([
      setUp(made.operator.username, made.setupCode),
      setUp(made.operator.username, made.setupCode, 'another fine passphrase'),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual([200, 401]);
    admin.socket.close();
  });

  it('throttles failed set-up attempts per address', async () => {
    await updateSecurityPolicy(server.ctx.db, clock, {
      lockout: { maxFailures: 3, windowMinutes: 15, lockMinutes: 15 },
    });
    // Start from a clean count: earlier tests failed on purpose from the same address.
    await server.ctx.db.deleteFrom('auth_throttle').execute();
    try {
      for (let i = 0; i < 3; i++) {
        expect((await setUp('nobody', `wrong-code-${i}-${'y'.repeat(30)}`)).status).toBe(401);
      }
      expect(await setUp('nobody', 'z'.repeat(43))).toMatchObject({
        status: 429,
        body: { code: 'account_locked' },
      });
    } finally {
      await updateSecurityPolicy(server.ctx.db, clock, {
        lockout: { maxFailures: 100, windowMinutes: 15, lockMinutes: 15 },
      });
      await server.ctx.db.deleteFrom('auth_throttle').execute();
    }
  });
});
