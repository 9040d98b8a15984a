import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

let server: ParleyServer;
let token: string;

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' }, socketHeartbeatMs: 150 });
  await withoutRequiredTotp(server.ctx);
  await addOperator(server.ctx, 'pinged');
  token = (await signIn(server.url, 'pinged', testPassword)).grant.token;
}, 60_000);

afterAll(() => server?.close());

function open(autoPong: boolean) {
  const socket = new WebSocket(server.socketUrl, { headers: { Authorization: `Bearer ${token}` }, autoPong });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  const opened = new Promise<void>((resolve) => socket.on('open', () => resolve()));
  return { socket, closed, opened };
}

describe('operator socket heartbeat', () => {
  it('terminates a client that stopped answering pings, and keeps one that answers', async () => {
    const silent = open(false);
    const healthy = open(true);
    await Promise.all([silent.opened, healthy.opened]);
    expect(await silent.closed).toBe(1006); // terminated: no close frame, as for a vanished peer
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(healthy.socket.readyState).toBe(WebSocket.OPEN);
    healthy.socket.close();
  });
});
