import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import type { Caller } from '../../server/operator-methods';
import { erasePerson } from '../../server/privacy/erasure';
import { openChat, postVisitorMessage } from '../../server/chats';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { enqueueChat, transferChat, visitorLeaves } from '../../server/queues/handover';
import { sendSignals } from '../../server/signals';
import type { Group } from '../../server/storage/schema';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { testPlatform } from '../support/platform';
import { desktop, online, serverStatus, signIn, startServer } from './desktop-harness';

/** A server with one group (Support) and two of its agents, anna and ben, nobody signed in yet. */
async function team(routingMode: Group['routing_mode'] = 'automatic') {
  const server = await startServer();
  await withoutRequiredTotp(server.ctx);
  const group = await createGroup(server.ctx, { name: 'Support', routingMode });
  const anna = await addOperator(server.ctx, 'anna');
  const ben = await addOperator(server.ctx, 'ben');
  for (const operator of [anna, ben]) await addToGroup(server.ctx, operator.id, group.id);
  return { server, group, anna, ben };
}

const offerIds = async (desk: ReturnType<typeof desktop>) =>
  (await desk.call('queue.list')).offers.map((offer) => offer.chat.id);
const queued = async (desk: ReturnType<typeof desktop>) =>
  (await desk.call('queue.list')).chats.map((chat) => [chat.id, chat.state]);
const chatIds = async (desk: ReturnType<typeof desktop>) =>
  (await desk.call('chats.list')).chats.map((chat) => chat.id);
const chatStatus = async (desk: ReturnType<typeof desktop>, chatId: string) =>
  (await desk.call('chats.list')).chats.find((chat) => chat.id === chatId)?.status;

