import { afterAll, beforeAll, expect, it } from 'vitest';
import type { QueuedChat, ServerFrame } from '../../protocol/operator-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { markOffline, setStatus } from '../../server/operator-status';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { enqueueChat } from '../../server/queues/handover';
import { describeEachDatabase } from '../support/databases';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import {
  addOperator,
  addSession,
  contextFor,
  fakeClock,
  storedEvents,
  testPassword,
  withoutRequiredTotp,
} from '../support/server-fixtures';

describeEachDatabase('operator status', (fresh) => {
  it('tells the operator and colleagues sharing a group, and nobody else', async () => {
    const clock = fakeClock();
    const ctx = contextFor(await fresh(), clock);
    await withoutRequiredTotp(ctx);
    const support = await createGroup(ctx, { name: 'Support' });
    const sales = await createGroup(ctx, { name: 'Sales' });
    const ada = await addOperator(ctx, 'ada');
    const bea = await addOperator(ctx, 'bea');
    const cy = await addOperator(ctx, 'cy');
    for (const operator of [ada, bea, cy]) await addSession(ctx, operator.id);
    await addToGroup(ctx, ada.id, support.id);
    await addToGroup(ctx, bea.id, support.id);
    await addToGroup(ctx, cy.id, sales.id);

    expect(await setStatus(ctx, ada.id, { status: 'busy' })).toEqual({
      status: 'busy',
      acceptingChats: true,
    });
    expect(await setStatus(ctx, ada.id, { status: 'online', acceptingChats: false })).toEqual({
      status: 'online',
      acceptingChats: false,
    });

    const expected = [
      {
        event: 'operator.status',
        payload: { operatorId: ada.id, displayName: 'ada', status: 'busy', acceptingChats: true },
      },
      {
        event: 'operator.status',
        payload: { operatorId: ada.id, displayName: 'ada', status: 'online', acceptingChats: false },
      },
    ];
    expect(await storedEvents(ctx, ada.id)).toEqual(expected);
    expect(await storedEvents(ctx, bea.id)).toEqual(expected);
    expect(await storedEvents(ctx, cy.id)).toEqual([]);
    expect(
      await ctx.db
        .selectFrom('operators')
        .select(['status', 'accepting_chats', 'status_changed_at'])
        .where('id', '=', ada.id)
        .executeTakeFirstOrThrow(),
    ).toEqual({ status: 'online', accepting_chats: false, status_changed_at: clock.now() });
  });

  it('marks an operator offline, keeps their accepting choice and offers them nothing more', async () => {
    const ctx = contextFor(await fresh(), fakeClock());
    await withoutRequiredTotp(ctx);
    const { id: groupId } = await createGroup(ctx, { name: 'Support' });
    const ada = await addOperator(ctx, 'ada');
    const bea = await addOperator(ctx, 'bea');
    await addSession(ctx, bea.id);
    for (const operator of [ada, bea]) await addToGroup(ctx, operator.id, groupId);
    await setStatus(ctx, ada.id, { status: 'online' });

    expect(await markOffline(ctx, ada.id)).toEqual({ status: 'offline', acceptingChats: true });

    expect((await storedEvents(ctx, bea.id)).at(-1)).toEqual({
      event: 'operator.status',
      payload: { operatorId: ada.id, displayName: 'ada', status: 'offline', acceptingChats: true },
    });
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    const chat = await ctx.db
      .selectFrom('chats')
      .selectAll()
      .where('id', '=', chatId)
      .executeTakeFirstOrThrow();
    expect(chat).toMatchObject({ queue_state: 'waiting', offered_to: null });
  });
});

type Response = Extract<ServerFrame, { type: 'response' }>;

function result<T>(response: Response): T {
  if (!response.ok) throw new Error(response.error.message);
  return response.result as T;
}

describeEachServerStorage('status and queues over the operator socket', (storage) => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog });
    await withoutRequiredTotp(server.ctx);
  });
  afterAll(() => server?.close());

  async function connect(username: string, groupId?: string) {
    const operator = await addOperator(server.ctx, username);
    if (groupId) await addToGroup(server.ctx, operator.id, groupId);
    const { grant } = await signIn(server.url, username, testPassword);
    return { operator, socket: await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token) };
  }

  it('shows status changes to colleagues only, and lets a member pick a chat from the queue', async () => {
    const { id: groupId } = await createGroup(server.ctx, { name: 'Support', routingMode: 'manual' });
    const ada = await connect('ada', groupId);
    const bea = await connect('bea', groupId);
    const outsider = await connect('outsider');

    expect(result(await ada.socket.request('status.set', { status: 'away' }))).toEqual({
      status: 'away',
      acceptingChats: true,
    });
    const seen = await bea.socket.waitFor(
      (frame) => frame.type === 'event' && frame.event === 'operator.status',
    );
    expect(seen).toMatchObject({
      payload: { operatorId: ada.operator.id, displayName: 'ada', status: 'away', acceptingChats: true },
    });
    expect(await ada.socket.request('status.set', { status: 'offline' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });

    const chatId = await enqueueChat(server.ctx, { groupId, visitorName: 'Visitor' });
    await bea.socket.waitFor((frame) => frame.type === 'event' && frame.event === 'queue.changed');
    const queue = result<{ chats: QueuedChat[] }>(await bea.socket.request('queue.list'));
    expect(queue.chats.map((chat) => [chat.id, chat.state])).toEqual([[chatId, 'waiting']]);

    const [first, second] = await Promise.all([
      bea.socket.request('chat.accept', { chatId }),
      ada.socket.request('chat.accept', { chatId }),
    ]);
    const responses = [first, second];
    expect(responses.filter((response) => response.ok)).toHaveLength(1);
    expect(responses.find((response) => !response.ok)).toMatchObject({
      error: { code: 'conflict', message: 'This chat was already taken.' },
    });

    expect(outsider.socket.events()).toEqual([]);
    for (const client of [ada, bea, outsider]) client.socket.close();
  });
});
