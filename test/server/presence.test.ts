import { afterAll, beforeAll, expect, it } from 'vitest';
import { startParleyServer, type ParleyServer } from '../../server/app';
import type { ServerContext } from '../../server/context';
import { silentLog } from '../../server/log';
import { abandonVanishedVisitors } from '../../server/maintenance';
import { setStatus } from '../../server/operator-status';
import { sweepPresence } from '../../server/presence';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { enqueueChat } from '../../server/queues/handover';
import { recordConsent } from '../../server/visitors/visitor-sessions';
import { describeEachDatabase } from '../support/databases';
import { OperatorTestSocket, signIn } from '../support/operator-client';
import {
  addOperator,
  contextFor,
  fakeClock,
  testPassword,
  withoutRequiredTotp,
} from '../support/server-fixtures';

describeEachDatabase('presence and the server’s clockwork', (fresh) => {
  async function setup() {
    const clock = fakeClock();
    const ctx = contextFor(await fresh(), clock);
    await withoutRequiredTotp(ctx);
    return { ctx, clock };
  }

  async function statusOf(ctx: ServerContext, operatorId: string) {
    const row = await ctx.db
      .selectFrom('operators')
      .select('status')
      .where('id', '=', operatorId)
      .executeTakeFirstOrThrow();
    return row.status;
  }

  it('takes operators offline whose instance stopped refreshing their presence', async () => {
    const { ctx, clock } = await setup();
    const ada = await addOperator(ctx, 'ada');
    const bea = await addOperator(ctx, 'bea');
    await setStatus(ctx, ada.id, { status: 'online' });
    await setStatus(ctx, bea.id, { status: 'away' });
    await ctx.db
      .insertInto('operator_presence')
      .values([
        { operator_id: ada.id, instance_id: 'crashed', seen_at: clock.now() },
        { operator_id: bea.id, instance_id: 'alive', seen_at: clock.now() },
      ])
      .execute();
    clock.advanceSeconds(60);
    await ctx.db
      .updateTable('operator_presence')
      .set({ seen_at: clock.now() })
      .where('instance_id', '=', 'alive')
      .execute();
    clock.advanceSeconds(40);

    await sweepPresence(ctx, 90_000);
    expect(await statusOf(ctx, ada.id)).toBe('offline');
    expect(await statusOf(ctx, bea.id)).toBe('away');
  });

  it('abandons waiting chats whose visitor has not been heard of for two minutes', async () => {
    const { ctx, clock } = await setup();
    const group = await createGroup(ctx, { name: 'Support', routingMode: 'manual' });
    const gone = await recordConsent(ctx, {
      groupId: group.id,
      noticeVersion: '1',
      language: 'en',
      address: '198.51.100.7',
    });
    const staying = await recordConsent(ctx, {
      groupId: group.id,
      noticeVersion: '1',
      language: 'en',
      address: '198.51.100.8',
    });
    const goneChat = await enqueueChat(ctx, {
      groupId: group.id,
      visitorName: 'Gone',
      visitor: { id: gone.visitor.id, fields: {}, pageUrl: null },
    });
    const stayingChat = await enqueueChat(ctx, {
      groupId: group.id,
      visitorName: 'Staying',
      visitor: { id: staying.visitor.id, fields: {}, pageUrl: null },
    });
    clock.advanceSeconds(100);
    await ctx.db
      .updateTable('visitors')
      .set({ last_seen_at: clock.now() })
      .where('id', '=', staying.visitor.id)
      .execute();
    clock.advanceSeconds(30);

    expect(await abandonVanishedVisitors(ctx, 120_000)).toBe(1);
    const rows = await ctx.db
      .selectFrom('chats')
      .select(['id', 'outcome', 'queue_state'])
      .orderBy('visitor_name')
      .execute();
    expect(rows).toEqual([
      { id: goneChat, outcome: 'abandoned', queue_state: 'closed' },
      { id: stayingChat, outcome: null, queue_state: 'waiting' },
    ]);
  });
});

let server: ParleyServer;

beforeAll(async () => {
  server = await startParleyServer({
    storage: { kind: 'pglite' },
    log: silentLog,
    maintenance: { offerCheckMs: 50 },
  });
  await withoutRequiredTotp(server.ctx);
});
afterAll(() => server?.close());

it('marks an operator offline when their last socket closes, and tells colleagues', async () => {
  const group = await createGroup(server.ctx, { name: 'Presence' });
  const ada = await addOperator(server.ctx, 'ada');
  const bea = await addOperator(server.ctx, 'bea');
  await addToGroup(server.ctx, ada.id, group.id);
  await addToGroup(server.ctx, bea.id, group.id);
  const adaSocket = await OperatorTestSocket.connectWithHello(
    server.socketUrl,
    (await signIn(server.url, 'ada', testPassword)).grant.token,
  );
  const beaSocket = await OperatorTestSocket.connectWithHello(
    server.socketUrl,
    (await signIn(server.url, 'bea', testPassword)).grant.token,
  );
  await adaSocket.request('status.set', { status: 'online' });

  adaSocket.close();
  await beaSocket.waitFor(
    (frame) =>
      frame.type === 'event' &&
      frame.event === 'operator.status' &&
      (frame.payload as { operatorId: string; status: string }).operatorId === ada.id &&
      (frame.payload as { status: string }).status === 'offline',
  );
  beaSocket.close();
});

it('moves an offer that rang out on to the next operator without anyone asking', async () => {
  const group = await createGroup(server.ctx, { name: 'Ringing', ringTimeoutSeconds: 1 });
  const sockets = [];
  for (const name of ['cem', 'dora']) {
    const operator = await addOperator(server.ctx, name);
    await addToGroup(server.ctx, operator.id, group.id);
    const socket = await OperatorTestSocket.connectWithHello(
      server.socketUrl,
      (await signIn(server.url, name, testPassword)).grant.token,
    );
    await socket.request('status.set', { status: 'online' });
    sockets.push(socket);
  }
  const chatId = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Vera' });
  const offeredTo = async () =>
    (
      await server.ctx.db
        .selectFrom('chat_offers')
        .select(['operator_id', 'outcome'])
        .where('chat_id', '=', chatId)
        .orderBy('id')
        .execute()
    ).map((row) => row.outcome);
  await expect.poll(offeredTo, { timeout: 10_000 }).toEqual(['missed', null]);
  for (const socket of sockets) socket.close();
});
