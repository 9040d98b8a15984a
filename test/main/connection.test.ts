import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ConnectionStatus } from '../../protocol/ipc';
import type { ServerFrame } from '../../protocol/operator-socket';
import { backoffDelay } from '../../main/core/realtime/backoff';
import { createConnection, type ServerEvent } from '../../main/core/realtime/connection';
import { createOutbox, memoryStorage } from '../../main/core/realtime/outbox';
import { recordingLogger } from '../support/logger';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

const welcome: ServerFrame = {
  type: 'welcome',
  protocolVersion: 1,
  sessionId: 's1',
  operator: {
    id: 'o1',
    username: 'anna',
    displayName: 'Anna',
    role: 'agent',
    groupIds: [],
    totpEnabled: true,
  },
  permissions: ['chat.handle'],
  seq: 0,
};

/** A server that speaks just enough of the protocol and then misbehaves on command. */
async function fakeServer(
  onConnection: (socket: WebSocket, hello: Promise<unknown>) => void,
  options: { autoPong?: boolean } = {},
) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  await new Promise((resolve) => server.once('listening', resolve));
  server.on('connection', (socket) => {
    const hello = new Promise((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(data.toString()))),
    );
    socket.send(JSON.stringify(welcome));
    onConnection(socket, hello);
  });
  cleanups.push(() => server.close());
  const port = (server.address() as { port: number }).port;
  return { server, port };
}

function client(port: number, snapshotSeq = 0) {
  const { log, entries } = recordingLogger();
  const applied: ServerEvent[] = [];
  const statuses: ConnectionStatus[] = [];
  const protocolErrors: string[] = [];
  const signals: { signal: string; payload: unknown }[] = [];
  let resyncs = 0;
  const connection = createConnection({
    target: { url: new URL(`http://127.0.0.1:${port}`), address: '127.0.0.1', family: 4, pin: undefined },
    token: 't'.repeat(43),
    log,
    heartbeatMs: 300,
    backoff: { baseMs: 50, capMs: 200 },
    handlers: {
      lastSeq: () => 0,
      needsSnapshot: () => false,
      applyEvent: async (event) => void applied.push(event),
      resync: async () => {
        resyncs += 1;
        return snapshotSeq;
      },
      onOnline: () => undefined,
      onStatus: (status) => statuses.push(status),
      onSessionEnded: () => undefined,
      onRefused: () => undefined,
      onSignal: (signal, payload) => void signals.push({ signal, payload }),
      onProtocolError: (message) => protocolErrors.push(message),
    },
  });
  cleanups.push(() => connection.stop());
  return {
    connection,
    applied,
    statuses,
    protocolErrors,
    signals,
    logEntries: entries,
    resyncs: () => resyncs,
  };
}

