import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Selectable } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStorage } from '../../server/storage/database';
import type { Db } from '../../server/storage/database';
import { migrateToLatest, migrations } from '../../server/storage/migrations';
import type { Database, Operator } from '../../server/storage/schema';
import { defaultMaskingRules } from '../../protocol/masking';
import { defaultPrechatFields, defaultWidgetSettings } from '../../protocol/visitor-socket';
import { describeEachDatabase, describePostgres } from '../support/databases';

const at = new Date('2030-01-02T03:04:05.678Z');
const later = new Date('2030-02-03T04:05:06.789Z');

/** Every column set, so reading the row back checks the table has exactly schema.ts's columns. */
function operator(id: string, username = id): Operator {
  return {
    id,
    username,
    display_name: `Operator ${id}`,
    role: 'lead',
    disabled: false,
    password_hash: 'scrypt$test',
    totp_secret: 'JBSWY3DPEHPK3PXP',
    totp_pending_secret: null,
    totp_last_step: '64001234',
    max_concurrent_chats: 5,
    status: 'busy',
    accepting_chats: false,
    status_changed_at: later,
    version: 2,
    created_at: at,
    updated_at: later,
    last_login_at: later,
  };
}

/** One value per table of schema.ts; `satisfies` fails to compile when a table is added there. */
const everyTable = {
  operators: true,
  groups: true,
  operator_groups: true,
  recovery_codes: true,
  sessions: true,
  login_tickets: true,
  auth_throttle: true,
  ip_rules: true,
  devices: true,
  settings: true,
  audit_log: true,
  operator_events: true,
  applied_actions: true,
  chats: true,
  chat_messages: true,
  chat_offers: true,
  visitors: true,
  consents: true,
  tickets: true,
  canned_responses: true,
  operator_presence: true,
  operator_setups: true,
  erasures: true,
} satisfies Record<keyof Database, true>;

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

async function executedMigrations(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((row) => row.name);
}

