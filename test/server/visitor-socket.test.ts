import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChatMessage, VisitorInfo } from '../../protocol/operator-socket';
import type { VisitorChat, VisitorMessage } from '../../protocol/visitor-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { Group } from '../../server/storage/schema';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

describeEachServerStorage('the visitor socket', (storage) => {
  let server: ParleyServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startParleyServer({
      storage: await storage(),
      log: silentLog,
      // A small burst, refilled slowly: the fourth message in a row is a flood.
      visitorMessages: { burst: 3, refillMs: 60_000 },
    });
    await withoutRequiredTotp(server.ctx);
    await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { addressPolicy: 'truncated' });
  });
  afterAll(() => server?.close());

  async function newGroup(settings: Partial<Parameters<typeof createGroup>[1]> = {}): Promise<Group> {
    return createGroup(server.ctx, { name: `Support ${++counter}`, ...settings });
  }

  /** An operator of the group, signed in with a socket, online unless told otherwise. */
  async function operatorIn(group: Group, options: { online?: boolean } = {}) {
    const username = `op${++counter}`;
    const operator = await addOperator(server.ctx, username);
    await addToGroup(server.ctx, operator.id, group.id);
    const { grant } = await signIn(server.url, username, testPassword);
    const socket = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    if (options.online !== false) await socket.request('status.set', { status: 'online' });
    return { operator, socket };
  }

  async function consentedVisitor(group: Group) {
    const visitor = await VisitorTestSocket.connect(server.url);
    const consent = await visitor.call<{ visitorToken: string; visitorId: string }>('session.consent', {
      groupId: group.id,
      noticeVersion: group.privacy_notice.version,
      language: 'de',
    });
    return { visitor, ...consent };
  }

  async function chatRow(chatId: string) {
    return server.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
  }

  it('refuses everything but consent and resume before the visitor consented, and stores nothing', async () => {
    const group = await newGroup();
    await operatorIn(group);
    const visitor = await VisitorTestSocket.connect(server.url);
    const before = await server.ctx.db.selectFrom('visitors').select('id').execute();

    for (const [method, params] of [
      ['chat.start', { fields: { name: 'Eve' } }],
      ['chat.send', { clientMsgId: 'msg-00000001', text: 'hello' }],
      ['offline.submit', { fields: { name: 'Eve', email: 'eve@example.org' }, message: 'hi' }],
    ] as const) {
      const response = await visitor.request(method, params);
      expect(response).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    expect(await server.ctx.db.selectFrom('visitors').select('id').execute()).toEqual(before);
    visitor.close();
  });

  it('records the consent with its time and notice version, and refuses an outdated notice', async () => {
    const group = await newGroup();
    const visitor = await VisitorTestSocket.connect(server.url);
    const outdated = await visitor.request('session.consent', {
      groupId: group.id,
      noticeVersion: '0',
      language: 'en',
    });
    expect(outdated).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const { visitorId } = await visitor.call<{ visitorId: string }>('session.consent', {
      groupId: group.id,
      noticeVersion: group.privacy_notice.version,
      language: 'en',
    });
    const consent = await server.ctx.db
      .selectFrom('consents')
      .selectAll()
      .where('visitor_id', '=', visitorId)
      .executeTakeFirstOrThrow();
    expect(consent).toMatchObject({ group_id: group.id, notice_version: '1', language: 'en' });
    expect(consent.given_at).toBeInstanceOf(Date);
    const row = await server.ctx.db
      .selectFrom('visitors')
      .selectAll()
      .where('id', '=', visitorId)
      .executeTakeFirstOrThrow();
    // The address policy is "truncated": the last octet of 127.0.0.1 is gone.
    expect(row.address).toBe('127.0.0.0');
    visitor.close();
  });

  it('keeps no address and no page for a browser that asks not to be tracked, while the policy honours it', async () => {
    const group = await newGroup();
    await operatorIn(group);
    const stored = async (headers: Record<string, string>) => {
      const visitor = await VisitorTestSocket.connect(server.url, headers);
      const { visitorId } = await visitor.call<{ visitorId: string }>('session.consent', {
        groupId: group.id,
        noticeVersion: group.privacy_notice.version,
        language: 'de',
      });
      const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', {
        fields: { name: 'Dora' },
        pageUrl: 'https://shop.example/checkout',
      });
      visitor.close();
      const row = await server.ctx.db
        .selectFrom('visitors')
        .select('address')
        .where('id', '=', visitorId)
        .executeTakeFirstOrThrow();
      return { address: row.address, pageUrl: (await chatRow(chat.id)).page_url };
    };
    const kept = { address: '127.0.0.0', pageUrl: 'https://shop.example/checkout' };
    const none = { address: null, pageUrl: null };
    expect(await stored({})).toEqual(kept);
    expect(await stored({ 'Sec-GPC': '1' })).toEqual(none);
    expect(await stored({ DNT: '1' })).toEqual(none);
    expect(await stored({ DNT: '0' })).toEqual(kept);
    await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { honourDoNotTrack: false });
    try {
      expect(await stored({ 'Sec-GPC': '1' })).toEqual(kept);
    } finally {
      await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { honourDoNotTrack: true });
    }
  });

  it('asks for the required fields and never stores hidden ones', async () => {
    const group = await newGroup();
    await operatorIn(group);
    const { visitor } = await consentedVisitor(group);
    const missing = await visitor.request('chat.start', { fields: { email: 'vera@example.de' } });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: 'Please fill in: name.' },
    });
    const badEmail = await visitor.request('chat.start', {
      fields: { name: 'Vera', email: 'not an address' },
    });
    expect(badEmail).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', {
      // Phone is hidden in the default form: sent anyway, it is dropped.
      fields: { name: 'Vera', email: 'vera@example.de', phone: '+49 30 1234' },
      pageUrl: 'https://shop.example/cart',
    });
    const row = await chatRow(chat.id);
    expect(row.visitor_fields).toEqual({ name: 'Vera', email: 'vera@example.de' });
    expect(row.page_url).toBe('https://shop.example/cart');
    expect(row.visitor_name).toBe('Vera');
    visitor.close();
  });

  it('turns the offline form into a ticket when nobody is online, and wants an email for it', async () => {
    const group = await newGroup();
    await operatorIn(group, { online: false });
    const { visitor, visitorId } = await consentedVisitor(group);
    const start = await visitor.request('chat.start', { fields: { name: 'Otto' } });
    expect(start).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/Nobody/) },
    });

    const withoutEmail = await visitor.request('offline.submit', {
      fields: { name: 'Otto' },
      message: 'Call me',
    });
    expect(withoutEmail).toMatchObject({ ok: false, error: { message: 'Please fill in: email.' } });
    const { ticketNumber } = await visitor.call<{ ticketNumber: number }>('offline.submit', {
      fields: { name: 'Otto', email: 'otto@example.de' },
      message: 'My parcel 4711 has not arrived.\nPlease call back.',
    });
    expect(ticketNumber).toBeGreaterThanOrEqual(1001);
    const ticket = await server.ctx.db
      .selectFrom('tickets')
      .selectAll()
      .where('number', '=', String(ticketNumber))
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({
      source: 'offline_form',
      group_id: group.id,
      visitor_id: visitorId,
      subject: 'Offline message: My parcel 4711 has not arrived.',
      body: 'My parcel 4711 has not arrived.\nPlease call back.',
      requester_fields: { name: 'Otto', email: 'otto@example.de' },
    });
    visitor.close();
  });

  it('carries a chat both ways: queue, accept, messages, typing, read, end and rating', async () => {
    const group = await newGroup();
    const { operator, socket } = await operatorIn(group);
    const { visitor } = await consentedVisitor(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', {
      fields: { name: 'Vera', email: 'vera@example.de' },
    });
    expect(chat).toMatchObject({ status: 'queued', position: 1, messages: [] });

    await socket.waitFor((frame) => frame.type === 'event' && frame.event === 'chat.offered');
    expect(await socket.request('chat.accept', { chatId: chat.id })).toMatchObject({ ok: true });
    await visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat' &&
        (frame.payload as { chat: VisitorChat }).chat.status === 'active',
    );
    expect(visitor.events('chat').at(-1)?.payload).toMatchObject({
      chat: { status: 'active', operatorName: operator.display_name, position: null },
    });

    const sent = await visitor.call<{ message: VisitorMessage }>('chat.send', {
      clientMsgId: 'visitor-msg-1',
      text: '<b>Hallo</b>, wo ist mein Paket?',
    });
    expect(sent.message).toMatchObject({ author: 'visitor', text: '<b>Hallo</b>, wo ist mein Paket?' });
    const delivered = await socket.waitFor(
      (frame) => frame.type === 'event' && frame.event === 'chat.message',
    );
    expect((delivered as { payload: { message: ChatMessage } }).payload.message).toMatchObject({
      text: '<b>Hallo</b>, wo ist mein Paket?',
      author: { kind: 'visitor', name: 'Vera' },
    });

    await visitor.call('chat.typing', { typing: true });
    await socket.waitFor((frame) => frame.type === 'signal' && frame.signal === 'visitor.typing');
    expect(socket.frames.find((frame) => frame.type === 'signal')).toEqual({
      type: 'signal',
      signal: 'visitor.typing',
      payload: { chatId: chat.id, typing: true },
    });

    await socket.request('chat.typing', { chatId: chat.id, typing: true });
    await visitor.waitFor((frame) => frame.type === 'event' && frame.event === 'typing');
    expect(visitor.events('typing')[0]?.payload).toEqual({ typing: true, name: operator.display_name });

    await socket.request('chat.read', { chatId: chat.id, messageId: sent.message.id });
    await visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat' &&
        (frame.payload as { chat: VisitorChat }).chat.readUpTo === sent.message.id,
    );

    await socket.request('chat.send', {
      chatId: chat.id,
      clientMsgId: 'operator-msg-1',
      text: 'Ich schaue nach.',
    });
    await visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'message' &&
        (frame.payload as { message: VisitorMessage }).message.text === 'Ich schaue nach.',
    );
    const fromOperator = visitor
      .events('message')
      .map((frame) => (frame.payload as { message: VisitorMessage }).message)
      .find((message) => message.author === 'operator');
    // The visitor learns the operator's name, never their id.
    expect(fromOperator).toEqual({
      id: expect.any(String),
      author: 'operator',
      name: operator.display_name,
      text: 'Ich schaue nach.',
      clientMsgId: null,
      createdAt: expect.any(String),
    });

    const early = await visitor.request('chat.rate', { rating: 5 });
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await socket.request('chat.end', { chatId: chat.id });
    await visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat' &&
        (frame.payload as { chat: VisitorChat }).chat.status === 'ended',
    );
    await visitor.call('chat.rate', { rating: 4, comment: 'Schnell und freundlich' });
    expect(await chatRow(chat.id)).toMatchObject({ rating: 4, rating_comment: 'Schnell und freundlich' });

    const info = await socket.request('chat.visitor', { chatId: chat.id });
    expect(info.ok && (info.result as VisitorInfo)).toMatchObject({
      fields: { name: 'Vera', email: 'vera@example.de', phone: null },
      consent: { noticeVersion: '1', language: 'de' },
      address: '127.0.0.0',
      rating: { rating: 4, comment: 'Schnell und freundlich' },
    });
    visitor.close();
  });

  it('gives a returning widget its chat with every message, and refuses an unknown token', async () => {
    const group = await newGroup();
    const { socket } = await operatorIn(group);
    const { visitor, visitorToken } = await consentedVisitor(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Rita' } });
    await socket.request('chat.accept', { chatId: chat.id });
    await visitor.call('chat.send', { clientMsgId: 'visitor-msg-1', text: 'first' });
    visitor.close();
    await socket.request('chat.send', {
      chatId: chat.id,
      clientMsgId: 'operator-msg-1',
      text: 'while you were away',
    });

    const back = await VisitorTestSocket.connect(server.url);
    const resumed = await back.call<{ chat: VisitorChat }>('session.resume', { visitorToken });
    expect(resumed.chat.status).toBe('active');
    expect(resumed.chat.messages.map((message) => message.text)).toEqual(['first', 'while you were away']);

    const stranger = await back.request('session.resume', { visitorToken: 'x'.repeat(43) });
    expect(stranger).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    back.close();
  });

  it('limits floods and over-long messages with a clear notice, and keeps the socket open', async () => {
    const group = await newGroup();
    const { socket } = await operatorIn(group);
    const { visitor } = await consentedVisitor(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Fritz' } });
    await socket.request('chat.accept', { chatId: chat.id });

    const long = await visitor.request('chat.send', { clientMsgId: 'visitor-msg-0', text: 'x'.repeat(2001) });
    expect(long).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/at most 2000 characters/) },
    });
    for (let index = 1; index <= 3; index += 1) {
      await visitor.call('chat.send', { clientMsgId: `visitor-msg-${index}`, text: `message ${index}` });
    }
    const flood = await visitor.request('chat.send', { clientMsgId: 'visitor-msg-4', text: 'message 4' });
    expect(flood).toMatchObject({
      ok: false,
      error: {
        code: 'rate_limited',
        message: expect.stringMatching(/wait a moment/),
        retryAt: expect.any(String),
      },
    });
    const stored = await server.ctx.db
      .selectFrom('chat_messages')
      .select('text')
      .where('chat_id', '=', chat.id)
      .orderBy('id')
      .execute();
    expect(stored.map((row) => row.text)).toEqual(['message 1', 'message 2', 'message 3']);

    visitor.sendRaw('{not json');
    await visitor.waitFor((frame) => frame.type === 'error' && frame.error.code === 'malformed_frame');
    visitor.sendRaw(JSON.stringify({ type: 'request', id: 'x1', method: 'chat.explode' }));
    await visitor.waitFor((frame) => frame.type === 'response' && frame.id === 'x1' && !frame.ok);
    expect((await visitor.request('chat.typing', { typing: false })).ok).toBe(true);
    visitor.close();
  });

  it('shows waiting visitors their place, which moves up as the queue is served', async () => {
    const group = await newGroup({ routingMode: 'manual' });
    const { socket } = await operatorIn(group);
    const first = await consentedVisitor(group);
    const second = await consentedVisitor(group);
    const one = await first.visitor.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Erste' } });
    const two = await second.visitor.call<{ chat: VisitorChat }>('chat.start', {
      fields: { name: 'Zweite' },
    });
    expect(two.chat).toMatchObject({
      status: 'queued',
      position: 2,
      estimatedWaitSeconds: expect.any(Number),
    });

    await socket.request('chat.accept', { chatId: one.chat.id });
    await second.visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat' &&
        (frame.payload as { chat: VisitorChat }).chat.position === 1,
    );
    first.visitor.close();
    second.visitor.close();
  });

  it('records a visitor who leaves while waiting as abandoned, and tells the operator when one leaves a chat', async () => {
    const group = await newGroup({ routingMode: 'manual' });
    const { socket } = await operatorIn(group);
    const waiting = await consentedVisitor(group);
    const queued = await waiting.visitor.call<{ chat: VisitorChat }>('chat.start', {
      fields: { name: 'Weg' },
    });
    await waiting.visitor.call('chat.leave');
    expect(await chatRow(queued.chat.id)).toMatchObject({ status: 'closed', outcome: 'abandoned' });

    const talking = await consentedVisitor(group);
    const active = await talking.visitor.call<{ chat: VisitorChat }>('chat.start', {
      fields: { name: 'Bald weg' },
    });
    await socket.request('chat.accept', { chatId: active.chat.id });
    await talking.visitor.call('chat.leave');
    await socket.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat.closed' &&
        (frame.payload as { chatId: string }).chatId === active.chat.id,
    );
    const notes = await server.ctx.db
      .selectFrom('chat_messages')
      .select(['author_kind', 'text'])
      .where('chat_id', '=', active.chat.id)
      .execute();
    expect(notes).toEqual([{ author_kind: 'system', text: 'The visitor left the chat.' }]);
    waiting.visitor.close();
    talking.visitor.close();
  });

  it('never shows the visitor the operators’ notes, such as a transfer’s note', async () => {
    const group = await newGroup({ routingMode: 'manual' });
    const billing = await newGroup({ routingMode: 'manual' });
    const { socket } = await operatorIn(group);
    const { visitor, visitorToken } = await consentedVisitor(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Nora' } });
    await socket.request('chat.accept', { chatId: chat.id });
    await socket.request('chat.transfer', {
      chatId: chat.id,
      to: { groupId: billing.id },
      note: 'Angry about the invoice, be gentle',
    });
    await visitor.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat' &&
        (frame.payload as { chat: VisitorChat }).chat.status === 'queued',
    );
    const back = await VisitorTestSocket.connect(server.url);
    const resumed = await back.call<{ chat: VisitorChat }>('session.resume', { visitorToken });
    expect(resumed.chat.messages).toEqual([]);
    expect(JSON.stringify(visitor.frames)).not.toContain('Angry about the invoice');
    visitor.close();
    back.close();
  });
});
