import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataKey } from '../../main/core/cache/data-key';
import { openEncryptedStore } from '../../main/core/cache/encrypted-store';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { testPlatform } from '../support/platform';
import { VisitorTestSocket } from '../support/visitor-client';
import { online, startServer } from './desktop-harness';

const max = {
  name: 'Maximilian Mustermann',
  email: 'max.mustermann@example.de',
  phone: '+49 170 1234512',
};
const secrets = ['Maximilian', 'Mustermann', 'max.mustermann', 'example.de', '1234512'];

/** Every record of every kind in the desktop's encrypted cache, decrypted as the desktop would. */
async function cacheContents(platform: ReturnType<typeof testPlatform>['platform'], deviceKey: string) {
  const key = await openDataKey(platform.store, platform.secrets, deviceKey);
  expect(key.status).toBe('opened');
  const dir = join(platform.dataDir, 'cache');
  const store = openEncryptedStore(dir, key.dataKey, {
    onIssue: (issue) => {
      throw new Error(`damaged cache record ${JSON.stringify(issue)}`);
    },
  });
  const records = [];
  for (const kind of await readdir(dir)) records.push(...(await store.list(kind)));
  store.lock();
  return records;
}

describe('masking on the operator desktop', () => {
  it('keeps masked values out of the desktop: its cache, its notifications and what the page is given', async () => {
    const server = await startServer();
    await withoutRequiredTotp(server.ctx);
    const group = await createGroup(server.ctx, {
      name: 'Support',
      routingMode: 'manual',
      prechatFields: {
        name: 'required',
        email: 'optional',
        phone: 'optional',
        company: 'hidden',
        custom: 'hidden',
        customLabel: { en: '', de: '' },
        visitorsMayEdit: true,
      },
      masking: { name: 'partial', email: 'partial', phone: 'hidden', company: 'show', custom: 'show' },
    });
    const anna = await addOperator(server.ctx, 'anna');
    await addToGroup(server.ctx, anna.id, group.id);
    const device = testPlatform(undefined, 'electron');
    const desk = await online(server, 'anna', device);
    const { visitor, chat } = await VisitorTestSocket.chatting(server.url, group, max);
    await expect
      .poll(async () => (await desk.call('queue.list')).chats.map((c) => c.visitorName))
      .toEqual(['M••• M•••']);
    await desk.call('chats.accept', { chatId: chat.id });
    await desk.call('chats.focus', { chatId: null });
    await visitor.call('chat.send', { clientMsgId: 'msg-cache-01', text: `Mail me at ${max.email}` });
    await expect
      .poll(async () => (await desk.call('chats.list')).chats[0]?.messages.map((m) => m.text))
      .toEqual(['Mail me at m•••@e•••.de']);
    await desk.call('chats.send', { chatId: chat.id, text: 'On it.' });
    await expect.poll(async () => (await desk.call('chats.list')).pending).toEqual([]);
    expect((await desk.call('chats.visitor', { chatId: chat.id })).fields).toMatchObject({
      name: 'M••• M•••',
      email: 'm•••@e•••.de',
      phone: null,
    });
    await desk.call('chats.toTicket', { chatId: chat.id });
    visitor.close();

    const { device_key: deviceKey } = await server.ctx.db
      .selectFrom('devices')
      .select('device_key')
      .where('operator_id', '=', anna.id)
      .executeTakeFirstOrThrow();
    const cached = JSON.stringify(await cacheContents(device.platform, deviceKey));
    expect(cached).toContain('M••• M•••');
    expect(cached).toContain('m•••@e•••.de');
    const notifications = JSON.stringify(device.attention.notifications);
    expect(notifications).toContain('M••• M•••');
    const toPage = JSON.stringify(desk.events);
    for (const secret of secrets) {
      expect(cached).not.toContain(secret);
      expect(notifications).not.toContain(secret);
      expect(toPage).not.toContain(secret);
    }
  });
});
