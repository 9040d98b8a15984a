import { describe, expect, it } from 'vitest';
import type { Caller } from '../../server/operator-methods';
import { openChat } from '../../server/chats';
import { erasePerson } from '../../server/privacy/erasure';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { startSilentProxy } from '../support/silent-proxy';
import { desktop, onCleanup, signIn, startServer } from './desktop-harness';

describe('an erasure and the outbox', () => {
  it('drops messages still waiting to be sent into a chat that was erased meanwhile, without sending them', async () => {
    const server = await startServer();
    await withoutRequiredTotp(server.ctx);
    const anna = await addOperator(server.ctx, 'anna');
    const admin = await addOperator(server.ctx, 'ada', 'admin');
    const chatId = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const proxy = await startSilentProxy(server.port);
    onCleanup(() => proxy.close());
    const desk = desktop();
    expect((await signIn(desk, `http://127.0.0.1:${proxy.port}`, 'anna')).status).toBe('signed_in');
    await expect.poll(() => desk.session.connectionStatus().state).toBe('online');
    await expect
      .poll(async () => (await desk.call('chats.list')).chats.map((chat) => chat.id))
      .toEqual([chatId]);

    // The link dies; Anna writes on, her message waits in the encrypted outbox.
    proxy.goSilent();
    await expect.poll(() => desk.session.connectionStatus().state, { timeout: 10_000 }).not.toBe('online');
    await desk.call('chats.send', { chatId, text: 'Vera, your parcel 4711 is on its way' });
    expect((await desk.call('chats.list')).pending).toHaveLength(1);

    const caller = { operator: admin, session: { id: 'test' }, address: '127.0.0.1' } as unknown as Caller;
    await erasePerson(server.ctx, caller, {
      visitorIds: [],
      chatIds: [chatId],
      ticketIds: [],
      reason: 'test',
    });
    proxy.recover();

    // Whether the desktop resumes (and replays the erasure) or takes a snapshot, both go.
    await expect
      .poll(async () => await desk.call('chats.list'), { timeout: 10_000 })
      .toEqual({ chats: [], pending: [] });
    expect(await desk.session.pendingActions()).toEqual([]);
    // Never sent: the server holds no message, and the operator was not told of a failed action.
    expect(await server.ctx.db.selectFrom('chat_messages').select('id').execute()).toEqual([]);
    expect(desk.notices().filter((notice) => notice.payload.kind === 'action_failed')).toEqual([]);
  });
});
