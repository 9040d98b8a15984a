import { sql } from 'kysely';
import type { ColumnDefinitionBuilder } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Migration, MigrationResult } from 'kysely/migration';
import { defaultMaskingRules } from '../../protocol/masking';
import {
  defaultPrechatFields,
  defaultPrivacyNotice,
  defaultWidgetSettings,
} from '../../protocol/visitor-socket';
import type { Db } from './database';

/*
 * The schema, one migration per step, applied in key order. The same SQL runs on PGlite
 * (PostgreSQL 18 in wasm) and on PostgreSQL 15+, so it sticks to what both support.
 * Migrations that have shipped are never edited: add a new key instead.
 */

const createdAt = (col: ColumnDefinitionBuilder) => col.notNull().defaultTo(sql`now()`);

/** Rows that exist only for one operator go when the operator goes (GDPR erasure is one DELETE). */
const ownedByOperator = (col: ColumnDefinitionBuilder) =>
  col.notNull().references('operators.id').onDelete('cascade');

const oneOf = (column: string, values: readonly string[]) =>
  sql`${sql.ref(column)} in (${sql.join(values.map((value) => sql.lit(value)))})`;

/** Plain indexes named `<table>_<columns>_idx`, the names the shipped migrations already use. */
async function createIndexes(db: Db, indexes: [table: string, columns: string[]][]) {
  for (const [table, columns] of indexes) {
    await db.schema
      .createIndex(`${table}_${columns.join('_')}_idx`)
      .on(table)
      .columns(columns)
      .execute();
  }
}