async function until(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const event = (seq: number, text = `event ${seq}`) =>
  JSON.stringify({ type: 'event', seq, event: 'test', payload: { text } });

describe('realtime connection', () => {
  it('resumes from its last seq, applies events in order and ignores duplicates', async () => {
    const { port } = await fakeServer(async (socket, hello) => {
      expect(await hello).toEqual({ type: 'hello', protocolVersion: 1, lastSeq: 0 });
      socket.send(JSON.stringify({ type: 'resumed', seq: 0 }));
      for (const frame of [event(1), event(2), event(2), event(1), event(3)]) socket.send(frame);
    });
    const { connection, applied, logEntries } = client(port);
    connection.start();
    await until(() => applied.length === 3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(applied.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(logEntries.filter((entry) => entry.message === 'ignored a duplicate server event')).toHaveLength(
      2,
    );
  });

  it('resyncs from a snapshot when a seq is skipped, instead of applying out of order', async () => {
    const { port } = await fakeServer((socket) => {
      socket.send(JSON.stringify({ type: 'resumed', seq: 0 }));
      socket.send(event(1));
      socket.send(event(5)); // 2–4 never arrived
      socket.send(event(6));
    });
    const { connection, applied, resyncs } = client(port, 5);
    connection.start();
    await until(() => applied.some((entry) => entry.seq === 6));
    expect(applied.map((entry) => entry.seq)).toEqual([1, 6]); // the snapshot covered 2–5
    expect(resyncs()).toBe(1);
  });

  it('ignores malformed frames, tells the operator once, and keeps working', async () => {
    const { port } = await fakeServer((socket) => {
      socket.send(JSON.stringify({ type: 'resumed', seq: 0 }));
      socket.send('{"type": "event", "seq": "one"');
      socket.send(JSON.stringify({ type: 'event', seq: -4, event: 'x', payload: null }));
      socket.send(Buffer.from([0, 1, 2]), { binary: true });
      socket.send(event(1));
    });
    const { connection, applied, protocolErrors } = client(port);
    connection.start();
    await until(() => applied.length === 1);
    expect(protocolErrors).toEqual(['The server sent a message Parley could not read; it was ignored.']);
    expect(connection.status().state).toBe('online');
  });

  it('hands known signals over at once, ignores unknown ones and reports malformed ones', async () => {
    const signal = (name: string, payload: unknown) =>
      JSON.stringify({ type: 'signal', signal: name, payload });
    const { port } = await fakeServer((socket) => {
      socket.send(JSON.stringify({ type: 'resumed', seq: 0 }));
      socket.send(signal('visitor.typing', { chatId: 'c1', typing: true }));
      socket.send(signal('visitor.dancing', { chatId: 'c1' })); // from a newer server
      socket.send(signal('visitor.typing', { chatId: 'c1', typing: 'very' }));
      socket.send(event(1));
      socket.send(signal('visitor.typing', { chatId: 'c1', typing: false }));
    });
    const { connection, applied, signals, protocolErrors, logEntries } = client(port);
    connection.start();
    await vi.waitFor(() => expect(signals).toHaveLength(2));
    expect(signals).toEqual([
      { signal: 'visitor.typing', payload: { chatId: 'c1', typing: true } },
      { signal: 'visitor.typing', payload: { chatId: 'c1', typing: false } },
    ]);
    expect(applied.map((entry) => entry.seq)).toEqual([1]); // signals take no seq
    expect(protocolErrors).toEqual(['The server sent a message Parley could not read; it was ignored.']);
    expect(logEntries).toContainEqual(
      expect.objectContaining({
        message: 'ignored an unknown signal',
        fields: { signal: 'visitor.dancing' },
      }),
    );
  });

  it('drops a connection that sends an oversized frame and reconnects, keeping the outbox', async () => {
    let connections = 0;
    const { port } = await fakeServer((socket) => {
      connections += 1;
      socket.send(JSON.stringify({ type: 'resumed', seq: 0 }));
      if (connections === 1) socket.send('x'.repeat(5 * 1024 * 1024));
    });
    const { connection, protocolErrors } = client(port);
    const outbox = createOutbox({
      storage: memoryStorage(),
      canSend: () => false, // nothing is acknowledged in this test
      send: () => Promise.reject(new Error('unused')),
      onDelivered: () => undefined,
      onRejected: () => undefined,
      log: recordingLogger().log,
    });
    await outbox.enqueue('chat.send', { chatId: 'c1', clientMsgId: 'm1', text: 'queued' });
    connection.start();
    await until(() => connections === 2 && connection.status().state === 'online');
    expect(protocolErrors).toContain('The server sent a message larger than Parley accepts; reconnecting.');
    expect(await outbox.pending()).toHaveLength(1);
  });

  it('declares a silent server dead within two heartbeats and reports reconnecting with the next attempt', async () => {
    // Never answering pings: the socket looks open but nothing comes back.
    const { port } = await fakeServer((socket) => socket.send(JSON.stringify({ type: 'resumed', seq: 0 })), {
      autoPong: false,
    });
    const { connection, statuses } = client(port);
    connection.start();
    await until(() => connection.status().state === 'online');
    const onlineAt = Date.now();
    await until(() => statuses.some((status) => status.state === 'reconnecting'), 3_000);
    expect(Date.now() - onlineAt).toBeLessThan(2 * 300 + 500);
    const reconnecting = statuses.find((status) => status.state === 'reconnecting');
    expect(reconnecting?.nextAttemptAt).toBeDefined();
  });
});

describe('backoff', () => {
  it('grows exponentially with full jitter and stays under the cap', () => {
    const policy = { baseMs: 500, capMs: 30_000 };
    expect(backoffDelay(0, policy, () => 1)).toBe(500);
    expect(backoffDelay(3, policy, () => 1)).toBe(4_000);
    expect(backoffDelay(20, policy, () => 1)).toBe(30_000);
    expect(backoffDelay(20, policy, () => 0.5)).toBe(15_000);
    expect(backoffDelay(5, policy, () => 0)).toBe(250); // never a zero-delay hammer
  });
});
