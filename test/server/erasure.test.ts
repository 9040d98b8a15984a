import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PersonData, PersonExport } from '../../protocol/operator-socket';
import type { Role } from '../../protocol/roles';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { listAudit } from '../../server/audit';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import { createGroup } from '../../server/queues/groups';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';

describeEachServerStorage('erasure: the right to be forgotten', (storage) => {
  let server: ParleyServer;
  let groupId: string;
  const sockets = {} as Record<Role, OperatorTestSocket>;
  const clock = fakeClock(Date.parse('2026-11-23T09:00:00Z'));
  let storedSeq = 100_000;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: [] });
    groupId = (await createGroup(server.ctx, { name: 'Support' })).id;
    for (const role of ['agent', 'lead', 'admin'] as const) {
      await addOperator(server.ctx, `erase-${role}`, role);
      const { grant } = await signIn(server.url, `erase-${role}`, testPassword);
      sockets[role] = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    }
  });
  afterAll(async () => {
    for (const socket of Object.values(sockets)) socket.close();
    await server?.close();
  });

  /** Vera: a visitor with a consent, a chat with messages, a ticket from it and one by email. */
  async function vera(email = `vera-${randomUUID().slice(0, 8)}@example.de`) {
    const { db } = server.ctx;
    const visitorId = randomUUID();
    const chatId = randomUUID();
    await db
      .insertInto('visitors')
      .values({
        id: visitorId,
        token_hash: randomUUID(),
        group_id: groupId,
        language: 'de',
        address: '203.0.113.0',
        created_at: clock.now(),
        last_seen_at: clock.now(),
      })
      .execute();
    await db
      .insertInto('consents')
      .values({
        visitor_id: visitorId,
        group_id: groupId,
        notice_version: '1',
        language: 'de',
        given_at: clock.now(),
      })
      .execute();
    await db
      .insertInto('chats')
      .values({
        id: chatId,
        status: 'closed',
        operator_id: null,
        visitor_name: 'Vera Visitor',
        visitor_id: visitorId,
        group_id: groupId,
        visitor_fields: JSON.stringify({ name: 'Vera Visitor', email }),
        created_at: clock.now(),
        closed_at: clock.now(),
      })
      .execute();
    await db
      .insertInto('chat_messages')
      .values({
        chat_id: chatId,
        author_kind: 'visitor',
        author_name: 'Vera Visitor',
        text: 'Mein Paket 4711',
        created_at: clock.now(),
      })
      .execute();
    const ticket = (subject: string, link: boolean) =>
      db
        .insertInto('tickets')
        .values({
          id: randomUUID(),
          subject,
          body: 'Mein Paket 4711',
          source: link ? 'chat' : 'offline_form',
          group_id: groupId,
          chat_id: link ? chatId : null,
          visitor_id: null,
          requester_fields: JSON.stringify({ name: 'Vera V.', email: email.toUpperCase() }),
          created_by: null,
          created_at: clock.now(),
        })
        .execute();
    await ticket('Parcel from chat', true);
    await ticket('Parcel by form', false);
    // A copy the server keeps for delivery: a stored event naming the chat.
    const session = await db
      .selectFrom('sessions')
      .select('id')
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('operator_events')
      .values({
        session_id: session.id,
        seq: ++storedSeq,
        event: 'chat.closed',
        payload: JSON.stringify({ chatId, outcome: 'answered' }),
        created_at: clock.now(),
      })
      .execute();
    return { visitorId, chatId, email };
  }

  async function result<T>(role: Role, method: string, params: unknown): Promise<T> {
    const response = await sockets[role].request(method, params);
    if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  it('finds a person by email in any case, by part of the name, or by visitor id', async () => {
    const { visitorId, chatId, email } = await vera();
    for (const query of [email.toUpperCase(), visitorId]) {
      const found = await result<PersonData>('admin', 'privacy.search', { query });
      expect(found.visitors.map((visitor) => [visitor.id, visitor.consents])).toEqual([[visitorId, 1]]);
      expect(found.chats.map((chat) => [chat.id, chat.email])).toEqual([[chatId, email]]);
      expect(found.tickets.map((ticket) => ticket.subject).sort()).toEqual([
        'Parcel by form',
        'Parcel from chat',
      ]);
    }
    const byName = await result<PersonData>('admin', 'privacy.search', { query: 'vera vis' });
    expect(byName.chats.map((chat) => chat.id)).toContain(chatId);
    // A wildcard typed by an admin means itself.
    expect((await result<PersonData>('admin', 'privacy.search', { query: '%%' })).chats).toEqual([]);
  });

  it('erases everything about the person, keeps ids only, audits, and tells every operator client', async () => {
    const { visitorId, chatId, email } = await vera();
    const found = await result<PersonData>('admin', 'privacy.search', { query: email });
    const ticketIds = found.tickets.map((ticket) => ticket.id);
    const other = await vera();

    const erased = await result<Record<string, unknown>>('admin', 'privacy.erase', {
      visitorIds: [visitorId],
      chatIds: [],
      ticketIds,
      reason: 'Art. 17 request of 20 Nov',
    });
    expect(erased).toMatchObject({ visitors: 1, chats: 1, tickets: 2, consents: 1 });

    const { db } = server.ctx;
    expect(await db.selectFrom('visitors').select('id').where('id', '=', visitorId).execute()).toEqual([]);
    expect(await db.selectFrom('chats').select('id').where('id', '=', chatId).execute()).toEqual([]);
    expect(await db.selectFrom('chat_messages').select('id').where('chat_id', '=', chatId).execute()).toEqual(
      [],
    );
    expect(await db.selectFrom('tickets').select('id').where('id', 'in', ticketIds).execute()).toEqual([]);
    expect(
      await db.selectFrom('consents').select('id').where('visitor_id', '=', visitorId).execute(),
    ).toEqual([]);
    // The copy kept for delivery is gone; only the erasure notices (one per live session) name the chat.
    const stored = await db.selectFrom('operator_events').select('payload').execute();
    const naming = stored
      .map((row) => row.payload)
      .filter((payload) => JSON.stringify(payload).includes(chatId));
    expect(naming).toEqual(new Array(3).fill({ chatIds: [chatId], ticketIds }));
    // The other person is untouched.
    expect(await db.selectFrom('chats').select('id').where('id', '=', other.chatId).execute()).toHaveLength(
      1,
    );

    const tombstone = await db
      .selectFrom('erasures')
      .selectAll()
      .where('id', '=', erased['erasureId'] as string)
      .executeTakeFirstOrThrow();
    expect(tombstone.record_ids).toEqual({ visitors: [visitorId], chats: [chatId], tickets: ticketIds });
    expect(JSON.stringify(tombstone)).not.toMatch(/vera|Paket/i);

    const [entry] = (await listAudit(db, { action: 'data.erased', limit: 1 })).entries;
    expect(entry?.details).toEqual({
      visitors: 1,
      chats: 1,
      tickets: 2,
      consents: 1,
      reason: 'Art. 17 request of 20 Nov',
    });
    expect(JSON.stringify(entry)).not.toContain(email);

    for (const role of ['agent', 'lead', 'admin'] as const) {
      const frame = await sockets[role].waitFor(
        (candidate) => candidate.type === 'event' && candidate.event === 'data.erased',
      );
      expect(frame).toMatchObject({ payload: { chatIds: [chatId], ticketIds } });
    }
    expect(await result('agent', 'chats.existing', { chatIds: [chatId, other.chatId] })).toEqual({
      chatIds: [other.chatId],
    });
  });

  it('exports everything about the person, without operators’ internal notes, and audits it', async () => {
    const { visitorId, chatId, email } = await vera();
    await server.ctx.db
      .insertInto('chat_messages')
      .values({
        chat_id: chatId,
        author_kind: 'system',
        author_name: 'Parley',
        text: 'Transferred: customer is rude',
        internal: true,
        created_at: clock.now(),
      })
      .execute();
    const exported = await result<PersonExport>('admin', 'privacy.export', {
      visitorIds: [visitorId],
      chatIds: [],
      ticketIds: [],
    });
    expect(exported.visitors).toMatchObject([
      { id: visitorId, address: '203.0.113.0', consents: [{ noticeVersion: '1' }] },
    ]);
    expect(exported.chats).toMatchObject([
      {
        id: chatId,
        fields: { name: 'Vera Visitor', email },
        messages: [{ author: 'visitor', text: 'Mein Paket 4711' }],
      },
    ]);
    expect(exported.chats[0]?.messages).toHaveLength(1);
    // The ticket from the chat comes with it; one written by email alone needs the search.
    expect(exported.tickets.map((ticket) => ticket.subject)).toEqual(['Parcel from chat']);
    const [entry] = (await listAudit(server.ctx.db, { action: 'data.exported', limit: 1 })).entries;
    expect(entry?.details).toEqual({ visitors: 1, chats: 1, tickets: 1 });
    for (const role of ['agent', 'lead'] as const) {
      expect(
        await sockets[role].request('privacy.export', {
          visitorIds: [visitorId],
          chatIds: [],
          ticketIds: [],
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });

  it('refuses an erasure of records that do not exist, and anyone without the permission', async () => {
    const before = await server.ctx.db.selectFrom('erasures').select('id').execute();
    expect(
      await sockets.admin.request('privacy.erase', {
        visitorIds: [randomUUID()],
        chatIds: [randomUUID()],
        ticketIds: [],
        reason: 'no such person',
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await server.ctx.db.selectFrom('erasures').select('id').execute()).toEqual(before);

    const { chatId } = await vera();
    for (const role of ['agent', 'lead'] as const) {
      expect(await sockets[role].request('privacy.search', { query: 'vera' })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(
        await sockets[role].request('privacy.erase', {
          visitorIds: [],
          chatIds: [chatId],
          ticketIds: [],
          reason: 'try',
        }),
      ).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(
      await server.ctx.db.selectFrom('chats').select('id').where('id', '=', chatId).execute(),
    ).toHaveLength(1);
  });
});
