import { sql } from 'kysely';
import { retentionPolicySchema, type RetentionPolicy } from '../../protocol/operator-socket';
import { recordAudit } from '../audit';
import type { Clock } from '../clock';
import type { ServerContext } from '../context';
import { transactionWithEvents } from '../events';
import { readSecurityPolicy } from '../policy';
import { readSetting, updateSetting } from '../settings';
import type { Db } from '../storage/database';

/** A year for conversations and visitors, two for tickets and the audit log, three for consents. */
export const defaultRetention: RetentionPolicy = {
  chatsDays: 365,
  ticketsDays: 730,
  visitorsDays: 365,
  consentsDays: 1095,
  auditDays: 730,
};

const key = 'retention_policy';

export function readRetention(db: Db): Promise<RetentionPolicy> {
  return readSetting(db, key, retentionPolicySchema, defaultRetention);
}

export function updateRetention(db: Db, clock: Clock, patch: Partial<RetentionPolicy>) {
  return updateSetting(db, clock, key, retentionPolicySchema, defaultRetention, patch, 'retention policy');
}

export type RetentionCategory = 'chats' | 'tickets' | 'visitors' | 'consents' | 'audit';
export type RetentionCounts = Record<RetentionCategory, number>;

export interface RetentionRunOptions {
  /** Rows deleted per statement: short transactions, so chats and logins never wait long. */
  batchSize?: number;
  /** Statements per category and run; what is left waits for the next run. */
  maxBatches?: number;
}

const dayMs = 24 * 60 * 60 * 1000;

/** What one statement deleted: how many rows, and the chats and tickets desktops must drop. */
interface Batch {
  count: number;
  erased?: { chatIds: string[]; ticketIds: string[] };
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

/** One statement's worth of deletions for a category: at most `limit` expired rows. */
async function expiredBatch(
  db: Db,
  category: RetentionCategory,
  cutoff: Date,
  limit: number,
): Promise<Batch> {
  switch (category) {
    case 'chats': {
      // Messages and offers go with their chat; a ticket made from it stays, unlinked.
      const chatIds = ids(
        await db
          .deleteFrom('chats')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('chats')
              .select('id')
              .where('status', '=', 'closed')
              .where('closed_at', '<', cutoff)
              .limit(limit),
          )
          .returning('id')
          .execute(),
      );
      return { count: chatIds.length, erased: { chatIds, ticketIds: [] } };
    }
    case 'tickets': {
      const ticketIds = ids(
        await db
          .deleteFrom('tickets')
          .where('id', 'in', (eb) =>
            eb
              .selectFrom('tickets')
              .select('id')
              .where('status', '=', 'closed')
              .where('created_at', '<', cutoff)
              .limit(limit),
          )
          .returning('id')
          .execute(),
      );
      return { count: ticketIds.length, erased: { chatIds: [], ticketIds } };
    }
    case 'visitors': {
      // A visitor with a chat still open is not gone, however long ago the widget last spoke.
      const result = await db
        .deleteFrom('visitors')
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('visitors')
            .select('id')
            .where('last_seen_at', '<', cutoff)
            .where(({ not, exists, selectFrom }) =>
              not(
                exists(
                  selectFrom('chats')
                    .select('chats.id')
                    .whereRef('chats.visitor_id', '=', 'visitors.id')
                    .where('chats.status', '=', 'open'),
                ),
              ),
            )
            .limit(limit),
        )
        .executeTakeFirst();
      return { count: Number(result.numDeletedRows) };
    }
    case 'consents': {
      const result = await db
        .deleteFrom('consents')
        .where('id', 'in', (eb) =>
          eb.selectFrom('consents').select('id').where('given_at', '<', cutoff).limit(limit),
        )
        .executeTakeFirst();
      return { count: Number(result.numDeletedRows) };
    }
    case 'audit': {
      const result = await db
        .deleteFrom('audit_log')
        .where('id', 'in', (eb) =>
          eb.selectFrom('audit_log').select('id').where('at', '<', cutoff).limit(limit),
        )
        .executeTakeFirst();
      return { count: Number(result.numDeletedRows) };
    }
  }
}

/** A batch and its data.erased event commit together, so every desktop drops what expired. */
function deleteBatch(
  ctx: ServerContext,
  connection: Db,
  category: RetentionCategory,
  cutoff: Date,
  limit: number,
) {
  return transactionWithEvents(
    ctx,
    async (tx, events) => {
      const batch = await expiredBatch(tx.db, category, cutoff, limit);
      if (batch.erased && batch.count > 0) await events.toEveryone('data.erased', batch.erased);
      return batch.count;
    },
    connection,
  );
}

const periodOf: Record<RetentionCategory, keyof RetentionPolicy> = {
  chats: 'chatsDays',
  tickets: 'ticketsDays',
  visitors: 'visitorsDays',
  consents: 'consentsDays',
  audit: 'auditDays',
};

/** Any number that identifies this job among the server's advisory locks. */
const retentionLockKey = 7_362_001;

/**
 * Deletes what has outlived its retention period, in bounded batches. With several instances on
 * one PostgreSQL database only one runs it at a time (an advisory lock held on one connection for
 * the run); the others return undefined. Whatever was deleted is audited with the counts.
 */
export async function runRetention(
  ctx: ServerContext,
  options: RetentionRunOptions = {},
): Promise<RetentionCounts | undefined> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 20;
  return ctx.db.connection().execute(async (db) => {
    const { rows } = await sql<{
      locked: boolean;
    }>`select pg_try_advisory_lock(${retentionLockKey}) as locked`.execute(db);
    if (!rows[0]?.locked) return undefined;
    try {
      const policy = await readRetention(db);
      const now = ctx.clock.now().getTime();
      const counts: RetentionCounts = { chats: 0, tickets: 0, visitors: 0, consents: 0, audit: 0 };
      for (const category of Object.keys(periodOf) as RetentionCategory[]) {
        const cutoff = new Date(now - policy[periodOf[category]] * dayMs);
        for (let batch = 0; batch < maxBatches; batch++) {
          const deleted = await deleteBatch(ctx, db, category, cutoff, batchSize);
          counts[category] += deleted;
          if (deleted < batchSize) break;
        }
      }
      if (Object.values(counts).some((count) => count > 0)) {
        const security = await readSecurityPolicy(db);
        await recordAudit(db, ctx.clock, security.addressPolicy, {
          action: 'retention.deleted',
          details: counts,
        });
      }
      return counts;
    } finally {
      await sql`select pg_advisory_unlock(${retentionLockKey})`.execute(db);
    }
  });
}
