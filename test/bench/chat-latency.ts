import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { protocolVersion } from '../../protocol/auth';
import { visitorPaths } from '../../protocol/visitor-socket';
import { startParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

/*
 * Visitor → operator message latency with many chats at once, on loopback: through Parley Server
 * (parsed, stored durably with its event, fanned out) and, as the baseline measured in the same
 * run, through a raw ws relay that forwards each frame from the visitor's socket to the operator's.
 */

interface Shape {
  chats: number;
  operators: number;
  /** Messages per visitor, sent `intervalMs` apart (visitors start staggered). */
  rounds: number;
  intervalMs: number;
}

function openSocket(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

function summarise(latencies: number[]) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    messages: sorted.length,
    p50Ms: Number(percentile(sorted, 50).toFixed(2)),
    p99Ms: Number(percentile(sorted, 99).toFixed(2)),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`benchmark: ${what} did not happen in time`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every visitor sends its rounds; `send` returns once the frame is written. */
async function drive(shape: Shape, send: (visitor: number, text: string) => void) {
  const stagger = shape.intervalMs / shape.chats;
  await Promise.all(
    Array.from({ length: shape.chats }, async (_, visitor) => {
      await new Promise((resolve) => setTimeout(resolve, visitor * stagger));
      for (let round = 0; round < shape.rounds; round++) {
        send(visitor, `bench ${performance.now()}`);
        await new Promise((resolve) => setTimeout(resolve, shape.intervalMs));
      }
    }),
  );
}

function latencyOf(text: string): number | undefined {
  const match = /^bench (\d+(?:\.\d+)?)$/.exec(text);
  return match ? performance.now() - Number(match[1]) : undefined;
}

async function parleyRun(shape: Shape) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-chat-'));
  const server = await startParleyServer({
    storage: { kind: 'pglite', dataDir },
    log: silentLog,
    // The bench's own pace is within any sane limit; the default limit would be too.
    visitorMessages: { burst: shape.rounds, refillMs: shape.intervalMs },
  });
  const latencies: number[] = [];
  const sockets: WebSocket[] = [];
  try {
    await withoutRequiredTotp(server.ctx);
    const group = await createGroup(server.ctx, { name: 'Bench' });
    const perOperator = Math.ceil(shape.chats / shape.operators);
    let assigned = 0;
    let online = 0;
    for (let index = 0; index < shape.operators; index++) {
      const username = `bench${index}`;
      const operator = await addOperator(server.ctx, username);
      await server.ctx.db
        .updateTable('operators')
        .set({ max_concurrent_chats: perOperator })
        .where('id', '=', operator.id)
        .execute();
      await addToGroup(server.ctx, operator.id, group.id);
      const { grant } = await signIn(server.url, username, testPassword);
      const socket = await openSocket(server.socketUrl, { Authorization: `Bearer ${grant.token}` });
      sockets.push(socket);
      let requestId = 0;
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; event?: string; payload?: unknown };
        if (frame.type === 'response' && (frame as { id?: string }).id === 'status') online += 1;
        if (frame.type !== 'event') return;
        if (frame.event === 'chat.offered') {
          const { chat } = frame.payload as { chat: { id: string } };
          socket.send(
            JSON.stringify({
              type: 'request',
              id: `a${requestId++}`,
              method: 'chat.accept',
              params: { chatId: chat.id },
            }),
          );
        } else if (frame.event === 'chat.assigned') {
          assigned += 1;
        } else if (frame.event === 'chat.message') {
          const { message } = frame.payload as { message: { text: string; author: { kind: string } } };
          const latency = message.author.kind === 'visitor' ? latencyOf(message.text) : undefined;
          if (latency !== undefined) latencies.push(latency);
        }
      });
      socket.send(JSON.stringify({ type: 'hello', protocolVersion }));
      socket.send(
        JSON.stringify({ type: 'request', id: 'status', method: 'status.set', params: { status: 'online' } }),
      );
    }

    await until(() => online === shape.operators, 'operators going online');
    const visitors: WebSocket[] = [];
    for (let index = 0; index < shape.chats; index++) {
      const socket = await openSocket(server.url.replace(/^http/, 'ws') + visitorPaths.socket);
      sockets.push(socket);
      visitors.push(socket);
      const request = (id: string, method: string, params: unknown) =>
        socket.send(JSON.stringify({ type: 'request', id, method, params }));
      request('c', 'session.consent', { groupId: group.id, noticeVersion: '1', language: 'en' });
      request('s', 'chat.start', { fields: { name: `Visitor ${index}` } });
    }
    await until(() => assigned === shape.chats, 'assigning every chat');

    let sent = 0;
    await drive(shape, (visitor, text) =>
      visitors[visitor]?.send(
        JSON.stringify({
          type: 'request',
          id: `m${sent}`,
          method: 'chat.send',
          params: { clientMsgId: `bench-msg-${sent++}`, text },
        }),
      ),
    );
    await until(() => latencies.length === sent, 'delivering every message');
    const stored = await server.ctx.db
      .selectFrom('chat_messages')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('author_kind', '=', 'visitor')
      .executeTakeFirstOrThrow();
    return { ...summarise(latencies), stored: Number(stored.count) };
  } finally {
    for (const socket of sockets) socket.terminate();
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The baseline: the same clients and pace over a relay that stores nothing and checks nothing. */
async function relayRun(shape: Shape) {
  const relay = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => relay.once('listening', resolve));
  const port = (relay.address() as { port: number }).port;
  const operatorSockets: WebSocket[] = [];
  relay.on('connection', (socket, request) => {
    const role = new URL(request.url ?? '/', 'http://relay').searchParams;
    if (role.get('operator') !== null) return void operatorSockets.push(socket);
    const visitor = Number(role.get('visitor'));
    socket.on('message', (data) => operatorSockets[visitor % shape.operators]?.send(data.toString()));
  });
  const latencies: number[] = [];
  const clients: WebSocket[] = [];
  try {
    for (let index = 0; index < shape.operators; index++) {
      const socket = await openSocket(`ws://127.0.0.1:${port}/?operator=${index}`);
      socket.on('message', (data) => {
        const latency = latencyOf(data.toString());
        if (latency !== undefined) latencies.push(latency);
      });
      clients.push(socket);
    }
    await until(() => operatorSockets.length === shape.operators, 'connecting the relay operators');
    const visitors: WebSocket[] = [];
    for (let index = 0; index < shape.chats; index++) {
      visitors.push(await openSocket(`ws://127.0.0.1:${port}/?visitor=${index}`));
    }
    clients.push(...visitors);
    let sent = 0;
    await drive(shape, (visitor, text) => {
      sent += 1;
      visitors[visitor]?.send(text);
    });
    await until(() => latencies.length === sent, 'relaying every message');
    return summarise(latencies);
  } finally {
    for (const socket of clients) socket.terminate();
    relay.close();
  }
}

/**
 * Default: 500 chats with 20 operators, every visitor writing every 5 s (100 messages a second,
 * busier than people chat). The whole system runs in this one process, clients included.
 */
export async function chatLatencyBench(
  shape: Shape = { chats: 500, operators: 20, rounds: 3, intervalMs: 5_000 },
) {
  const relay = await relayRun(shape);
  const parley = await parleyRun(shape);
  return {
    shape,
    relay,
    parley,
    p50Ratio: Number((parley.p50Ms / relay.p50Ms).toFixed(1)),
    p99Ratio: Number((parley.p99Ms / relay.p99Ms).toFixed(1)),
  };
}
