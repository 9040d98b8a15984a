import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { Role } from '../../protocol/roles';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { listAudit, recordAudit } from '../../server/audit';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import { runRetention, updateRetention } from '../../server/privacy/retention';
import { createGroup } from '../../server/queues/groups';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';

const day = 24 * 60 * 60 * 1000;

describeEachServerStorage('retention: deleting what is past its period', (storage) => {
  let server: ParleyServer;
  let kind: string;
  let groupId: string;
  const clock = fakeClock(Date.parse('2026-11-23T09:00:00Z'));
  const daysAgo = (days: number) => new Date(clock.now().getTime() - days * day);

  beforeAll(async () => {
    const options = await storage();
    kind = options.kind;
    server = await startParleyServer({ storage: options, log: silentLog, clock });
    await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: [] });
    groupId = (await createGroup(server.ctx, { name: 'Support' })).id;
  });
  afterAll(() => server?.close());

  beforeEach(async () => {
    const { db } = server.ctx;
    for (const table of ['tickets', 'chats', 'consents', 'visitors', 'audit_log'] as const) {
      await db.deleteFrom(table).execute();
    }
    await updateRetention(db, clock, {
      chatsDays: 365,
      ticketsDays: 730,
      visitorsDays: 365,
      consentsDays: 1095,
      auditDays: 730,
    });
  });

  async function visitor(lastSeenDaysAgo: number) {
    const id = randomUUID();
    await server.ctx.db
      .insertInto('visitors')
      .values({
        id,
        token_hash: randomUUID(),
        group_id: groupId,
        language: 'de',
        address: '203.0.113.0',
        created_at: daysAgo(lastSeenDaysAgo + 1),
        last_seen_at: daysAgo(lastSeenDaysAgo),
      })
      .execute();
    return id;
  }

  async function chat(name: string, closedDaysAgo: number | null, visitorId: string | null = null) {
    const id = randomUUID();
    await server.ctx.db
      .insertInto('chats')
      .values({
        id,
        status: closedDaysAgo === null ? 'open' : 'closed',
        operator_id: null,
        visitor_name: name,
        visitor_id: visitorId,
        created_at: daysAgo((closedDaysAgo ?? 0) + 1),
        closed_at: closedDaysAgo === null ? null : daysAgo(closedDaysAgo),
      })
      .execute();
    await server.ctx.db
      .insertInto('chat_messages')
      .values({
        chat_id: id,
        author_kind: 'visitor',
        author_name: name,
        text: `Hello from ${name}`,
        created_at: daysAgo(closedDaysAgo ?? 0),
      })
      .execute();
    return id;
  }

  async function ticket(
    subject: string,
    status: 'open' | 'closed',
    createdDaysAgo: number,
    chatId: string | null = null,
  ) {
    const id = randomUUID();
    await server.ctx.db
      .insertInto('tickets')
      .values({
        id,
        subject,
        body: '',
        status,
        source: 'chat',
        group_id: groupId,
        chat_id: chatId,
        visitor_id: null,
        created_by: null,
        created_at: daysAgo(createdDaysAgo),
      })
      .execute();
    return id;
  }

  async function consent(visitorId: string, givenDaysAgo: number) {
    await server.ctx.db
      .insertInto('consents')
      .values({
        visitor_id: visitorId,
        group_id: groupId,
        notice_version: '1',
        language: 'de',
        given_at: daysAgo(givenDaysAgo),
      })
      .execute();
  }

  async function audit(action: string, daysBack: number) {
    const at = clock.now().getTime();
    clock.set(at - daysBack * day);
    await recordAudit(server.ctx.db, clock, 'full', { action });
    clock.set(at);
  }

  const names = async (table: 'chats') =>
    (await server.ctx.db.selectFrom(table).select('visitor_name').orderBy('visitor_name').execute()).map(
      (row) => row.visitor_name,
    );

  it('deletes exactly what is past its period, category by category, and audits the counts', async () => {
    const longGone = await visitor(400);
    const stillChatting = await visitor(400);
    const recent = await visitor(10);
    const expiredChat = await chat('expired', 366, longGone);
    await chat('kept', 364, recent);
    await chat('open', null, stillChatting);
    await ticket('old closed', 'closed', 731, expiredChat);
    await ticket('old open', 'open', 900);
    await ticket('recent closed', 'closed', 729);
    await consent(recent, 1096);
    await consent(recent, 1094);
    await audit('old.entry', 731);
    await audit('recent.entry', 729);

    const counts = await runRetention(server.ctx);
    expect(counts).toEqual({ chats: 1, tickets: 1, visitors: 1, consents: 1, audit: 1 });

    expect(await names('chats')).toEqual(['kept', 'open']);
    const messages = await server.ctx.db.selectFrom('chat_messages').select('text').orderBy('text').execute();
    expect(messages.map((row) => row.text)).toEqual(['Hello from kept', 'Hello from open']);
    const tickets = await server.ctx.db.selectFrom('tickets').select('subject').orderBy('subject').execute();
    expect(tickets.map((row) => row.subject)).toEqual(['old open', 'recent closed']);
    const visitors = await server.ctx.db.selectFrom('visitors').select('id').execute();
    expect(visitors.map((row) => row.id).sort()).toEqual([stillChatting, recent].sort());
    const consents = await server.ctx.db.selectFrom('consents').select('given_at').execute();
    expect(consents.map((row) => row.given_at.getTime())).toEqual([daysAgo(1094).getTime()]);

    const log = (await listAudit(server.ctx.db, { limit: 10 })).entries.map((entry) => entry.action);
    expect(log).toEqual(['retention.deleted', 'recent.entry']);
    const [entry] = (await listAudit(server.ctx.db, { action: 'retention.deleted', limit: 1 })).entries;
    expect(entry?.details).toEqual({ chats: 1, tickets: 1, visitors: 1, consents: 1, audit: 1 });

    // Nothing left to do: no second audit entry for an empty run.
    expect(await runRetention(server.ctx)).toEqual({
      chats: 0,
      tickets: 0,
      visitors: 0,
      consents: 0,
      audit: 0,
    });
    expect((await listAudit(server.ctx.db, { action: 'retention.deleted', limit: 5 })).entries).toHaveLength(
      1,
    );
  });

  it('tells every live desktop which chats and tickets expired, so their caches drop them', async () => {
    await addOperator(server.ctx, 'retention-listener');
    const { grant } = await signIn(server.url, 'retention-listener', testPassword);
    const desk = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    const expiredChat = await chat('expired', 366);
    await chat('kept', 364);
    const expiredTicket = await ticket('old closed', 'closed', 731);

    await runRetention(server.ctx);
    await desk.waitFor(
      (frame) => frame.type === 'event' && JSON.stringify(frame.payload).includes(expiredTicket),
    );
    expect(desk.events().filter((frame) => frame.event === 'data.erased')).toMatchObject([
      { payload: { chatIds: [expiredChat], ticketIds: [] } },
      { payload: { chatIds: [], ticketIds: [expiredTicket] } },
    ]);
    desk.close();
  });

  it('follows the periods the admin set, and deletes in bounded batches across runs', async () => {
    for (let i = 0; i < 5; i++) await audit(`entry.${i}`, 40);
    expect((await runRetention(server.ctx))?.audit).toBe(0);

    await updateRetention(server.ctx.db, clock, { auditDays: 30 });
    expect((await runRetention(server.ctx, { batchSize: 2, maxBatches: 2 }))?.audit).toBe(4);
    expect((await runRetention(server.ctx, { batchSize: 2, maxBatches: 2 }))?.audit).toBe(1);
    const left = (await listAudit(server.ctx.db, { limit: 10 })).entries.map((entry) => entry.action);
    expect(left.filter((action) => action.startsWith('entry.'))).toEqual([]);
  });

  it('runs in one instance at a time', async () => {
    // PGlite is one process with one connection: there is nobody to take turns with.
    if (kind !== 'postgres') return;
    await audit('old.entry', 800);
    const released = await server.ctx.db.connection().execute(async (db) => {
      await sql`select pg_advisory_lock(7362001)`.execute(db);
      const whileHeld = await runRetention(server.ctx);
      await sql`select pg_advisory_unlock(7362001)`.execute(db);
      return whileHeld;
    });
    expect(released).toBeUndefined();
    expect((await runRetention(server.ctx))?.audit).toBe(1);
  });

  it('lets admins set the periods, leads read them, agents neither; a period below one day is refused', async () => {
    const sockets: Record<Role, OperatorTestSocket> = {} as Record<Role, OperatorTestSocket>;
    for (const role of ['agent', 'lead', 'admin'] as const) {
      const username = `retention-${role}`;
      await addOperator(server.ctx, username, role);
      const { grant } = await signIn(server.url, username, testPassword);
      sockets[role] = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
    }
    try {
      expect(await sockets.agent.request('retention.get', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      expect(await sockets.lead.request('retention.get', {})).toMatchObject({
        ok: true,
        result: { chatsDays: 365 },
      });
      expect(await sockets.lead.request('retention.update', { chatsDays: 30 })).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
      for (const chatsDays of [0, -5, 1.5]) {
        expect(await sockets.admin.request('retention.update', { chatsDays })).toMatchObject({
          ok: false,
          error: { code: 'invalid_request' },
        });
      }
      expect(await sockets.admin.request('retention.update', { chatsDays: 90 })).toMatchObject({
        ok: true,
        result: { chatsDays: 90, ticketsDays: 730 },
      });
      const [entry] = (await listAudit(server.ctx.db, { action: 'retention.updated', limit: 1 })).entries;
      expect(entry?.details).toEqual({ changed: { chatsDays: 90 } });
    } finally {
      for (const socket of Object.values(sockets)) socket.close();
    }
  });
});
