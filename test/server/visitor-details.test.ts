import { afterAll, beforeAll, expect, it } from 'vitest';
import type { QueuedChat, Ticket, VisitorInfo } from '../../protocol/operator-socket';
import { defaultPrechatFields, type VisitorChat } from '../../protocol/visitor-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { listAudit } from '../../server/audit';
import { silentLog } from '../../server/log';
import { addToGroup, createGroup, type NewGroup } from '../../server/queues/groups';
import type { Group } from '../../server/storage/schema';
import {
  describeEachServerStorage,
  OperatorTestSocket,
  signIn,
  type EventFrame,
} from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

describeEachServerStorage('visitors correcting their details and deleting their chat', (storage) => {
  let server: ParleyServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog });
    await withoutRequiredTotp(server.ctx);
  });
  afterAll(() => server?.close());

  function newGroup(settings: Partial<NewGroup> = {}): Promise<Group> {
    return createGroup(server.ctx, { name: `Support ${++counter}`, ...settings });
  }

  async function operatorIn(group: Group) {
    const username = `op${++counter}`;
    const operator = await addOperator(server.ctx, username);
    await addToGroup(server.ctx, operator.id, group.id);
    const { grant } = await signIn(server.url, username, testPassword);
    const socket = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    await socket.request('status.set', { status: 'online' });
    return { operator, socket };
  }

  async function visitorIn(group: Group) {
    const visitor = await VisitorTestSocket.connect(server.url);
    const consent = await visitor.call<{ visitorToken: string; visitorId: string }>('session.consent', {
      groupId: group.id,
      noticeVersion: group.privacy_notice.version,
      language: 'en',
    });
    return { visitor, ...consent };
  }

  /** Vera in a chat that `socket`'s operator has accepted. */
  async function activeChat(group: Group, socket: OperatorTestSocket) {
    const { visitor, visitorToken, visitorId } = await visitorIn(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', {
      fields: { name: 'Vera Visitor', email: 'vera@example.de' },
    });
    const accepted = await socket.request('chat.accept', { chatId: chat.id });
    expect(accepted.ok).toBe(true);
    return { visitor, visitorToken, visitorId, chatId: chat.id };
  }

  async function chatRow(chatId: string) {
    return server.ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirst();
  }

  async function visitorInfo(socket: OperatorTestSocket, chatId: string): Promise<VisitorInfo> {
    const response = await socket.request('chat.visitor', { chatId });
    if (!response.ok) throw new Error(response.error.message);
    return response.result as VisitorInfo;
  }

  const eventFor = (name: string, chatId: string) => (frame: { type: string }) =>
    frame.type === 'event' &&
    (frame as EventFrame).event === name &&
    JSON.stringify((frame as EventFrame).payload).includes(chatId);

  it('shows the assigned operator the corrected details, and names the chat anew as the masking rules allow', async () => {
    const group = await newGroup({ masking: { ...showAll, name: 'partial' } });
    const { socket } = await operatorIn(group);
    const { visitor, chatId } = await activeChat(group, socket);
    expect((await visitorInfo(socket, chatId)).fields.email).toBe('vera@example.de');

    await visitor.call('details.update', {
      // Phone is hidden in the default form: sent anyway, it is dropped.
      fields: { name: 'Vera Weber', email: 'vera.weber@example.de', phone: '+49 30 1234' },
    });

    expect((await visitorInfo(socket, chatId)).fields).toMatchObject({
      email: 'vera.weber@example.de',
      phone: null,
    });
    const changed = await socket.waitFor(eventFor('chat.visitorChanged', chatId));
    expect((changed as EventFrame).payload).toEqual({ chatId, visitorName: 'V••• W•••' });
    expect(await chatRow(chatId)).toMatchObject({
      visitor_name: 'Vera Weber',
      visitor_fields: { name: 'Vera Weber', email: 'vera.weber@example.de' },
    });
    visitor.close();
  });

  it('shows the new name in the queue while the chat waits', async () => {
    const group = await newGroup({ routingMode: 'manual' });
    const { socket } = await operatorIn(group);
    const { visitor } = await visitorIn(group);
    const { chat } = await visitor.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Vera' } });
    const queueChanged = (frame: { type: string }) =>
      frame.type === 'event' && (frame as EventFrame).event === 'queue.changed';
    await socket.waitFor(queueChanged);
    const before = socket.frames.length;

    await visitor.call('details.update', { fields: { name: 'Vera Weber' } });

    await socket.waitFor((frame) => socket.frames.indexOf(frame) >= before && queueChanged(frame));
    const listed = await socket.request('queue.list', {});
    const chats = listed.ok ? (listed.result as { chats: QueuedChat[] }).chats : [];
    expect(chats.find((queued) => queued.id === chat.id)?.visitorName).toBe('Vera Weber');
    visitor.close();
  });

  it('refuses a change where the group does not allow it, and changes nothing', async () => {
    const group = await newGroup({ prechatFields: { ...defaultPrechatFields, visitorsMayEdit: false } });
    const { socket } = await operatorIn(group);
    const { visitor, chatId } = await activeChat(group, socket);
    const before = await chatRow(chatId);

    const refused = await visitor.request('details.update', {
      fields: { name: 'Someone Else', email: 'else@example.de' },
    });

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: 'The details of this chat cannot be changed.' },
    });
    expect(await chatRow(chatId)).toEqual(before);
    expect((await visitorInfo(socket, chatId)).fields.email).toBe('vera@example.de');
    expect(socket.events().some((frame) => frame.event === 'chat.visitorChanged')).toBe(false);
    visitor.close();
  });

  it('refuses an invalid email and an emptied required field, and changes nothing', async () => {
    const group = await newGroup();
    const { socket } = await operatorIn(group);
    const { visitor, chatId } = await activeChat(group, socket);
    const before = await chatRow(chatId);

    const badEmail = await visitor.request('details.update', {
      fields: { name: 'Vera Visitor', email: 'not an address' },
    });
    expect(badEmail).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const noName = await visitor.request('details.update', {
      fields: { name: '  ', email: 'vera@example.de' },
    });
    expect(noName).toMatchObject({
      ok: false,
      error: { code: 'invalid_request', message: 'Please fill in: name.' },
    });

    expect(await chatRow(chatId)).toEqual(before);
    visitor.close();
  });

  it('refuses a change without a chat, and once the chat has ended', async () => {
    const group = await newGroup();
    const { socket } = await operatorIn(group);
    const { visitor: newcomer } = await visitorIn(group);
    expect(await newcomer.request('details.update', { fields: { name: 'Vera' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'There is no chat whose details could be changed.' },
    });

    const { visitor, chatId } = await activeChat(group, socket);
    await socket.request('chat.end', { chatId });
    expect(await visitor.request('details.update', { fields: { name: 'Vera' } })).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: expect.stringMatching(/ended/) },
    });
    expect((await chatRow(chatId))?.visitor_name).toBe('Vera Visitor');
    newcomer.close();
    visitor.close();
  });

  it('deletes the chat, its messages and its ticket for good, keeps ids only, audits, and purges every desk', async () => {
    const group = await newGroup();
    const { socket } = await operatorIn(group);
    const colleague = await operatorIn(await newGroup());
    const { visitor, visitorToken, visitorId, chatId } = await activeChat(group, socket);
    await visitor.call('chat.send', { clientMsgId: 'visitor-msg-1', text: 'Mein Paket 4711' });
    const made = await socket.request('chat.toTicket', { chatId, subject: 'Parcel 4711' });
    if (!made.ok) throw new Error(made.error.message);
    const ticketId = (made.result as { ticket: Ticket }).ticket.id;

    expect(await visitor.call('chat.delete')).toEqual({});

    const { db } = server.ctx;
    expect(await chatRow(chatId)).toBeUndefined();
    expect(await db.selectFrom('chat_messages').select('id').where('chat_id', '=', chatId).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('tickets').select('id').where('id', '=', ticketId).execute()).toEqual([]);
    // The visitor and their consent stay: they may start another chat.
    expect(await db.selectFrom('visitors').select('id').where('id', '=', visitorId).execute()).toHaveLength(
      1,
    );
    expect(
      await db.selectFrom('consents').select('id').where('visitor_id', '=', visitorId).execute(),
    ).toHaveLength(1);

    const [entry] = (await listAudit(db, { action: 'chat.deletedByVisitor', limit: 1 })).entries;
    expect(entry).toMatchObject({
      actorId: null,
      actorName: null,
      details: { visitors: 0, chats: 1, tickets: 1, consents: 0 },
    });
    const tombstone = await db
      .selectFrom('erasures')
      .selectAll()
      .where('id', '=', entry?.target ?? '')
      .executeTakeFirstOrThrow();
    expect(tombstone).toMatchObject({
      erased_by: null,
      record_ids: { visitors: [], chats: [chatId], tickets: [ticketId] },
    });
    expect(JSON.stringify([tombstone, entry])).not.toMatch(/vera|Paket/i);

    for (const desk of [socket, colleague.socket]) {
      const erased = await desk.waitFor(eventFor('data.erased', chatId));
      expect((erased as EventFrame).payload).toEqual({ chatIds: [chatId], ticketIds: [ticketId] });
    }

    const back = await VisitorTestSocket.connect(server.url);
    expect(await back.call('session.resume', { visitorToken })).toMatchObject({ visitorId, chat: null });
    back.close();
    visitor.close();
    colleague.socket.close();
  });

  it('gives the operator room for the next waiting chat once the visitor deletes theirs', async () => {
    const group = await newGroup();
    const { operator, socket } = await operatorIn(group);
    await server.ctx.db
      .updateTable('operators')
      .set({ max_concurrent_chats: 1 })
      .where('id', '=', operator.id)
      .execute();
    const { visitor, chatId } = await activeChat(group, socket);
    const { visitor: next } = await visitorIn(group);
    const waiting = await next.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Nina' } });
    expect(await chatRow(waiting.chat.id)).toMatchObject({ queue_state: 'waiting', offered_to: null });

    await visitor.call('chat.delete');

    await socket.waitFor(eventFor('chat.offered', waiting.chat.id));
    expect((await chatRow(chatId)) ?? null).toBeNull();
    visitor.close();
    next.close();
  });

  it('refuses to delete when there is no chat', async () => {
    const group = await newGroup();
    const { visitor } = await visitorIn(group);
    expect(await visitor.request('chat.delete')).toMatchObject({
      ok: false,
      error: { code: 'not_found', message: 'There is no chat to delete.' },
    });
    visitor.close();
  });
});

const showAll = {
  name: 'show',
  email: 'show',
  phone: 'show',
  company: 'show',
  custom: 'show',
} as const;