describeEachDatabase('storage', (fresh) => {
  it('creates exactly the tables of schema.ts', async () => {
    const { db } = await fresh();
    const tables = await db.introspection.getTables();
    expect(tables.map((table) => table.name).sort()).toEqual(Object.keys(everyTable).sort());
  });

  it('stores and reads back a row in every table', async () => {
    const { db } = await fresh();

    const ada = operator('op-ada', 'ada');
    await db.insertInto('operators').values(ada).execute();
    expect(await db.selectFrom('operators').selectAll().execute()).toEqual([ada]);

    const group: Selectable<Database['groups']> = {
      id: 'g-1',
      name: 'Sales',
      archived: true,
      created_at: at,
      routing_mode: 'manual',
      ring_timeout_seconds: 45,
      default_max_chats: 4,
      privacy_notice: {
        version: '3',
        text: { en: 'We keep chats 30 days.', de: 'Wir speichern Chats 30 Tage.' },
      },
      prechat_fields: { ...defaultPrechatFields, phone: 'required' },
      widget_settings: { ...defaultWidgetSettings, cookieless: true },
      business_hours: {
        timeZone: 'Europe/Berlin',
        days: [[{ from: '09:00', to: '17:00' }], [], [], [], [], [], []],
      },
      version: 3,
      masking: { ...defaultMaskingRules, email: 'partial' },
    };
    await db
      .insertInto('groups')
      .values({
        ...group,
        masking: JSON.stringify(group.masking),
        privacy_notice: JSON.stringify(group.privacy_notice),
        prechat_fields: JSON.stringify(group.prechat_fields),
        widget_settings: JSON.stringify(group.widget_settings),
        business_hours: JSON.stringify(group.business_hours),
      })
      .execute();
    expect(await db.selectFrom('groups').selectAll().execute()).toEqual([group]);

    const membership = { operator_id: ada.id, group_id: group.id };
    await db.insertInto('operator_groups').values(membership).execute();
    expect(await db.selectFrom('operator_groups').selectAll().execute()).toEqual([membership]);

    const code = { operator_id: ada.id, code_hash: 'sha256-code', used_at: later, created_at: at };
    await db.insertInto('recovery_codes').values(code).execute();
    expect(await db.selectFrom('recovery_codes').selectAll().execute()).toEqual([
      { ...code, id: expect.any(String) },
    ]);

    const session: Selectable<Database['sessions']> = {
      id: 's-1',
      operator_id: ada.id,
      token_hash: 'sha256-token',
      device_id: 'd-1',
      device_name: 'Laptop',
      address: '192.0.2.0',
      created_at: at,
      last_seen_at: later,
      expires_at: later,
      revoked_at: later,
      revoked_reason: 'logout',
      last_event_seq: '7',
    };
    await db.insertInto('sessions').values(session).execute();
    expect(await db.selectFrom('sessions').selectAll().execute()).toEqual([session]);

    const ticket: Selectable<Database['login_tickets']> = {
      ticket_hash: 'sha256-ticket',
      operator_id: ada.id,
      purpose: 'enrolment',
      device_id: 'd-1',
      device_name: 'Laptop',
      expires_at: later,
      created_at: at,
    };
    await db.insertInto('login_tickets').values(ticket).execute();
    expect(await db.selectFrom('login_tickets').selectAll().execute()).toEqual([ticket]);

    const throttle: Selectable<Database['auth_throttle']> = {
      scope: 'address',
      key: '192.0.2.0',
      failures: 4,
      window_started_at: at,
      locked_until: later,
    };
    await db.insertInto('auth_throttle').values(throttle).execute();
    expect(await db.selectFrom('auth_throttle').selectAll().execute()).toEqual([throttle]);

    const rule: Selectable<Database['ip_rules']> = {
      id: 'r-1',
      scope: 'role',
      subject: 'agent',
      cidr: '10.0.0.0/8',
      created_at: at,
    };
    await db.insertInto('ip_rules').values(rule).execute();
    expect(await db.selectFrom('ip_rules').selectAll().execute()).toEqual([rule]);

    const device: Selectable<Database['devices']> = {
      id: 'd-1',
      operator_id: ada.id,
      name: 'Laptop',
      device_key: 'wrapped-key',
      created_at: at,
      revoked_at: null,
    };
    await db.insertInto('devices').values(device).execute();
    expect(await db.selectFrom('devices').selectAll().execute()).toEqual([device]);

    const policy = { minPasswordLength: 12, requireTotp: true };
    await db
      .insertInto('settings')
      .values({ key: 'security', value: JSON.stringify(policy), updated_at: at })
      .execute();
    expect(await db.selectFrom('settings').selectAll().execute()).toEqual([
      { key: 'security', value: policy, updated_at: at },
    ]);

    const entry = {
      at,
      actor_id: ada.id,
      actor_name: 'ada',
      action: 'operator.login',
      target: null,
      address: '192.0.2.0',
    };
    await db
      .insertInto('audit_log')
      .values({ ...entry, details: JSON.stringify({ method: 'totp' }) })
      .execute();
    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([
      { ...entry, id: expect.any(String), details: { method: 'totp' } },
    ]);

    const event = { session_id: session.id, seq: '7', event: 'chat.message', created_at: at };
    await db
      .insertInto('operator_events')
      .values({ ...event, payload: JSON.stringify({ message: { id: '1' } }) })
      .execute();
    expect(await db.selectFrom('operator_events').selectAll().execute()).toEqual([
      { ...event, payload: { message: { id: '1' } } },
    ]);

    const action = { operator_id: ada.id, action_id: 'action-0001', method: 'ipRules.add', created_at: at };
    await db
      .insertInto('applied_actions')
      .values({ ...action, result: JSON.stringify({ id: 'r-1' }) })
      .execute();
    expect(await db.selectFrom('applied_actions').selectAll().execute()).toEqual([
      { ...action, result: { id: 'r-1' } },
    ]);

    const chat: Selectable<Database['chats']> = {
      id: 'c-1',
      status: 'closed',
      operator_id: ada.id,
      visitor_name: 'Visitor',
      created_at: at,
      closed_at: later,
      group_id: group.id,
      queue_state: 'closed',
      offered_to: null,
      offered_at: at,
      priority: 2,
      queued_at: at,
      outcome: 'answered',
      visitor_id: null,
      visitor_fields: { name: 'Vera', email: 'vera@example.de' },
      page_url: 'https://shop.example/cart',
      operator_read_up_to: '7',
      rating: 5,
      rating_comment: 'Quick and kind',
    };
    await db
      .insertInto('chats')
      .values({ ...chat, visitor_fields: JSON.stringify(chat.visitor_fields) })
      .execute();
    expect(await db.selectFrom('chats').selectAll().execute()).toEqual([chat]);

    const offer = {
      chat_id: chat.id,
      operator_id: ada.id,
      offered_at: at,
      outcome: 'accepted' as const,
      decided_at: later,
    };
    await db.insertInto('chat_offers').values(offer).execute();
    expect(await db.selectFrom('chat_offers').selectAll().execute()).toEqual([
      { ...offer, id: expect.any(String) },
    ]);

    const message = {
      chat_id: chat.id,
      author_kind: 'operator' as const,
      author_id: ada.id,
      author_name: 'Ada',
      text: 'Hello',
      client_msg_id: 'client-msg-1',
      created_at: at,
      internal: false,
    };
    await db.insertInto('chat_messages').values(message).execute();
    expect(await db.selectFrom('chat_messages').selectAll().execute()).toEqual([
      { ...message, id: expect.any(String) },
    ]);

    const visitor = {
      id: 'v-1',
      token_hash: 'sha256-visitor',
      group_id: group.id,
      language: 'de',
      address: '203.0.113.0',
      created_at: at,
      last_seen_at: later,
    };
    await db.insertInto('visitors').values(visitor).execute();
    expect(await db.selectFrom('visitors').selectAll().execute()).toEqual([visitor]);

    const consent = {
      visitor_id: visitor.id,
      group_id: group.id,
      notice_version: '3',
      language: 'de',
      given_at: at,
    };
    await db.insertInto('consents').values(consent).execute();
    expect(await db.selectFrom('consents').selectAll().execute()).toEqual([
      { ...consent, id: expect.any(String) },
    ]);

    const supportTicket = {
      id: 't-1',
      subject: 'Chat with Vera',
      body: 'Hello',
      status: 'open' as const,
      source: 'chat' as const,
      group_id: group.id,
      chat_id: chat.id,
      visitor_id: visitor.id,
      requester_fields: { name: 'Vera' },
      created_by: ada.id,
      created_at: at,
    };
    await db
      .insertInto('tickets')
      .values({ ...supportTicket, requester_fields: JSON.stringify(supportTicket.requester_fields) })
      .execute();
    // Numbers for people start with four digits.
    expect(await db.selectFrom('tickets').selectAll().execute()).toEqual([
      { ...supportTicket, number: '1001' },
    ]);

    const canned = {
      id: 'cr-1',
      owner_id: null,
      shortcut: 'hi',
      title: 'Greeting',
      text: 'Hello!',
      updated_at: at,
    };
    await db.insertInto('canned_responses').values(canned).execute();
    expect(await db.selectFrom('canned_responses').selectAll().execute()).toEqual([canned]);

    const presence = { operator_id: ada.id, instance_id: 'instance-1', seen_at: at };
    await db.insertInto('operator_presence').values(presence).execute();
    expect(await db.selectFrom('operator_presence').selectAll().execute()).toEqual([presence]);

    const setup = {
      token_hash: 'sha256-setup',
      operator_id: ada.id,
      expires_at: later,
      used_at: null,
      created_at: at,
    };
    await db.insertInto('operator_setups').values(setup).execute();
    expect(await db.selectFrom('operator_setups').selectAll().execute()).toEqual([setup]);
  });

  it('fills in the defaults', async () => {
    const { db } = await fresh();
    const before = Date.now();
    const row = await db
      .insertInto('operators')
      .values({
        id: 'op-1',
        username: 'bo',
        display_name: 'Bo',
        role: 'agent',
        password_hash: 'h',
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ disabled: false, max_concurrent_chats: 3, version: 1, totp_last_step: null });
    // now() is the database's clock, which may run a little apart from this process's.
    expect(Math.abs(row.created_at.getTime() - before)).toBeLessThan(60_000);
  });

  it('reads timestamptz as Date and bigint as string', async () => {
    const { db } = await fresh();
    await db.insertInto('operators').values(operator('op-1')).execute();
    await db.insertInto('audit_log').values({ at, action: 'test', details: '{}' }).execute();

    const entry = await db.selectFrom('audit_log').select(['id', 'at']).executeTakeFirstOrThrow();
    expect(entry.id).toBe('1');
    expect(entry.at).toBeInstanceOf(Date);
    expect(entry.at.toISOString()).toBe(at.toISOString());

    const { totp_last_step } = await db
      .selectFrom('operators')
      .select('totp_last_step')
      .executeTakeFirstOrThrow();
    expect(totp_last_step).toBe('64001234');
    const { count } = await db
      .selectFrom('operators')
      .select((eb) => eb.fn.countAll().as('count'))
      .executeTakeFirstOrThrow();
    expect(count).toBe('1');
  });

  it('keeps usernames unique', async () => {
    const { db } = await fresh();
    await db.insertInto('operators').values(operator('op-1', 'ada')).execute();
    await expect(db.insertInto('operators').values(operator('op-2', 'ada')).execute()).rejects.toThrow(
      /operators_username_key/,
    );
  });

  it('refuses values outside the allowed sets', async () => {
    const { db } = await fresh();
    const refused = [
      db.insertInto('operators').values(operator('op-1', 'Ada')),
      db.insertInto('operators').values({ ...operator('op-2'), max_concurrent_chats: 0 }),
      db
        .insertInto('operators')
        // Casts stand in for data that bypassed the types, e.g. a hand-written SQL fix.
        .values({ ...operator('op-3'), role: 'owner' as Operator['role'] }),
      db.insertInto('operators').values({ ...operator('op-4'), status: 'gone' as Operator['status'] }),
      db.insertInto('ip_rules').values({ id: 'r-1', scope: 'global', subject: 'agent', cidr: '0.0.0.0/0' }),
      db.insertInto('auth_throttle').values({
        scope: 'device' as 'account',
        key: 'k',
        failures: 1,
        window_started_at: at,
      }),
      db.insertInto('chats').values({ id: 'c-1', status: 'paused' as 'open', visitor_name: 'V' }),
      // A closed chat says when it closed; an open one does not.
      db.insertInto('chats').values({ id: 'c-2', status: 'closed', visitor_name: 'V', closed_at: null }),
      db.insertInto('chats').values({ id: 'c-3', status: 'open', visitor_name: 'V', closed_at: at }),
      db
        .insertInto('chats')
        .values({ id: 'c-4', status: 'open', visitor_name: 'V', queue_state: 'lost' as 'waiting' }),
      db.insertInto('chat_messages').values({
        chat_id: 'c-open',
        author_kind: 'bot' as 'system',
        author_name: 'B',
        text: 't',
      }),
    ];
    await db.insertInto('chats').values({ id: 'c-open', status: 'open', visitor_name: 'V' }).execute();
    for (const query of refused) await expect(query.execute()).rejects.toThrow(/violates check constraint/);
  });

  it("deletes an operator's sessions, recovery codes, devices, tickets, memberships and applied actions with the operator", async () => {
    const { db } = await fresh();
    for (const id of ['op-gone', 'op-stays']) {
      await db.insertInto('operators').values(operator(id)).execute();
      await db
        .insertInto('sessions')
        .values({
          id: `s-${id}`,
          operator_id: id,
          token_hash: `t-${id}`,
          last_seen_at: at,
          expires_at: later,
        })
        .execute();
      await db
        .insertInto('recovery_codes')
        .values({ operator_id: id, code_hash: `c-${id}` })
        .execute();
      await db
        .insertInto('devices')
        .values({ id: `d-${id}`, operator_id: id, device_key: 'k' })
        .execute();
      await db
        .insertInto('login_tickets')
        .values({ ticket_hash: `l-${id}`, operator_id: id, purpose: 'second_factor', expires_at: later })
        .execute();
      await db
        .insertInto('applied_actions')
        .values({ operator_id: id, action_id: `a-${id}`, method: 'm', result: '{}' })
        .execute();
    }
    await db.insertInto('groups').values({ id: 'g-1', name: 'Support' }).execute();
    await db
      .insertInto('operator_groups')
      .values([
        { operator_id: 'op-gone', group_id: 'g-1' },
        { operator_id: 'op-stays', group_id: 'g-1' },
      ])
      .execute();

    await db.deleteFrom('operators').where('id', '=', 'op-gone').execute();

    for (const table of [
      'sessions',
      'recovery_codes',
      'devices',
      'login_tickets',
      'operator_groups',
      'applied_actions',
    ] as const) {
      const owners = await db.selectFrom(table).select('operator_id').execute();
      expect(owners, table).toEqual([{ operator_id: 'op-stays' }]);
    }
    expect(await db.selectFrom('groups').select('id').execute()).toEqual([{ id: 'g-1' }]);
  });

  it('stores a client message id once per chat, and any number of messages without one', async () => {
    const { db } = await fresh();
    await db
      .insertInto('chats')
      .values([
        { id: 'c-1', status: 'open', visitor_name: 'V' },
        { id: 'c-2', status: 'open', visitor_name: 'V' },
      ])
      .execute();
    const message = (chat_id: string, client_msg_id: string | null) => ({
      chat_id,
      author_kind: 'visitor' as const,
      author_name: 'V',
      text: 'hi',
      client_msg_id,
    });
    await db
      .insertInto('chat_messages')
      .values([
        message('c-1', 'msg-0001'),
        message('c-2', 'msg-0001'),
        message('c-1', null),
        message('c-1', null),
      ])
      .execute();
    await expect(db.insertInto('chat_messages').values(message('c-1', 'msg-0001')).execute()).rejects.toThrow(
      /chat_messages_client_msg_id_key/,
    );
  });

  it('deletes events with their session and messages with their chat; keeps chats when their operator goes', async () => {
    const { db } = await fresh();
    await db.insertInto('operators').values(operator('op-1')).execute();
    await db
      .insertInto('sessions')
      .values({ id: 's-1', operator_id: 'op-1', token_hash: 't', last_seen_at: at, expires_at: later })
      .execute();
    await db
      .insertInto('operator_events')
      .values({ session_id: 's-1', seq: 1, event: 'e', payload: '{}' })
      .execute();
    await db
      .insertInto('chats')
      .values({ id: 'c-1', status: 'open', operator_id: 'op-1', visitor_name: 'V' })
      .execute();
    await db
      .insertInto('chat_messages')
      .values({ chat_id: 'c-1', author_kind: 'visitor', author_name: 'V', text: 'hi' })
      .execute();

    await db.deleteFrom('sessions').where('id', '=', 's-1').execute();
    expect(await db.selectFrom('operator_events').selectAll().execute()).toEqual([]);

    await db.deleteFrom('operators').where('id', '=', 'op-1').execute();
    expect(await db.selectFrom('chats').select(['id', 'operator_id']).execute()).toEqual([
      { id: 'c-1', operator_id: null },
    ]);

    await db.deleteFrom('chats').where('id', '=', 'c-1').execute();
    expect(await db.selectFrom('chat_messages').selectAll().execute()).toEqual([]);
  });

  it('treats migrating an up-to-date database as a no-op', async () => {
    const { db } = await fresh();
    await db.insertInto('operators').values(operator('op-1')).execute();

    await migrateToLatest(db);
    await migrateToLatest(db);

    expect(await executedMigrations(db)).toEqual(Object.keys(migrations).sort());
    expect(await db.selectFrom('operators').select('id').execute()).toEqual([{ id: 'op-1' }]);
  });
});

