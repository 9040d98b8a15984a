import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IpcEvent, IpcEventPayload } from '../../protocol/ipc';
import { createDesktopSession } from '../../main/core/session/desktop-session';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { openChat } from '../../server/chats';
import { silentLog } from '../../server/log';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { testPlatform } from '../support/platform';

async function until(check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('benchmark condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function start(dataDir: string, port = 0) {
  return startParleyServer({ storage: { kind: 'pglite', dataDir }, port, log: silentLog });
}

/**
 * Reconnect and outbox figures for the desktop core against a real server on loopback. Each figure
 * is printed next to a baseline from the same run, because these machines are shared and noisy.
 */
export async function desktopCoreBench(messages = 200) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  let server: ParleyServer = await start(dataDir);
  await withoutRequiredTotp(server.ctx);
  const operator = await addOperator(server.ctx, 'bench');
  const chatId = await openChat(server.ctx, { visitorName: 'Bench', operatorId: operator.id });
  const session = createDesktopSession({
    platform: testPlatform().platform,
    policy: () => ({ status: 'none', policy: {} }),
    emit: <E extends IpcEvent>(_event: E, _payload: IpcEventPayload<E>) => undefined,
  });
  await session.signIn({
    profile: { name: 'Bench', url: server.url },
    remember: false,
    username: 'bench',
    password: testPassword,
  });
  const online = () => session.connectionStatus().state === 'online';
  const drained = async () => (await session.pendingActions()).length === 0;
  await until(online);

  // Baseline: messages sent while online, each persisted, sent and acknowledged.
  let began = performance.now();
  for (let index = 0; index < messages; index++) await session.sendMessage(chatId, `online ${index}`);
  await until(drained);
  const onlineMs = performance.now() - began;

  // Queue the same number while the server is down, then measure the drain after it returns.
  const port = server.port;
  await server.close();
  await until(() => !online());
  for (let index = 0; index < messages; index++) await session.sendMessage(chatId, `offline ${index}`);
  server = await start(dataDir, port);
  began = performance.now();
  await until(online);
  const reconnectMs = performance.now() - began;
  await until(drained);
  const drainMs = performance.now() - began - reconnectMs;

  const stored = await server.ctx.db
    .selectFrom('chat_messages')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('chat_id', '=', chatId)
    .executeTakeFirstOrThrow();
  await session.close();
  await server.close();
  return {
    messages,
    storedMessages: Number(stored.count),
    onlineSendMs: Math.round(onlineMs),
    reconnectAfterRestartMs: Math.round(reconnectMs),
    offlineDrainMs: Math.round(drainMs),
    drainVsOnline: Number((drainMs / onlineMs).toFixed(2)),
  };
}
