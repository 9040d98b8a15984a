import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import type { DesktopPolicy } from '../../protocol/desktop-policy';
import type { IpcArgs, IpcEvent, IpcEventPayload, IpcMethod, IpcResult } from '../../protocol/ipc';
import { createAppCore } from '../../main/core/app-core';
import { createIpcRouter } from '../../main/core/ipc-router';
import { startParleyServer, type ParleyServer, type ParleyServerOptions } from '../../server/app';
import { testPassword } from '../support/server-fixtures';
import { testPlatform } from '../support/platform';

/*
 * The desktop core as the renderer meets it (IPC calls in, events out) against a real Parley
 * Server, for the tests in test/main. Everything started here is stopped after each test.
 */

export const heartbeatMs = 400;

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export function onCleanup(cleanup: () => Promise<unknown> | unknown) {
  cleanups.push(cleanup);
}

export async function startServer(
  dataDir = mkdtempSync(join(tmpdir(), 'parley-core-server-')),
  port = 0,
  options: Partial<ParleyServerOptions> = {},
): Promise<ParleyServer & { dataDir: string }> {
  const server = await startParleyServer({ storage: { kind: 'pglite', dataDir }, port, ...options });
  onCleanup(() => server.close());
  return Object.assign(server, { dataDir });
}

type Recorded = { [E in IpcEvent]: { event: E; payload: IpcEventPayload<E> } }[IpcEvent];

/** A desktop core on a test platform, driven through its IPC router like the renderer drives it. */
export function desktop(platform = testPlatform(), policy: DesktopPolicy = {}) {
  const events: Recorded[] = [];
  const core = createAppCore(
    platform.platform,
    (event, payload) => void events.push({ event, payload } as Recorded),
    { policy: { status: 'loaded', policy, path: '/test/policy.json' }, heartbeatMs, idleCheckMs: 50 },
  );
  onCleanup(() => core.close());
  const router = createIpcRouter({
    handlers: core.handlers,
    isTrustedSender: () => true,
    log: platform.platform.log,
  });

  /** Like window.parley: resolves with the result, rejects with the plain {code, message}. */
  async function call<M extends IpcMethod>(
    method: M,
    ...args: undefined extends IpcArgs<M> ? [IpcArgs<M>?] : [IpcArgs<M>]
  ) {
    const response = await router.dispatch({ method, args: args[0] }, { url: 'app://parley/index.html' });
    if (!response.ok) throw response.error;
    return response.value as IpcResult<M>;
  }

  function eventsOf<E extends IpcEvent>(event: E): IpcEventPayload<E>[] {
    return events
      .filter((entry) => entry.event === event)
      .map((entry) => entry.payload as IpcEventPayload<E>);
  }

  return {
    session: core.session,
    call,
    events,
    eventsOf,
    platform,
    notices: () => events.filter((entry) => entry.event === 'notice'),
  };
}

export type TestDesktop = ReturnType<typeof desktop>;

export function signIn(desk: TestDesktop, url: string, username = 'agent') {
  return desk.call('auth.signIn', {
    profile: { name: 'Test', url },
    remember: true,
    username,
    password: testPassword,
  });
}

/** The operator's status as the server has it. */
export async function serverStatus(server: ParleyServer, operatorId: string) {
  const row = await server.ctx.db
    .selectFrom('operators')
    .select(['status', 'status_changed_at'])
    .where('id', '=', operatorId)
    .executeTakeFirstOrThrow();
  return row;
}

/** Signs the operator in and waits until the server routes chats to them. */
export async function online(server: ParleyServer, username: string, platform = testPlatform()) {
  const desk = desktop(platform);
  expect((await signIn(desk, server.url, username)).status).toBe('signed_in');
  const { operator } = desk.session.state() as { operator: { id: string } };
  await expect.poll(async () => (await serverStatus(server, operator.id)).status).toBe('online');
  return desk;
}