describe('storage on PGlite with a data directory', () => {
  it('keeps its data across close and reopen', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'parley-storage-'));
    onTestFinished(() => rm(parent, { recursive: true, force: true }));
    // A directory that does not exist yet, as on a server's first start.
    const dataDir = join(parent, 'data', 'db');

    const first = await openStorage({ kind: 'pglite', dataDir });
    try {
      await first.db.insertInto('operators').values(operator('op-1')).execute();
    } finally {
      await first.close();
    }

    const second = await openStorage({ kind: 'pglite', dataDir });
    try {
      expect(await second.db.selectFrom('operators').selectAll().execute()).toEqual([operator('op-1')]);
      expect(await executedMigrations(second.db)).toEqual(Object.keys(migrations).sort());
    } finally {
      await second.close();
    }
  });
});

describePostgres('storage on PostgreSQL', (server) => {
  it('lets two server instances migrate the same new database at once', async () => {
    const connectionString = await server().createDatabase();
    const opened = await Promise.allSettled([
      openStorage({ kind: 'postgres', connectionString }),
      openStorage({ kind: 'postgres', connectionString }),
    ]);
    onTestFinished(async () => {
      for (const result of opened) if (result.status === 'fulfilled') await result.value.close();
    });

    const [first, second] = [fulfilled(opened[0]), fulfilled(opened[1])];
    expect(await executedMigrations(first.db)).toEqual(Object.keys(migrations).sort());
    await first.db.insertInto('operators').values(operator('op-1')).execute();
    expect(await second.db.selectFrom('operators').select('id').execute()).toEqual([{ id: 'op-1' }]);
  });
});
