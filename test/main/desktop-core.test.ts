import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { AuthState } from '../../protocol/ipc';
import type { ChatSummary } from '../../protocol/operator-socket';
import { openChat, postVisitorMessage } from '../../server/chats';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { testPlatform } from '../support/platform';
import { startSilentProxy } from '../support/silent-proxy';
import { desktop, heartbeatMs, onCleanup, signIn, startServer } from './desktop-harness';

async function until<T>(
  probe: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`condition not met in time; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function preparedServer() {
  const server = await startServer();
  const dataDir = server.dataDir;
  await withoutRequiredTotp(server.ctx);
  const operator = await addOperator(server.ctx, 'agent');
  const chatId = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: operator.id });
  return { server, dataDir, operator, chatId };
}

const texts = (chat: ChatSummary | undefined) => chat?.messages.map((message) => message.text) ?? [];

describe('desktop core against a real Parley Server', () => {
  it('loses and duplicates nothing when the server is killed and restarted mid-conversation', async () => {
    const { server, dataDir, chatId } = await preparedServer();
    const desk = desktop();
    const { session } = desk;
    expect((await signIn(desk, server.url)).status).toBe('signed_in');
    await until(
      () => session.connectionStatus().state,
      (state) => state === 'online',
    );

    const expectedVisitor: string[] = [];
    const expectedOperator: string[] = [];
    for (let index = 0; index < 10; index++) {
      expectedVisitor.push(`visitor ${index}`);
      await postVisitorMessage(server.ctx, chatId, `visitor ${index}`);
      expectedOperator.push(`operator ${index}`);
      await session.sendMessage(chatId, `operator ${index}`);
    }

    await server.close(); // every socket dies at once, mid-stream
    for (let index = 10; index < 20; index++) {
      expectedOperator.push(`operator ${index}`);
      await session.sendMessage(chatId, `operator ${index}`); // queued while the server is down
    }
    await until(
      () => session.connectionStatus().state,
      (state) => state === 'reconnecting',
    );

    const restarted = await startServer(dataDir, server.port);
    for (let index = 10; index < 20; index++) {
      expectedVisitor.push(`visitor ${index}`);
      await postVisitorMessage(restarted.ctx, chatId, `visitor ${index}`);
    }
    await until(
      () => session.pendingActions(),
      (pending) => pending.length === 0,
    );

    const stored = await restarted.ctx.db
      .selectFrom('chat_messages')
      .select(['author_kind', 'text'])
      .where('chat_id', '=', chatId)
      .orderBy('id')
      .execute();
    expect(stored.filter((row) => row.author_kind === 'visitor').map((row) => row.text)).toEqual(
      expectedVisitor,
    );
    expect(stored.filter((row) => row.author_kind === 'operator').map((row) => row.text)).toEqual(
      expectedOperator,
    );

    const cached = await until(
      async () => (await session.chats()).find((chat) => chat.id === chatId),
      (chat) => texts(chat).length === 40,
    );
    expect(texts(cached)).toEqual(stored.map((row) => row.text)); // same messages, same order, once each
  });

  it('notices a socket that goes silent without a close frame, within two heartbeats, and recovers', async () => {
    const { server, chatId } = await preparedServer();
    const proxy = await startSilentProxy(server.port);
    onCleanup(() => proxy.close());
    const desk = desktop();
    const { session, events } = desk;
    await signIn(desk, `http://127.0.0.1:${proxy.port}`);
    await until(
      () => session.connectionStatus().state,
      (state) => state === 'online',
    );

    proxy.goSilent();
    const silentAt = Date.now();
    await until(
      () => session.connectionStatus().state,
      (state) => state !== 'online',
      10 * heartbeatMs,
    );
    const detectedAfterMs = Date.now() - silentAt;
    expect(detectedAfterMs).toBeLessThan(2 * heartbeatMs + 1_000); // the bound, plus slack for a busy machine
    proxy.recover();
    await postVisitorMessage(server.ctx, chatId, 'sent while the link was dead');
    const chat = await until(
      async () => (await session.chats()).find((candidate) => candidate.id === chatId),
      (candidate) => texts(candidate).includes('sent while the link was dead'),
    );
    expect(texts(chat)).toEqual(['sent while the link was dead']);
    expect(events.some((entry) => entry.event === 'connection.changed')).toBe(true);
  });

  it('refuses a server whose address is outside the allowed networks, saying so', async () => {
    const { server } = await preparedServer();
    const desk = desktop(testPlatform(), { allowedNetworks: ['10.0.0.0/8'] });
    const { session } = desk;
    const state = await signIn(desk, server.url);
    expect(state).toMatchObject({ status: 'signed_out', error: { code: 'server_not_allowed' } });
    expect(session.connectionStatus().state).toBe('offline');
  });

  it('detects a tampered cache record, tells the operator, and rebuilds it from the server', async () => {
    const { server, chatId } = await preparedServer();
    await postVisitorMessage(server.ctx, chatId, 'hello from the visitor');
    const desk = desktop();
    const { session, platform, notices } = desk;
    await signIn(desk, server.url);
    await until(
      async () => texts((await session.chats())[0]),
      (found) => found.includes('hello from the visitor'),
    );

    const chatDir = join(platform.platform.dataDir, 'cache', 'chat');
    const [file] = readdirSync(chatDir);
    const bytes = readFileSync(join(chatDir, file ?? ''));
    bytes[bytes.length - 20] = (bytes[bytes.length - 20] ?? 0) ^ 0x01; // one bit, inside the ciphertext
    writeFileSync(join(chatDir, file ?? ''), bytes);

    expect(await session.chats()).toEqual([]); // the damaged record is not trusted
    expect(notices()).toContainEqual({
      event: 'notice',
      payload: expect.objectContaining({ kind: 'cache_rebuilt' }),
    });
    const rebuilt = await until(
      () => session.chats(),
      (chats) => texts(chats[0]).includes('hello from the visitor'),
    );
    expect(rebuilt).toHaveLength(1);
  });

  it('delivers outbox entries once after the app restarts with them still queued', async () => {
    const { server, dataDir, chatId } = await preparedServer();
    const device = testPlatform();
    const first = desktop(device);
    await signIn(first, server.url);
    await until(
      () => first.session.connectionStatus().state,
      (state) => state === 'online',
    );
    await server.close();
    for (const text of ['one', 'two', 'three']) await first.session.sendMessage(chatId, text);
    expect(await first.session.pendingActions()).toHaveLength(3);
    await first.session.close(); // the app quits with three messages unsent

    const restarted = await startServer(dataDir, server.port);
    const second = desktop(testPlatform(device.platform.dataDir));
    expect((await signIn(second, restarted.url)).status).toBe('signed_in');
    await until(
      () => second.session.pendingActions(),
      (pending) => pending.length === 0,
    );
    const stored = await restarted.ctx.db
      .selectFrom('chat_messages')
      .select('text')
      .where('chat_id', '=', chatId)
      .orderBy('id')
      .execute();
    expect(stored.map((row) => row.text)).toEqual(['one', 'two', 'three']);
  });

  it('locks on the screen lock and after the idle time, dropping the session until the password is given', async () => {
    const { server } = await preparedServer();
    const desk = desktop();
    const { session, platform } = desk;
    await signIn(desk, server.url);

    platform.system.lockScreen();
    await until(
      () => session.state().status,
      (status) => status === 'locked',
    );
    expect(session.state()).toMatchObject({ reason: 'screen_locked', username: 'agent' });
    expect(await session.chats()).toEqual([]); // the cache key is gone from memory

    const wrong = await session.unlock('not the password', undefined);
    expect(wrong).toMatchObject({ status: 'locked', error: { code: 'invalid_credentials' } });
    expect((await session.unlock(testPassword, undefined)).status).toBe('signed_in');

    platform.system.setIdleSeconds(10 * 60);
    await until(
      () => session.state().status,
      (status) => status === 'locked',
    );
    expect(session.state()).toMatchObject({ reason: 'idle' });
  });

  it('asks for the code again when unlocking an account with two-factor authentication', async () => {
    const { server } = await preparedServer();
    await server.ctx.db.deleteFrom('settings').execute(); // back to the default: TOTP required
    const desk = desktop();
    const { session } = desk;
    const enrol = await signIn(desk, server.url);
    expect(enrol.status).toBe('enrol_totp');
    const { totpCode } = await import('../../server/auth/totp');
    const secret = (enrol as Extract<AuthState, { status: 'enrol_totp' }>).secret;
    expect(enrol).toMatchObject({ qrCode: expect.stringMatching(/^data:image\/png;base64,/) });
    const codes = await session.confirmEnrolment(totpCode(secret, Date.now()));
    expect(codes).toMatchObject({
      status: 'recovery_codes',
      codes: expect.arrayContaining([expect.any(String)]),
    });
    expect((await session.acknowledgeRecoveryCodes()).status).toBe('signed_in');

    await session.lock('manual');
    expect(await session.unlock(testPassword, undefined)).toMatchObject({
      status: 'locked',
      error: { code: 'totp_required' },
    });
    vi.useFakeTimers({ now: Date.now() + 30_000, toFake: ['Date'] });
    try {
      const unlocked = await session.unlock(testPassword, totpCode(secret, Date.now()));
      expect(unlocked.status).toBe('signed_in');
    } finally {
      vi.useRealTimers();
    }
  });
});
