import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import type { ServerFrame } from '../../protocol/operator-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { createEventStream, eventsAfter, trimEvents, type StoredEvent } from '../../server/events';
import { silentLog } from '../../server/log';
import type { StorageOptions } from '../../server/storage/database';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

async function start(storage: StorageOptions): Promise<ParleyServer> {
  const server = await startParleyServer({ storage, log: silentLog });
  await withoutRequiredTotp(server.ctx);
  return server;
}

/** A frame as a short line, so a whole conversation reads as one expectation. */
function describeFrame(frame: ServerFrame): string {
  switch (frame.type) {
    case 'event': {
      const { message } = frame.payload as { message: { text: string } };
      return `event ${frame.seq} ${message.text}`;
    }
    case 'welcome':
    case 'resumed':
    case 'snapshot_required':
      return `${frame.type} ${frame.seq}`;
    default:
      return frame.type;
  }
}

const isEvent = (seq: number) => (frame: ServerFrame) => frame.type === 'event' && frame.seq === seq;
const isType = (type: ServerFrame['type']) => (frame: ServerFrame) => frame.type === type;

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describeEachServerStorage('resuming the operator socket', (storage) => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await start(await storage());
  });
  afterAll(() => server?.close());

  /** A signed-in agent with a chat assigned; `say` posts a visitor message, one event each. */
  async function agentWithChat(on: ParleyServer, username: string) {
    const operator = await addOperator(on.ctx, username);
    const { grant } = await signIn(on.url, username, testPassword);
    const chatId = await openChat(on.ctx, { visitorName: 'Visitor', operatorId: operator.id });
    return {
      operator,
      token: grant.token,
      sessionId: grant.sessionId,
      chatId,
      say: (text: string) => postVisitorMessage(on.ctx, chatId, text),
    };
  }

  it('replays what was published while the socket was down, once each and in order, then goes live', async () => {
    const agent = await agentWithChat(server, 'replay');
    const first = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token);
    await agent.say('one');
    await first.waitFor(isEvent(1));
    first.close();
    await first.closed;
    for (const text of ['two', 'three', 'four']) await agent.say(text);

    const second = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token, 1);
    await second.waitFor(isType('resumed'));
    await agent.say('five');
    await second.waitFor(isEvent(5));
    expect(second.frames.map(describeFrame)).toEqual([
      'welcome 4',
      'event 2 two',
      'event 3 three',
      'event 4 four',
      'resumed 4',
      'event 5 five',
    ]);
    second.close();
  });

  it('holds live events for a hello that arrives after the welcome, then replays exactly', async () => {
    const agent = await agentWithChat(server, 'slow-hello');
    for (const text of ['one', 'two']) await agent.say(text);
    const socket = await OperatorTestSocket.connect(server.socketUrl, agent.token);
    // Published between the welcome and the hello, as on a slow network: it must not overtake the replay.
    await agent.say('three');
    socket.hello(1);
    await socket.waitFor(isType('resumed'));
    expect(socket.frames.map(describeFrame)).toEqual([
      'welcome 2',
      'event 2 two',
      'event 3 three',
      'resumed 3',
    ]);
    socket.close();
  });

  it('never interleaves or repeats live events published during a replay of a thousand', async () => {
    const agent = await agentWithChat(server, 'race');
    const first = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token);
    for (const index of range(1, 10)) await agent.say(`seen ${index}`);
    await first.waitFor(isEvent(10));
    first.close();
    await first.closed;
    // Enough missed events that the replay takes several pages, so live events land in the middle.
    for (const index of range(11, 1000)) await agent.say(`missed ${index}`);

    // Four concurrent lanes: commits race each other (their deliveries can arrive out of order on
    // PostgreSQL). The pauses let the replay's reads in between on PGlite's one connection. Which
    // events come replayed and which live depends on timing; the test after the next makes
    // that split deterministic.
    const lanes = range(0, 3).map(async (lane) => {
      for (const index of range(1, 50)) {
        await agent.say(`lane ${lane} #${index}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    });
    const second = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token, 10);
    await Promise.all(lanes);
    await second.waitFor(isEvent(1200), 15_000);
    // A duplicate would come right behind the last event; give it a round trip to show up.
    await second.request('me.get');

    expect(second.events().map((frame) => frame.seq)).toEqual(range(11, 1200));
    const texts = second
      .events()
      .map((frame) => (frame.payload as { message: { text: string } }).message.text);
    expect(new Set(texts).size).toBe(1190);
    const resumed = second.frames.filter((frame) => frame.type === 'resumed');
    expect(resumed).toHaveLength(1);
    const replayed = second.frames
      .slice(0, second.frames.indexOf(resumed[0] as ServerFrame))
      .filter((frame) => frame.type === 'event');
    expect(resumed[0]).toEqual({ type: 'resumed', seq: replayed.at(-1)?.seq });
    expect(replayed.length).toBeGreaterThanOrEqual(990);
    second.close();
  }, 30_000);

  it('resumes the same session after a server restart: its events outlive the process', async () => {
    const options = await storage();
    const before = await start(options);
    onTestFinished(() => before.close());
    const agent = await agentWithChat(before, 'restart');
    const socket = await OperatorTestSocket.connectWithHello(before.socketUrl, agent.token);
    for (const text of ['one', 'two']) await agent.say(text);
    await socket.waitFor(isEvent(2));
    socket.close();
    await socket.closed;
    for (const text of ['three', 'four', 'five']) await agent.say(text);
    await before.close();

    const after = await start(options);
    onTestFinished(() => after.close());
    await postVisitorMessage(after.ctx, agent.chatId, 'six');
    const resumed = await OperatorTestSocket.connectWithHello(after.socketUrl, agent.token, 2);
    await resumed.waitFor(isType('resumed'));
    expect(resumed.frames.map(describeFrame)).toEqual([
      'welcome 6',
      'event 3 three',
      'event 4 four',
      'event 5 five',
      'event 6 six',
      'resumed 6',
    ]);
    resumed.close();
  });

  it('asks for a snapshot when the client is ahead of the server, then carries on live', async () => {
    const agent = await agentWithChat(server, 'ahead');
    for (const text of ['one', 'two']) await agent.say(text);

    const socket = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token, 50);
    await socket.waitFor(isType('snapshot_required'));
    await agent.say('three');
    await socket.waitFor(isEvent(3));
    expect(socket.frames.map(describeFrame)).toEqual(['welcome 2', 'snapshot_required 2', 'event 3 three']);
    socket.close();
  });

  it('asks for a snapshot when the events the client lacks were trimmed, and replays when none are missing', async () => {
    const agent = await agentWithChat(server, 'trimmed');
    for (const text of ['one', 'two', 'three']) await agent.say(text);
    await trimEvents(server.ctx, new Date(Date.now() + 25 * 60 * 60_000));
    await agent.say('four');

    const behind = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token, 1);
    await behind.waitFor(isType('snapshot_required'));
    expect(behind.frames.map(describeFrame)).toEqual(['welcome 4', 'snapshot_required 4']);

    const current = await OperatorTestSocket.connectWithHello(server.socketUrl, agent.token, 3);
    await current.waitFor(isType('resumed'));
    expect(current.frames.map(describeFrame)).toEqual(['welcome 4', 'event 4 four', 'resumed 4']);
    behind.close();
    current.close();
  });

  it('sends live events to a client that never says hello, once the hello grace has passed', async () => {
    const agent = await agentWithChat(server, 'no-hello');
    const socket = await OperatorTestSocket.connect(server.socketUrl, agent.token);
    await agent.say('hi');
    await socket.waitFor(isEvent(1));
    expect(socket.frames.map(describeFrame)).toEqual(['welcome 0', 'event 1 hi']);
    socket.close();
  });

  it('cannot rewind a stream that already sent live events: a late hello gets a snapshot', async () => {
    const agent = await agentWithChat(server, 'late-hello');
    await agent.say('one');
    const socket = await OperatorTestSocket.connect(server.socketUrl, agent.token);
    // A request first: no hello is coming, so events flow at once.
    await socket.request('me.get');
    await agent.say('two');
    await socket.waitFor(isEvent(2));
    socket.hello(0);
    await socket.waitFor(isType('snapshot_required'));
    expect(socket.frames.map(describeFrame)).toEqual([
      'welcome 1',
      'response',
      'event 2 two',
      'snapshot_required 2',
    ]);
    socket.close();
  });

  /** A stream outside any socket, recording its frames; deliveries are up to the test. */
  function recordedStream(sessionId: string) {
    const frames: ServerFrame[] = [];
    const stream = createEventStream(server.ctx, sessionId, {
      send: (frame) => frames.push(frame),
      fail: (error) => frames.push({ type: 'error', error: { code: 'internal', message: String(error) } }),
    });
    onTestFinished(() => stream.stop());
    return { stream, frames };
  }

  it('queues live events during a replay and sends them after resumed, skipping the ones replayed', async () => {
    const agent = await agentWithChat(server, 'queued');
    for (const text of ['one', 'two', 'three', 'four']) await agent.say(text);
    const stored = await eventsAfter(server.ctx, agent.sessionId, 0, 10);
    const { stream, frames } = recordedStream(agent.sessionId);
    stream.start(4);
    stream.resume(1);
    // The replay is waiting for the database now. Deliveries meanwhile: a late one it will replay
    // anyway, and one committed after its last read (5 is not in the table; the stream need not know).
    stream.deliver(stored[2] as StoredEvent);
    stream.deliver({
      sessionId: agent.sessionId,
      seq: 5,
      event: 'chat.message',
      payload: { message: { text: 'five' } },
    });
    await expect.poll(() => frames.length).toBe(5);
    expect(frames.map(describeFrame)).toEqual([
      'event 2 two',
      'event 3 three',
      'event 4 four',
      'resumed 4',
      'event 5 five',
    ]);
  });

  it('fills a hole from the table when deliveries of concurrent commits arrive out of order', async () => {
    const agent = await agentWithChat(server, 'out-of-order');
    for (const text of ['one', 'two', 'three']) await agent.say(text);
    const stored = await eventsAfter(server.ctx, agent.sessionId, 0, 10);
    const { stream, frames } = recordedStream(agent.sessionId);
    stream.start(0);
    stream.release();
    for (const event of [...stored].reverse()) stream.deliver(event);
    await expect.poll(() => frames.length).toBe(3);
    expect(frames.map(describeFrame)).toEqual(['event 1 one', 'event 2 two', 'event 3 three']);
  });

  it('applies a mutating request once per actionId, across reconnects', async () => {
    const admin = await addOperator(server.ctx, 'idem-admin', 'admin');
    const target = await addOperator(server.ctx, 'idem-target');
    const { grant } = await signIn(server.url, admin.username, testPassword);
    const rule = { scope: 'role', subject: 'lead', cidr: '198.51.100.0/24' };

    const first = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    const added = await first.request('ipRules.add', rule, { actionId: 'add-rule-0001' });
    expect(added).toMatchObject({ ok: true, result: { cidr: '198.51.100.0/24' } });
    first.close();
    await first.closed;

    const second = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    const retried = await second.request('ipRules.add', rule, { actionId: 'add-rule-0001' });
    expect(retried).toEqual({ ...added, id: retried.id });
    const listed = await second.request('ipRules.list');
    const rules = (listed as { result: { rules: { id: string; cidr: string }[] } }).result.rules;
    expect(rules.filter((candidate) => candidate.cidr === rule.cidr)).toHaveLength(1);

    // The same id for another method is a client bug, not a retry.
    const ruleId = (added as { result: { id: string } }).result.id;
    expect(
      await second.request('ipRules.remove', { id: ruleId }, { actionId: 'add-rule-0001' }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    // A failure is not remembered: the retry, once it can succeed, does.
    const forOperator = (subject: string) => ({ scope: 'operator', subject, cidr: '203.0.113.0/24' });
    expect(
      await second.request('ipRules.add', forOperator('nobody'), { actionId: 'add-rule-0002' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const fixed = await second.request('ipRules.add', forOperator(target.id), { actionId: 'add-rule-0002' });
    expect(fixed).toMatchObject({ ok: true, result: { subject: target.id } });

    for (const id of [ruleId, (fixed as { result: { id: string } }).result.id]) {
      expect(await second.request('ipRules.remove', { id })).toMatchObject({ ok: true });
    }
    second.close();
  });
  it('never stores a result that carries a secret, so a repeated actionId runs afresh', async () => {
    const operator = await addOperator(server.ctx, 'secret-keeper');
    const { grant } = await signIn(server.url, operator.username, testPassword);
    const socket = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    const first = await socket.request('totp.begin', {}, { actionId: 'secret-0001' });
    const second = await socket.request('totp.begin', {}, { actionId: 'secret-0001' });
    const secretOf = (frame: typeof first) => (frame as { result: { secret: string } }).result.secret;
    expect(first).toMatchObject({ ok: true });
    expect(secretOf(second)).not.toBe(secretOf(first));
    const stored = await server.ctx.db
      .selectFrom('applied_actions')
      .select('action_id')
      .where('action_id', '=', 'secret-0001')
      .execute();
    expect(stored).toEqual([]);
    socket.close();
  });
});
