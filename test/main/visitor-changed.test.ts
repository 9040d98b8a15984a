import { describe, expect, it } from 'vitest';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';
import { onCleanup, online, startServer } from './desktop-harness';

describe('the desk when a visitor corrects their details', () => {
  it('renames the cached chat as the masking rules show it and tells the renderer to fetch the visitor again', async () => {
    const server = await startServer();
    await withoutRequiredTotp(server.ctx);
    const group = await createGroup(server.ctx, {
      name: 'Support',
      routingMode: 'manual',
      masking: { name: 'partial', email: 'show', phone: 'show', company: 'show', custom: 'show' },
    });
    const anna = await addOperator(server.ctx, 'anna');
    await addToGroup(server.ctx, anna.id, group.id);
    const desk = await online(server, 'anna');
    const { visitor, chat } = await VisitorTestSocket.chatting(server.url, group, {
      name: 'Vera Visitor',
      email: 'vera@example.de',
    });
    onCleanup(() => visitor.close());
    await desk.call('chats.accept', { chatId: chat.id });
    const cachedName = async () =>
      (await desk.call('chats.list')).chats.find((cached) => cached.id === chat.id)?.visitorName;
    await expect.poll(cachedName).toBe('V••• V•••');

    await visitor.call('details.update', { fields: { name: 'Vera Weber', email: 'vera.weber@example.de' } });

    await expect.poll(cachedName).toBe('V••• W•••');
    expect(desk.eventsOf('chats.visitorChanged')).toEqual([{ chatId: chat.id }]);
    expect((await desk.call('chats.visitor', { chatId: chat.id })).fields.email).toBe(
      'vera.weber@example.de',
    );
  });
});
