import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChatMessage, ChatSummary, ServerFrame } from '../../protocol/operator-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { silentLog } from '../../server/log';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

type Response = Extract<ServerFrame, { type: 'response' }>;

function sentMessage(response: Response): ChatMessage {
  if (!response.ok) throw new Error(`chat.send failed: ${response.error.message}`);
  return (response.result as { message: ChatMessage }).message;
}

function eventMessages(socket: OperatorTestSocket) {
  return socket.events().map((frame) => {
    const { message } = frame.payload as { message: ChatMessage };
    return { seq: frame.seq, event: frame.event, text: message.text, author: message.author.kind };
  });
}

describeEachServerStorage('chat messages over the operator socket', (storage) => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog });
    await withoutRequiredTotp(server.ctx);
  });
  afterAll(() => server?.close());

  async function agent(username: string) {
    const operator = await addOperator(server.ctx, username);
    const { grant } = await signIn(server.url, username, testPassword);
    return { operator, token: grant.token };
  }

  function connect(token: string) {
    return OperatorTestSocket.connectWithHello(server.socketUrl, token);
  }

  it('stores a message sent twice with one clientMsgId once, publishes it once and answers both with it', async () => {
    const ada = await agent('ada');
    const chatId = await openChat(server.ctx, { visitorName: 'Visitor', operatorId: ada.operator.id });
    const socket = await connect(ada.token);
    const params = { chatId, clientMsgId: 'msg-00000001', text: '  Hello!  ' };

    // Two deliveries at once, then a late one under its own actionId: only the message key can match it.
    const [first, second] = await Promise.all([
      socket.request('chat.send', params),
      socket.request('chat.send', params),
    ]);
    const third = await socket.request('chat.send', params, { actionId: 'resend-00000001' });

    const message = sentMessage(first);
    expect(message).toMatchObject({
      chatId,
      text: 'Hello!',
      clientMsgId: 'msg-00000001',
      author: { kind: 'operator', id: ada.operator.id, name: 'ada' },
    });
    expect(sentMessage(second)).toEqual(message);
    expect(sentMessage(third)).toEqual(message);
    const stored = await server.ctx.db
      .selectFrom('chat_messages')
      .select('id')
      .where('chat_id', '=', chatId)
      .execute();
    expect(stored).toEqual([{ id: message.id }]);
    // Events are sent before the response that follows them, so all of them are in by now.
    expect(eventMessages(socket)).toEqual([
      { seq: 1, event: 'chat.message', text: 'Hello!', author: 'operator' },
    ]);
    socket.close();
  });

  it('tells every session of the assigned operator about each message, with its own increasing seq', async () => {
    const bea = await addOperator(server.ctx, 'bea');
    const laptopGrant = (await signIn(server.url, 'bea', testPassword)).grant;
    const phoneGrant = (await signIn(server.url, 'bea', testPassword)).grant;
    const chatId = await openChat(server.ctx, { visitorName: 'Visitor', operatorId: bea.id });
    const laptop = await connect(laptopGrant.token);
    const phone = await connect(phoneGrant.token);

    await postVisitorMessage(server.ctx, chatId, 'Hi');
    await postVisitorMessage(server.ctx, chatId, 'Anyone there?');
    sentMessage(await laptop.request('chat.send', { chatId, clientMsgId: 'msg-00000002', text: 'Yes!' }));

    for (const socket of [laptop, phone]) {
      await socket.waitFor((frame) => frame.type === 'event' && frame.seq === 3);
      expect(eventMessages(socket)).toEqual([
        { seq: 1, event: 'chat.message', text: 'Hi', author: 'visitor' },
        { seq: 2, event: 'chat.message', text: 'Anyone there?', author: 'visitor' },
        { seq: 3, event: 'chat.message', text: 'Yes!', author: 'operator' },
      ]);
      socket.close();
    }
  });

  it('lets only the assigned operator write, and nobody into an unknown or ended chat', async () => {
    const cy = await agent('cy');
    const dee = await agent('dee');
    const chatId = await openChat(server.ctx, { visitorName: 'Visitor', operatorId: cy.operator.id });
    const cySocket = await connect(cy.token);
    const deeSocket = await connect(dee.token);
    const send = (socket: OperatorTestSocket, params: Record<string, unknown>) =>
      socket.request('chat.send', { chatId, clientMsgId: 'msg-00000003', text: 'Hello', ...params });

    expect(await send(deeSocket, {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send(cySocket, { chatId: 'no-such-chat' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await send(cySocket, { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });

    await server.ctx.db
      .updateTable('chats')
      .set({ status: 'closed', closed_at: new Date() })
      .where('id', '=', chatId)
      .execute();
    expect(await send(cySocket, {})).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'This chat has ended.' },
    });
    await expect(postVisitorMessage(server.ctx, chatId, 'Hello?')).rejects.toMatchObject({
      code: 'conflict',
    });

    expect(cySocket.events()).toEqual([]);
    expect(deeSocket.events()).toEqual([]);
    cySocket.close();
    deeSocket.close();
  });

  it('gives a snapshot of the open chats whose seq lines up with the welcome and the next event', async () => {
    const eve = await agent('eve');
    const fay = await agent('fay');
    const first = await openChat(server.ctx, { visitorName: 'First visitor', operatorId: eve.operator.id });
    const second = await openChat(server.ctx, { visitorName: 'Second visitor', operatorId: eve.operator.id });
    const ended = await openChat(server.ctx, { visitorName: 'Gone', operatorId: eve.operator.id });
    const others = await openChat(server.ctx, { visitorName: 'Not yours', operatorId: fay.operator.id });
    await postVisitorMessage(server.ctx, first, 'a1');
    await postVisitorMessage(server.ctx, second, 'b1');
    await postVisitorMessage(server.ctx, first, 'a2');
    await postVisitorMessage(server.ctx, ended, 'bye');
    await postVisitorMessage(server.ctx, others, 'x');
    await server.ctx.db
      .updateTable('chats')
      .set({ status: 'closed', closed_at: new Date() })
      .where('id', '=', ended)
      .execute();

    const socket = await connect(eve.token);
    const snapshot = await socket.request('chats.mine');
    if (!snapshot.ok) throw new Error(snapshot.error.message);
    const { seq, chats } = snapshot.result as { seq: number; chats: ChatSummary[] };
    expect(socket.frames[0]).toMatchObject({ type: 'welcome', seq });
    expect(seq).toBe(4);
    const byVisitor = [...chats].sort((a, b) => a.visitorName.localeCompare(b.visitorName));
    expect(
      byVisitor.map((chat) => ({
        id: chat.id,
        status: chat.status,
        visitorName: chat.visitorName,
        texts: chat.messages.map((message) => message.text),
      })),
    ).toEqual([
      { id: first, status: 'open', visitorName: 'First visitor', texts: ['a1', 'a2'] },
      { id: second, status: 'open', visitorName: 'Second visitor', texts: ['b1'] },
    ]);

    await postVisitorMessage(server.ctx, second, 'b2');
    await socket.waitFor((frame) => frame.type === 'event');
    expect(eventMessages(socket)).toEqual([
      { seq: seq + 1, event: 'chat.message', text: 'b2', author: 'visitor' },
    ]);
    socket.close();
  });
});