describe('the operator desk against a real Parley Server', () => {
  it('rings natively for a chat offered to me (Electron) and takes it into my chats when I accept', async () => {
    const { server, group } = await team();
    const electron = testPlatform(undefined, 'electron');
    const desk = await online(server, 'anna', electron);

    const chatId = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Vera Visitor' });
    await expect.poll(() => offerIds(desk)).toEqual([chatId]);
    expect(desk.eventsOf('attention')).toEqual([
      // Electron has notified natively: the page plays the sound and shows nothing itself.
      {
        kind: 'new_chat',
        chatId,
        title: 'New chat',
        body: 'Vera Visitor',
        notify: false,
        sound: 'chime',
        repeat: false,
      },
    ]);
    expect(electron.attention.notifications).toEqual([{ title: 'New chat', body: 'Vera Visitor', chatId }]);
    expect(desk.eventsOf('badge')).toEqual([{ count: 1 }]);

    await desk.call('chats.accept', { chatId });
    await expect.poll(() => chatIds(desk)).toEqual([chatId]);
    expect(await offerIds(desk)).toEqual([]);
    await expect.poll(() => electron.attention.badges).toEqual([1, 0]);
    expect(desk.eventsOf('attention')).toHaveLength(1);
  });

  it('tells the slower of two operators that the chat was already taken', async () => {
    const { server, group } = await team('manual');
    const anna = await online(server, 'anna');
    const ben = await online(server, 'ben');
    const chatId = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Vera Visitor' });
    for (const desk of [anna, ben]) {
      await expect.poll(() => queued(desk)).toEqual([[chatId, 'waiting']]);
      expect(desk.eventsOf('attention')).toMatchObject([{ kind: 'new_chat', chatId, notify: true }]);
    }

    await anna.call('chats.accept', { chatId });
    await expect(ben.call('chats.accept', { chatId })).rejects.toEqual({
      code: 'conflict',
      message: 'This chat was already taken.',
    });
    await expect.poll(() => queued(ben)).toEqual([]);
    expect(await chatIds(ben)).toEqual([]);
    expect(ben.eventsOf('badge').at(-1)).toEqual({ count: 0 });
    await expect.poll(() => chatIds(anna)).toEqual([chatId]);
  });

  it('drops an offer when I decline it or when it rings out, without ringing again for it', async () => {
    const { server, group } = await team();
    const desk = await online(server, 'anna');
    const declined = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Vera Visitor' });
    await expect.poll(() => offerIds(desk)).toEqual([declined]);

    await desk.call('chats.decline', { chatId: declined });
    expect(await offerIds(desk)).toEqual([]);
    // Nobody else is online, so it waits in the queue: still counted, but not news any more.
    await expect.poll(() => queued(desk)).toEqual([[declined, 'waiting']]);
    expect(desk.eventsOf('attention')).toHaveLength(1);
    expect(desk.eventsOf('badge').at(-1)).toEqual({ count: 1 });

    const quick = await createGroup(server.ctx, { name: 'Sales', ringTimeoutSeconds: 1 });
    const { operator } = desk.session.state() as { operator: { id: string } };
    await addToGroup(server.ctx, operator.id, quick.id);
    const rungOut = await enqueueChat(server.ctx, { groupId: quick.id, visitorName: 'Walt Visitor' });
    await expect.poll(() => offerIds(desk)).toEqual([rungOut]);
    await desk.call('status.set', { status: 'away' }); // so it is not offered to me again
    await expect.poll(() => offerIds(desk), { timeout: 10_000 }).toEqual([]);
  });

  it('keeps a chat I end, marked ended, but closes the tab of one I hand over to another group', async () => {
    const { server, anna } = await team('manual');
    const billing = await createGroup(server.ctx, { name: 'Billing', routingMode: 'manual' });
    const ended = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const handedOver = await openChat(server.ctx, { visitorName: 'Walt Visitor', operatorId: anna.id });
    const desk = await online(server, 'anna');
    // Neither chat has a message yet, so their tab order is not the point here.
    await expect.poll(async () => (await chatIds(desk)).sort()).toEqual([ended, handedOver].sort());

    await desk.call('chats.end', { chatId: ended });
    await expect.poll(() => chatStatus(desk, ended)).toBe('closed');
    await desk.call('chats.transfer', {
      chatId: handedOver,
      to: { groupId: billing.id },
      note: 'Invoice question',
    });
    await expect.poll(() => chatIds(desk)).toEqual([ended]);
  });

  it('keeps the chat a visitor left, silent, until I close its tab; an open chat cannot be closed', async () => {
    const { server, anna } = await team();
    const chatId = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const desk = await online(server, 'anna');
    await postVisitorMessage(server.ctx, chatId, 'Thanks, that is all.');
    await expect.poll(() => desk.eventsOf('badge').at(-1)).toEqual({ count: 1 });
    await expect(desk.call('chats.dismiss', { chatId })).rejects.toEqual({
      code: 'conflict',
      message: 'End the chat first.',
    });

    await visitorLeaves(server.ctx, chatId);
    await expect.poll(() => chatStatus(desk, chatId)).toBe('closed');
    const [chat] = (await desk.call('chats.list')).chats;
    expect(chat?.messages.map((message) => message.text)).toEqual([
      'Thanks, that is all.',
      'The visitor left the chat.',
    ]);
    // Nothing waits for the operator in a chat that is over.
    expect(desk.eventsOf('badge').at(-1)).toEqual({ count: 0 });

    await desk.call('chats.dismiss', { chatId });
    expect(await chatIds(desk)).toEqual([]);
    await expect(desk.call('chats.dismiss', { chatId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('still shows an ended chat after signing in again, but not one handed over meanwhile', async () => {
    const { server, anna } = await team('manual');
    const billing = await createGroup(server.ctx, { name: 'Billing', routingMode: 'manual' });
    const ended = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const handedOver = await openChat(server.ctx, { visitorName: 'Walt Visitor', operatorId: anna.id });
    const device = testPlatform();
    const first = await online(server, 'anna', device);
    await visitorLeaves(server.ctx, ended);
    await expect.poll(() => chatStatus(first, ended)).toBe('closed');
    await first.call('auth.signOut', { forgetDevice: false });

    // The team lead hands it over while anna is away: only the snapshot at her next sign-in tells.
    const lead = await addOperator(server.ctx, 'lena', 'lead');
    await transferChat(server.ctx, lead, { chatId: handedOver, to: { groupId: billing.id } });
    const second = await online(server, 'anna', testPlatform(device.platform.dataDir));
    await expect
      .poll(async () => (await second.call('chats.list')).chats.map((chat) => [chat.id, chat.status]))
      .toEqual([[ended, 'closed']]);
  });

  it('purges an erased chat from two connected desktops at once and from a third at its next sign-in', async () => {
    const { server, anna, ben } = await team('manual');
    const carl = await addOperator(server.ctx, 'carl');
    const admin = await addOperator(server.ctx, 'ada', 'admin');
    const vera = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const walt = await openChat(server.ctx, { visitorName: 'Walt Visitor', operatorId: ben.id });
    const xena = await openChat(server.ctx, { visitorName: 'Xena Visitor', operatorId: carl.id });
    const carlsDevice = testPlatform();
    const desks = {
      anna: await online(server, 'anna'),
      ben: await online(server, 'ben'),
      carl: await online(server, 'carl', carlsDevice),
    };
    // Carl's chat ends and stays on his desk; then he signs out, his desktop still holding it.
    await visitorLeaves(server.ctx, xena);
    await expect.poll(() => chatStatus(desks.carl, xena)).toBe('closed');
    await desks.carl.call('auth.signOut', { forgetDevice: false });
    const recordOf = (chatId: string) =>
      join(
        carlsDevice.platform.dataDir,
        'cache',
        'chat',
        `${createHash('sha256').update(chatId).digest('hex')}.rec`,
      );
    expect(existsSync(recordOf(xena))).toBe(true);

    const caller = { operator: admin, session: { id: 'test' }, address: '127.0.0.1' } as unknown as Caller;
    await erasePerson(server.ctx, caller, {
      visitorIds: [],
      chatIds: [vera, walt, xena],
      ticketIds: [],
      reason: 'test',
    });

    // Connected: gone at once, from the list and from the disk.
    await expect.poll(() => chatIds(desks.anna)).toEqual([]);
    await expect.poll(() => chatIds(desks.ben)).toEqual([]);
    expect(desks.anna.eventsOf('chats.changed').length).toBeGreaterThan(0);
    // Offline meanwhile: gone after the next sign-in, before the operator sees it.
    expect(existsSync(recordOf(xena))).toBe(true);
    const carlAgain = await online(server, 'carl', testPlatform(carlsDevice.platform.dataDir));
    await expect.poll(() => chatIds(carlAgain)).toEqual([]);
    expect(existsSync(recordOf(xena))).toBe(false);
  });

  it('accepts next the chat offered to me, then the waiting chats oldest first, then nothing', async () => {
    const { server, group, anna } = await team('manual');
    const older = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Older' });
    const newer = await enqueueChat(server.ctx, { groupId: group.id, visitorName: 'Newer' });
    const sales = await createGroup(server.ctx, { name: 'Sales' });
    await addToGroup(server.ctx, anna.id, sales.id);
    const desk = await online(server, 'anna');
    const offered = await enqueueChat(server.ctx, { groupId: sales.id, visitorName: 'Offered' });
    await expect.poll(() => offerIds(desk)).toEqual([offered]);
    await expect
      .poll(async () => (await queued(desk)).filter(([, state]) => state === 'waiting'))
      .toEqual([
        [older, 'waiting'],
        [newer, 'waiting'],
      ]);

    expect(await desk.call('chats.acceptNext')).toEqual({ chatId: offered });
    expect(await desk.call('chats.acceptNext')).toEqual({ chatId: older });
    await expect.poll(() => queued(desk)).toEqual([[newer, 'waiting']]);
    expect(await desk.call('chats.acceptNext')).toEqual({ chatId: newer });
    await expect.poll(() => queued(desk)).toEqual([]);
    expect(await desk.call('chats.acceptNext')).toEqual({ chatId: null });
    await expect.poll(() => chatIds(desk)).toHaveLength(3);
  });

  it('restores the status I chose after the app restarts and after the server restarts', async () => {
    const { server, anna } = await team();
    const device = testPlatform();
    const first = await online(server, 'anna', device);
    expect(await first.call('status.set', { status: 'busy' })).toEqual({
      status: 'busy',
      acceptingChats: true,
      automatic: false,
    });
    await first.call('auth.signOut', { forgetDevice: false });
    await expect.poll(async () => (await serverStatus(server, anna.id)).status).toBe('offline');

    const second = desktop(testPlatform(device.platform.dataDir));
    await signIn(second, server.url, 'anna');
    await expect.poll(async () => (await serverStatus(server, anna.id)).status).toBe('busy');
    expect(await second.call('status.get')).toEqual({
      status: 'busy',
      acceptingChats: true,
      automatic: false,
    });

    const restartedAt = new Date();
    await server.close();
    const restarted = await startServer(server.dataDir, server.port);
    // Set again by the desktop once it reconnected, not left over from before the restart.
    await expect
      .poll(async () => {
        const row = await serverStatus(restarted, anna.id);
        return row.status === 'busy' && (row.status_changed_at ?? new Date(0)) >= restartedAt;
      })
      .toBe(true);
  });

  it('goes away after the idle time and comes back on input, unless I chose a status or the lock is due', async () => {
    const { server, anna } = await team();
    const desk = await online(server, 'anna');
    const { system } = desk.platform;
    await desk.call('settings.update', { autoAwayMinutes: 1, autoLockMinutes: 0 });

    system.setIdleSeconds(60);
    await expect
      .poll(() => desk.call('status.get'))
      .toEqual({ status: 'away', acceptingChats: true, automatic: true });
    expect((await serverStatus(server, anna.id)).status).toBe('away');
    system.setIdleSeconds(0);
    await expect
      .poll(() => desk.call('status.get'))
      .toEqual({ status: 'online', acceptingChats: true, automatic: false });
    expect((await serverStatus(server, anna.id)).status).toBe('online');

    // A status the operator picks while away automatically is theirs: input does not undo it.
    system.setIdleSeconds(60);
    await expect.poll(async () => (await desk.call('status.get')).automatic).toBe(true);
    await desk.call('status.set', { status: 'busy' });
    const idleChecks = vi.spyOn(system.system, 'idleSeconds');
    system.setIdleSeconds(0);
    await expect.poll(() => idleChecks.mock.calls.length).toBeGreaterThan(2);
    expect(await desk.call('status.get')).toEqual({ status: 'busy', acceptingChats: true, automatic: false });
    expect((await serverStatus(server, anna.id)).status).toBe('busy');

    await desk.call('status.set', { status: 'online' });
    await desk.call('settings.update', { autoLockMinutes: 1 });
    const automaticAways = desk.eventsOf('status.changed').filter((status) => status.automatic).length;
    system.setIdleSeconds(60);
    await expect.poll(() => desk.session.state().status).toBe('locked');
    expect(desk.eventsOf('status.changed').filter((status) => status.automatic)).toHaveLength(automaticAways);
  });

  it('rings for visitor messages out of sight, marks the chat in front read, and keeps quiet under do not disturb', async () => {
    const { server, anna } = await team();
    const vera = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const walt = await openChat(server.ctx, { visitorName: 'Walt Visitor', operatorId: anna.id });
    const desk = await online(server, 'anna');
    await expect.poll(() => chatIds(desk)).toHaveLength(2);
    const readUpTo = async () =>
      (
        await server.ctx.db
          .selectFrom('chats')
          .select('operator_read_up_to')
          .where('id', '=', vera)
          .executeTakeFirstOrThrow()
      ).operator_read_up_to;

    await desk.call('chats.focus', { chatId: vera });
    const seen = await postVisitorMessage(server.ctx, vera, 'Hello?');
    await expect.poll(readUpTo).toBe(seen.id);
    const long = `${'Where is my parcel? '.repeat(6)}It was due on Monday.`;
    await postVisitorMessage(server.ctx, walt, long);
    await expect
      .poll(() => desk.eventsOf('attention'))
      .toEqual([
        {
          kind: 'new_message',
          chatId: walt,
          title: 'Walt Visitor',
          body: `${long.slice(0, 80)}…`,
          notify: true, // the browser host shows a web notification
          sound: 'tick',
          repeat: false,
        },
      ]);
    expect(desk.eventsOf('badge').at(-1)).toEqual({ count: 1 });

    await desk.call('chats.send', { chatId: walt, text: 'Let me check.' });
    await expect
      .poll(
        async () => (await desk.call('chats.list')).chats.find((chat) => chat.id === walt)?.messages.length,
      )
      .toBe(2);
    await desk.call('chats.focus', { chatId: walt });
    await expect.poll(() => desk.eventsOf('badge').at(-1)).toEqual({ count: 0 });
    expect(desk.eventsOf('attention')).toHaveLength(1); // my own message never rings

    await desk.call('chats.focus', { chatId: null }); // the window went to the background
    await desk.call('settings.update', { attention: { ...defaultSettings.attention, doNotDisturb: true } });
    await postVisitorMessage(server.ctx, vera, 'Still there?');
    await expect.poll(() => desk.eventsOf('attention')).toHaveLength(2);
    expect(desk.eventsOf('attention')[1]).toMatchObject({ chatId: vera, notify: false, sound: 'none' });
    expect(desk.eventsOf('badge').at(-1)).toEqual({ count: 1 });
  });

  it('shows the visitor typing, and stops showing it when the connection drops', async () => {
    const { server, anna } = await team();
    const chatId = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const desk = await online(server, 'anna');
    await sendSignals(server.ctx, [{ kind: 'visitor.typing', operatorId: anna.id, chatId, typing: true }]);
    await expect.poll(() => desk.eventsOf('chats.typing')).toEqual([{ chatId, typing: true }]);
    await server.close();
    await expect
      .poll(() => desk.eventsOf('chats.typing'))
      .toEqual([
        { chatId, typing: true },
        { chatId, typing: false },
      ]);
    await expect(desk.call('chats.end', { chatId })).rejects.toMatchObject({
      code: 'unreachable',
      message: expect.stringMatching(/^You are offline\./),
    });
  });

  it('passes the team, the visitor panel, canned responses and tickets through from the server', async () => {
    const { server, anna, ben } = await team();
    const chatId = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: anna.id });
    const desk = await online(server, 'anna');

    await online(server, 'ben');
    await expect.poll(() => desk.eventsOf('team.changed').length).toBeGreaterThan(0);
    const { operators } = await desk.call('team.get');
    expect(operators).toContainEqual(expect.objectContaining({ id: ben.id, status: 'online' }));

    expect(await desk.call('chats.visitor', { chatId })).toMatchObject({ chatId });
    const saved = await desk.call('canned.save', {
      shortcut: 'hello',
      title: 'Greeting',
      text: 'Hello, how can I help?',
      shared: false,
    });
    expect((await desk.call('canned.list')).responses).toContainEqual(saved);
    await desk.call('canned.remove', { id: saved.id });
    expect((await desk.call('canned.list')).responses).not.toContainEqual(saved);
    expect(await desk.call('chats.toTicket', { chatId, subject: 'Parcel' })).toEqual({
      ticketNumber: expect.any(Number),
    });
  });
});
