import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPaths } from '../../protocol/auth';
import { maxOperatorFrameBytes, socketCloseCodes } from '../../protocol/operator-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { updateSecurityPolicy } from '../../server/policy';
import { OperatorTestSocket, postJson, signIn, upgradeOutcome } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';

let server: ParleyServer;
let adminToken: string;
let agentToken: string;

// Each sign-in moves the server's clock a minute on, so every login has a fresh TOTP step.
const clock = fakeClock(Date.now());
const secrets = new Map<string, string>();

async function login(username: string, headers: Record<string, string> = {}) {
  clock.advanceMinutes(1);
  const secret = secrets.get(username);
  const result = await signIn(server.url, username, testPassword, {
    headers,
    now: () => clock.now().getTime(),
    ...(secret ? { secret } : {}),
  });
  if (result.secret) secrets.set(username, result.secret);
  return result.grant;
}

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' }, clock });
  await addOperator(server.ctx, 'root', 'admin');
  await addOperator(server.ctx, 'agent1', 'agent');
  adminToken = (await login('root')).token;
  agentToken = (await login('agent1')).token;
}, 60_000);

afterAll(() => server?.close());

describe('Parley Server over HTTP and the operator socket', () => {
  it('reports health', async () => {
    const response = await fetch(`${server.url}${authPaths.health}`);
    expect(await response.json()).toEqual({ status: 'ok', storage: 'pglite' });
  });

  it('logs in with password and TOTP enrolment, then opens the socket with the token', async () => {
    const socket = await OperatorTestSocket.connect(server.socketUrl, adminToken);
    expect(socket.frames[0]).toMatchObject({
      type: 'welcome',
      operator: { username: 'root', totpEnabled: true },
      seq: 0,
    });
    const me = await socket.request('me.get');
    expect(me).toMatchObject({ ok: true, result: { operator: { role: 'admin' } } });
    socket.close();
  });

  it('rejects bad HTTP bodies with clear codes', async () => {
    expect(await postJson(server.url, authPaths.login, '{not json')).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });
    expect(await postJson(server.url, authPaths.login, { username: 'root' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });
    const huge = await postJson(server.url, authPaths.login, {
      protocolVersion: 1,
      username: 'x',
      password: 'y'.repeat(20_000),
    });
    expect(huge.status).toBe(413);
  });

  it('refuses sockets without a valid token', async () => {
    expect(await upgradeOutcome(OperatorTestSocket.open(server.socketUrl, undefined))).toEqual({
      status: 401,
      body: { code: 'unauthenticated', message: 'Sign in first.' },
    });
    expect(await upgradeOutcome(OperatorTestSocket.open(server.socketUrl, 'A'.repeat(43)))).toMatchObject({
      status: 401,
    });
  });

  it('answers malformed frames, unknown types and unknown methods with distinct errors and keeps serving', async () => {
    const socket = await OperatorTestSocket.connect(server.socketUrl, agentToken);
    socket.sendRaw('{"type": "request", "id": ');
    expect(await socket.waitFor((frame) => frame.type === 'error')).toMatchObject({
      error: { code: 'malformed_frame' },
    });
    socket.frames.length = 0;
    socket.sendRaw(JSON.stringify({ type: 'teleport' }));
    expect(await socket.waitFor((frame) => frame.type === 'error')).toMatchObject({
      error: { code: 'unknown_message_type' },
    });
    expect(await socket.request('chat.explode')).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(await socket.request('sessions.list', { all: 'yes' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await socket.request('me.get')).toMatchObject({ ok: true });
    socket.close();
  });

  it('closes a socket that sends an oversized frame without disturbing other clients', async () => {
    const other = await OperatorTestSocket.connect(server.socketUrl, adminToken);
    const flooder = await OperatorTestSocket.connect(server.socketUrl, agentToken);
    flooder.sendRaw('x'.repeat(maxOperatorFrameBytes + 1));
    expect((await flooder.closed).code).toBe(1009);
    expect(await other.request('me.get')).toMatchObject({ ok: true });
    other.close();
  });

  it('enforces the role table on every method', async () => {
    const agent = await OperatorTestSocket.connect(server.socketUrl, agentToken);
    expect(await agent.request('audit.list', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await agent.request('policy.update', { sessionIdleMinutes: 30 })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await agent.request('sessions.list', { all: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    expect(await agent.request('sessions.list', {})).toMatchObject({ ok: true });
    agent.close();
  });

  it('lets an admin read the audit log and end another operator’s session, closing its socket', async () => {
    const victim = { grant: await login('agent1') };
    const victimSocket = await OperatorTestSocket.connect(server.socketUrl, victim.grant.token);
    const admin = await OperatorTestSocket.connect(server.socketUrl, adminToken);

    const sessions = await admin.request('sessions.list', { all: true });
    expect(sessions).toMatchObject({ ok: true });
    const listed = (sessions as { result: { sessions: { id: string; address: string | null }[] } }).result
      .sessions;
    expect(listed.map((session) => session.id)).toContain(victim.grant.sessionId);
    expect(listed[0]?.address).toBe('127.0.0.0');

    expect(await admin.request('sessions.revoke', { sessionId: victim.grant.sessionId })).toMatchObject({
      ok: true,
    });
    expect(await victimSocket.waitFor((frame) => frame.type === 'event')).toMatchObject({
      seq: 1,
      event: 'session.revoked',
      payload: { sessionId: victim.grant.sessionId },
    });
    expect((await victimSocket.closed).code).toBe(socketCloseCodes.sessionEnded);
    expect(await upgradeOutcome(OperatorTestSocket.open(server.socketUrl, victim.grant.token))).toMatchObject(
      {
        status: 401,
        body: { code: 'session_expired' },
      },
    );

    const audit = await admin.request('audit.list', { limit: 50 });
    const actions = (audit as { result: { entries: { action: string }[] } }).result.entries.map(
      (entry) => entry.action,
    );
    expect(actions).toEqual(expect.arrayContaining(['login.succeeded', 'totp.enrolled', 'session.revoked']));
    admin.close();
  });

  it('ends the session on logout', async () => {
    const grant = await login('agent1');
    const logout = await fetch(`${server.url}${authPaths.logout}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${grant.token}` },
    });
    expect(logout.status).toBe(204);
    expect((await upgradeOutcome(OperatorTestSocket.open(server.socketUrl, grant.token))).status).toBe(401);
  });

  it('checks the allowlist on every socket connection and ignores X-Forwarded-For from an untrusted peer', async () => {
    await addOperator(server.ctx, 'remote1', 'agent');
    const grant = await login('remote1');
    const admin = await OperatorTestSocket.connect(server.socketUrl, adminToken);
    const added = await admin.request('ipRules.add', { scope: 'role', subject: 'agent', cidr: '10.0.0.0/8' });
    expect(added).toMatchObject({ ok: true, result: { cidr: '10.0.0.0/8' } });

    // The peer is 127.0.0.1 and not a trusted proxy, so the forwarded 10.x address is a spoof.
    const spoofed = await upgradeOutcome(
      OperatorTestSocket.open(server.socketUrl, grant.token, { 'X-Forwarded-For': '10.1.2.3' }),
    );
    expect(spoofed).toMatchObject({ status: 403, body: { code: 'address_not_allowed' } });

    await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { trustedProxies: ['127.0.0.1/32'] });
    const proxied = await upgradeOutcome(
      OperatorTestSocket.open(server.socketUrl, grant.token, { 'X-Forwarded-For': '10.1.2.3' }),
    );
    expect(proxied.status).toBe(101);
    await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { trustedProxies: [] });

    const rule = (added as { result: { id: string } }).result;
    expect(await admin.request('ipRules.remove', { id: rule.id })).toMatchObject({ ok: true });
    const refused = await admin.request('audit.list', { action: 'address.refused', limit: 5 });
    expect(refused).toMatchObject({
      ok: true,
      result: { entries: [{ details: { at: 'socket', list: 'role' } }] },
    });
    admin.close();
  });

  it('lets an admin reset an operator’s 2FA, which ends that operator’s sessions', async () => {
    await addOperator(server.ctx, 'phone-lost', 'agent');
    const before = { grant: await login('phone-lost') };
    const admin = await OperatorTestSocket.connect(server.socketUrl, adminToken);
    expect(
      await admin.request('operators.resetTotp', { operatorId: before.grant.operator.id }),
    ).toMatchObject({ ok: true });
    expect((await upgradeOutcome(OperatorTestSocket.open(server.socketUrl, before.grant.token))).status).toBe(
      401,
    );
    const again = await postJson(server.url, authPaths.login, {
      protocolVersion: 1,
      username: 'phone-lost',
      password: testPassword,
    });
    expect(again.body).toMatchObject({ step: 'enrol_totp' });
    admin.close();
  });
});