const auth: Migration = {
  async up(db) {
    await db.schema
      .createTable('operators')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('username', 'text', (col) =>
        col
          .notNull()
          .unique()
          .check(sql`username = lower(username)`),
      )
      .addColumn('display_name', 'text', (col) => col.notNull())
      .addColumn('role', 'text', (col) => col.notNull().check(oneOf('role', ['agent', 'lead', 'admin'])))
      .addColumn('disabled', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('password_hash', 'text', (col) => col.notNull())
      .addColumn('totp_secret', 'text')
      .addColumn('totp_pending_secret', 'text')
      .addColumn('totp_last_step', 'bigint')
      .addColumn('max_concurrent_chats', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(3)
          .check(sql`max_concurrent_chats > 0`),
      )
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .addColumn('created_at', 'timestamptz', createdAt)
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
      .addColumn('last_login_at', 'timestamptz')
      .execute();

    await db.schema
      .createTable('groups')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('archived', 'boolean', (col) => col.notNull().defaultTo(false))
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();

    await db.schema
      .createTable('operator_groups')
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('group_id', 'text', (col) => col.notNull().references('groups.id').onDelete('cascade'))
      .addPrimaryKeyConstraint('operator_groups_pkey', ['operator_id', 'group_id'])
      .execute();

    await db.schema
      .createTable('recovery_codes')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('code_hash', 'text', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('device_id', 'text')
      .addColumn('device_name', 'text')
      .addColumn('address', 'text')
      .addColumn('created_at', 'timestamptz', createdAt)
      .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull())
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('revoked_at', 'timestamptz')
      .addColumn('revoked_reason', 'text')
      .execute();

    await db.schema
      .createTable('login_tickets')
      .addColumn('ticket_hash', 'text', (col) => col.primaryKey())
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('purpose', 'text', (col) =>
        col.notNull().check(oneOf('purpose', ['second_factor', 'enrolment'])),
      )
      .addColumn('device_id', 'text')
      .addColumn('device_name', 'text')
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();

    await db.schema
      .createTable('auth_throttle')
      .addColumn('scope', 'text', (col) => col.notNull().check(oneOf('scope', ['account', 'address'])))
      .addColumn('key', 'text', (col) => col.notNull())
      .addColumn('failures', 'integer', (col) => col.notNull().check(sql`failures >= 0`))
      .addColumn('window_started_at', 'timestamptz', (col) => col.notNull())
      .addColumn('locked_until', 'timestamptz')
      .addPrimaryKeyConstraint('auth_throttle_pkey', ['scope', 'key'])
      .execute();

    await db.schema
      .createTable('ip_rules')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('scope', 'text', (col) =>
        col.notNull().check(oneOf('scope', ['global', 'role', 'operator'])),
      )
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('cidr', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      // Global rules have no subject; role and operator rules must name one.
      .addCheckConstraint('ip_rules_subject_check', sql`(scope = 'global') = (subject = '')`)
      .execute();

    await db.schema
      .createTable('devices')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('name', 'text')
      .addColumn('device_key', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      .addColumn('revoked_at', 'timestamptz')
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (col) => col.primaryKey())
      .addColumn('value', 'jsonb', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
      .execute();

    // No foreign key to operators: the log outlives the accounts it mentions (actor_name keeps who).
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('at', 'timestamptz', (col) => col.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('actor_name', 'text')
      .addColumn('action', 'text', (col) => col.notNull())
      .addColumn('target', 'text')
      .addColumn('address', 'text')
      .addColumn('details', 'jsonb', (col) => col.notNull())
      .execute();

    const indexes: [table: string, columns: string[]][] = [
      ['sessions', ['operator_id']],
      ['recovery_codes', ['operator_id']],
      ['ip_rules', ['scope', 'subject']],
      ['audit_log', ['at']],
      ['audit_log', ['actor_id']],
    ];
    await createIndexes(db, indexes);
  },
};

const eventsAndChats: Migration = {
  async up(db) {
    await db.schema
      .alterTable('sessions')
      .addColumn('last_event_seq', 'bigint', (col) => col.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('operator_events')
      .addColumn('session_id', 'text', (col) => col.notNull().references('sessions.id').onDelete('cascade'))
      .addColumn('seq', 'bigint', (col) => col.notNull())
      .addColumn('event', 'text', (col) => col.notNull())
      .addColumn('payload', 'jsonb', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      .addPrimaryKeyConstraint('operator_events_pkey', ['session_id', 'seq'])
      .execute();

    await db.schema
      .createTable('applied_actions')
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('action_id', 'text', (col) => col.notNull())
      .addColumn('method', 'text', (col) => col.notNull())
      .addColumn('result', 'jsonb', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      .addPrimaryKeyConstraint('applied_actions_pkey', ['operator_id', 'action_id'])
      .execute();

    await db.schema
      .createTable('chats')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('status', 'text', (col) => col.notNull().check(oneOf('status', ['open', 'closed'])))
      // The chat and its transcript stay when the operator goes; only the assignment is lost.
      .addColumn('operator_id', 'text', (col) => col.references('operators.id').onDelete('set null'))
      .addColumn('visitor_name', 'text', (col) => col.notNull())
      .addColumn('created_at', 'timestamptz', createdAt)
      .addColumn('closed_at', 'timestamptz')
      .addCheckConstraint('chats_closed_at_check', sql`(status = 'closed') = (closed_at is not null)`)
      .execute();

    await db.schema
      .createTable('chat_messages')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('chat_id', 'text', (col) => col.notNull().references('chats.id').onDelete('cascade'))
      .addColumn('author_kind', 'text', (col) =>
        col.notNull().check(oneOf('author_kind', ['visitor', 'operator', 'system'])),
      )
      .addColumn('author_id', 'text')
      .addColumn('author_name', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('client_msg_id', 'text')
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();

    // A sender's retry of one message can never store it twice, however the retries race.
    await db.schema
      .createIndex('chat_messages_client_msg_id_key')
      .on('chat_messages')
      .columns(['chat_id', 'client_msg_id'])
      .unique()
      .where(sql.ref('client_msg_id'), 'is not', null)
      .execute();

    const indexes: [table: string, columns: string[]][] = [
      ['chat_messages', ['chat_id', 'id']],
      ['chats', ['operator_id']],
      // The retention sweeps delete by age.
      ['operator_events', ['created_at']],
      ['applied_actions', ['created_at']],
    ];
    await createIndexes(db, indexes);
  },
};

const queues: Migration = {
  async up(db) {
    await db.schema
      .alterTable('groups')
      .addColumn('routing_mode', 'text', (col) =>
        col
          .notNull()
          .defaultTo('automatic')
          .check(oneOf('routing_mode', ['manual', 'automatic'])),
      )
      .addColumn('ring_timeout_seconds', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(30)
          .check(sql`ring_timeout_seconds > 0`),
      )
      .addColumn('default_max_chats', 'integer', (col) =>
        col
          .notNull()
          .defaultTo(3)
          .check(sql`default_max_chats > 0`),
      )
      .execute();

    await db.schema
      .alterTable('operators')
      .addColumn('status', 'text', (col) =>
        col
          .notNull()
          .defaultTo('offline')
          .check(oneOf('status', ['online', 'away', 'busy', 'offline'])),
      )
      .addColumn('accepting_chats', 'boolean', (col) => col.notNull().defaultTo(true))
      .addColumn('status_changed_at', 'timestamptz')
      .execute();

    // Chats that exist already were opened straight onto an operator: they stay assigned.
    await db.schema
      .alterTable('chats')
      .addColumn('group_id', 'text', (col) => col.references('groups.id'))
      .addColumn('queue_state', 'text', (col) =>
        col
          .notNull()
          .defaultTo('assigned')
          .check(oneOf('queue_state', ['waiting', 'offered', 'assigned', 'closed'])),
      )
      .addColumn('offered_to', 'text', (col) => col.references('operators.id').onDelete('set null'))
      .addColumn('offered_at', 'timestamptz')
      .addColumn('priority', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('queued_at', 'timestamptz')
      .addColumn('outcome', 'text', (col) => col.check(oneOf('outcome', ['answered', 'missed', 'abandoned'])))
      .execute();

    await db.schema
      .createTable('chat_offers')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('chat_id', 'text', (col) => col.notNull().references('chats.id').onDelete('cascade'))
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('offered_at', 'timestamptz', (col) => col.notNull())
      .addColumn('outcome', 'text', (col) => col.check(oneOf('outcome', ['accepted', 'missed', 'declined'])))
      .addColumn('decided_at', 'timestamptz')
      // An outcome is only ever set together with the time it was decided.
      .addCheckConstraint('chat_offers_decided_check', sql`outcome is null or decided_at is not null`)
      .execute();

    const indexes: [table: string, columns: string[]][] = [
      ['chats', ['group_id', 'queue_state']],
      ['chats', ['offered_to']],
      ['chat_offers', ['chat_id']],
      ['chat_offers', ['operator_id', 'outcome']],
    ];
    await createIndexes(db, indexes);
  },
};

/** JSON literals for column defaults, from the protocol's own defaults. */
const jsonDefault = (value: unknown) => sql`${sql.lit(JSON.stringify(value))}::jsonb`;

const visitors: Migration = {
  async up(db) {
    await db.schema
      .alterTable('groups')
      .addColumn('privacy_notice', 'jsonb', (col) =>
        col.notNull().defaultTo(jsonDefault(defaultPrivacyNotice)),
      )
      .addColumn('prechat_fields', 'jsonb', (col) =>
        col.notNull().defaultTo(jsonDefault(defaultPrechatFields)),
      )
      .addColumn('widget_settings', 'jsonb', (col) =>
        col.notNull().defaultTo(jsonDefault(defaultWidgetSettings)),
      )
      .execute();

    await db.schema
      .createTable('visitors')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('token_hash', 'text', (col) => col.notNull().unique())
      .addColumn('group_id', 'text', (col) => col.notNull().references('groups.id'))
      .addColumn('language', 'text', (col) => col.notNull())
      /** As the address policy keeps it. */
      .addColumn('address', 'text')
      .addColumn('created_at', 'timestamptz', createdAt)
      .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull())
      .execute();

    await db.schema
      .createTable('consents')
      .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
      .addColumn('visitor_id', 'text', (col) => col.notNull().references('visitors.id').onDelete('cascade'))
      .addColumn('group_id', 'text', (col) => col.notNull().references('groups.id'))
      .addColumn('notice_version', 'text', (col) => col.notNull())
      .addColumn('language', 'text', (col) => col.notNull())
      .addColumn('given_at', 'timestamptz', (col) => col.notNull())
      .execute();

    await db.schema
      .alterTable('chats')
      .addColumn('visitor_id', 'text', (col) => col.references('visitors.id').onDelete('set null'))
      .addColumn('visitor_fields', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('page_url', 'text')
      .addColumn('operator_read_up_to', 'bigint')
      .addColumn('rating', 'integer', (col) => col.check(sql`rating between 1 and 5`))
      .addColumn('rating_comment', 'text')
      .execute();

    // Notes for operators only (a transfer's note, who declined): the visitor's widget never shows them.
    await db.schema
      .alterTable('chat_messages')
      .addColumn('internal', 'boolean', (col) => col.notNull().defaultTo(false))
      .execute();

    await db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('number', 'bigint', (col) => col.notNull().unique().generatedAlwaysAsIdentity())
      .addColumn('subject', 'text', (col) => col.notNull())
      .addColumn('body', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) =>
        col
          .notNull()
          .defaultTo('open')
          .check(oneOf('status', ['open', 'pending', 'closed'])),
      )
      .addColumn('source', 'text', (col) => col.notNull().check(oneOf('source', ['chat', 'offline_form'])))
      .addColumn('group_id', 'text', (col) => col.references('groups.id'))
      .addColumn('chat_id', 'text', (col) => col.unique().references('chats.id').onDelete('set null'))
      .addColumn('visitor_id', 'text', (col) => col.references('visitors.id').onDelete('set null'))
      .addColumn('requester_fields', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
      .addColumn('created_by', 'text', (col) => col.references('operators.id').onDelete('set null'))
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();

    // Ticket numbers are for people: four digits from the start look less like a test system.
    await sql`select setval(pg_get_serial_sequence('tickets', 'number'), 1000)`.execute(db);

    await db.schema
      .createTable('canned_responses')
      .addColumn('id', 'text', (col) => col.primaryKey())
      /** Null: shared with the team. */
      .addColumn('owner_id', 'text', (col) => col.references('operators.id').onDelete('cascade'))
      .addColumn('shortcut', 'text', (col) => col.notNull())
      .addColumn('title', 'text', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'timestamptz', (col) => col.notNull())
      .execute();
    // One shortcut per owner, and one among the shared ones (nulls are distinct in a plain unique index).
    await sql`create unique index canned_responses_shortcut_idx on canned_responses (coalesce(owner_id, ''), shortcut)`.execute(
      db,
    );

    /** Which server instance holds a live socket of which operator: presence across instances. */
    await db.schema
      .createTable('operator_presence')
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('instance_id', 'text', (col) => col.notNull())
      .addColumn('seen_at', 'timestamptz', (col) => col.notNull())
      .addPrimaryKeyConstraint('operator_presence_pkey', ['operator_id', 'instance_id'])
      .execute();

    await createIndexes(db, [
      ['chats', ['visitor_id']],
      ['consents', ['visitor_id']],
      ['tickets', ['visitor_id']],
    ]);
  },
};

const administration: Migration = {
  async up(db) {
    /** One-time set-up codes: a new operator chooses their own password with one. */
    await db.schema
      .createTable('operator_setups')
      .addColumn('token_hash', 'text', (col) => col.primaryKey())
      .addColumn('operator_id', 'text', ownedByOperator)
      .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
      .addColumn('used_at', 'timestamptz')
      .addColumn('created_at', 'timestamptz', createdAt)
      .execute();
    // The audit viewer pages newest first (by id) within an actor or an action.
    await createIndexes(db, [
      ['operator_setups', ['operator_id']],
      ['audit_log', ['action', 'id']],
      ['audit_log', ['actor_id', 'id']],
    ]);

    await db.schema
      .alterTable('groups')
      .addColumn('business_hours', 'jsonb')
      .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
      .execute();
  },
};

const privacy: Migration = {
  async up(db) {
    /** What an erasure removed, as ids only: proof that it happened, and nothing of the person. */
    await db.schema
      .createTable('erasures')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('erased_at', 'timestamptz', (col) => col.notNull())
      .addColumn('erased_by', 'text', (col) => col.references('operators.id').onDelete('set null'))
      .addColumn('record_ids', 'jsonb', (col) => col.notNull())
      .execute();
  },
};

const masking: Migration = {
  async up(db) {
    await db.schema
      .alterTable('groups')
      .addColumn('masking', 'jsonb', (col) => col.notNull().defaultTo(jsonDefault(defaultMaskingRules)))
      .execute();
    // Groups from before the switch allow what visitors could always do: keep their details as given.
    await sql`update groups set prechat_fields = prechat_fields || '{"visitorsMayEdit": true}'::jsonb
      where not prechat_fields ? 'visitorsMayEdit'`.execute(db);
    await db.schema
      .alterTable('groups')
      .alterColumn('prechat_fields', (col) => col.setDefault(jsonDefault(defaultPrechatFields)))
      .execute();
  },
};

export const migrations: Record<string, Migration> = {
  '0001_auth': auth,
  '0002_events_chats': eventsAndChats,
  '0003_queues': queues,
  '0004_visitors_tickets': visitors,
  '0005_administration': administration,
  '0006_privacy': privacy,
  '0007_masking': masking,
};

/**
 * Applies every migration the database has not seen yet. On PostgreSQL, Kysely holds an advisory
 * lock meanwhile, so servers starting together against one database take turns and the later ones
 * find nothing left to do. All pending migrations run in one transaction: a failure leaves the
 * schema as it was.
 */
export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error === undefined) return;
  const failed = results?.find((result: MigrationResult) => result.status === 'Error');
  const step = failed ? `migration ${failed.migrationName}` : 'preparing the migrations';
  const reason = error instanceof Error ? error.message : String(error);
  throw new Error(`Database migration failed at ${step}: ${reason}`, { cause: error });
}
