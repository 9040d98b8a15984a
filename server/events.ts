import { sql } from 'kysely';
import { z } from 'zod';
import type { OperatorEvent, OperatorEventPayload, ServerFrame } from '../protocol/operator-socket';
import type { ServerContext } from './context';
import { instanceIdOf } from './instance';
import { announceSignals, deliverSignalsLocally, type Signal } from './signals';
import type { Db } from './storage/database';

/*
 * Durable per-session events. An event is stored under its session's next seq before anyone sees
 * it, so a client that was away can ask for what it missed. Seqs are allocated by incrementing
 * sessions.last_event_seq, which holds the session's row lock until the transaction ends: seqs
 * commit in order and a rolled-back event gives its seq back, so a session's stored seqs have no
 * holes. Once seq n has been delivered, every seq below it is committed and can be read.
 */

export interface StoredEvent {
  sessionId: string;
  seq: number;
  event: string;
  payload: unknown;
}

/** How long events are kept for replay; a client that was away longer fetches a snapshot. */
const eventRetentionMs = 24 * 60 * 60_000;

type StoredEventsListener = (events: readonly StoredEvent[]) => void;

/**
 * Live delivery after commit, per server instance (keyed by its database handle, so two instances
 * in one process stay as separate as two processes). Other instances hear of committed events
 * through PostgreSQL's NOTIFY, see `announce` and `listenAcrossInstances`.
 */
const listenersByDb = new WeakMap<Db, Set<StoredEventsListener>>();

function listenersOf(db: Db): Set<StoredEventsListener> {
  let listeners = listenersByDb.get(db);
  if (!listeners) listenersByDb.set(db, (listeners = new Set()));
  return listeners;
}

/** The socket server listens here for committed events. Returns the function that stops listening. */
export function onEventsStored(db: Db, listener: StoredEventsListener): () => void {
  const listeners = listenersOf(db);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function deliverLocally(ctx: ServerContext, events: readonly StoredEvent[]) {
  for (const listener of listenersOf(ctx.db)) {
    try {
      listener(events);
    } catch (error) {
      // The change has committed; a delivery failure must not report it as failed (and invite a retry).
      ctx.log.error('live event delivery failed', { error: String(error) });
    }
  }
}

export const eventsChannel = 'parley_events';
/** NOTIFY payloads are limited to 8,000 bytes; announcements are split well below that. */
const announcementPairs = 100;

/**
 * Tells other server instances which events this transaction stored. NOTIFY is transactional: it
 * is sent on commit and dropped on rollback, exactly like the events themselves.
 */
async function announce(trx: Db, instance: string, stored: readonly StoredEvent[]) {
  for (let start = 0; start < stored.length; start += announcementPairs) {
    const pairs = stored.slice(start, start + announcementPairs).map((event) => [event.sessionId, event.seq]);
    await sql`select pg_notify(${eventsChannel}, ${JSON.stringify({ instance, pairs })})`.execute(trx);
  }
}

const announcementSchema = z.strictObject({
  instance: z.string(),
  pairs: z.array(z.tuple([z.string(), z.number().int().positive()])).max(announcementPairs),
});

/** Handles one NOTIFY payload from any instance: events stored elsewhere are read and delivered here. */
export async function receiveAnnouncement(ctx: ServerContext, payload: string): Promise<void> {
  let parsed: z.infer<typeof announcementSchema>;
  try {
    parsed = announcementSchema.parse(JSON.parse(payload));
  } catch {
    ctx.log.warn('ignored a malformed event announcement');
    return;
  }
  if (parsed.instance === instanceIdOf(ctx.db) || parsed.pairs.length === 0) return;
  const rows = await ctx.db
    .selectFrom('operator_events')
    .select(['session_id', 'seq', 'event', 'payload'])
    .where((where) =>
      where.or(
        parsed.pairs.map(([sessionId, seq]) =>
          where.and([where('session_id', '=', sessionId), where('seq', '=', String(seq))]),
        ),
      ),
    )
    .execute();
  const events = rows
    .map((row) => ({
      sessionId: row.session_id,
      seq: Number(row.seq),
      event: row.event,
      payload: row.payload,
    }))
    .sort((a, b) => a.seq - b.seq);
  deliverLocally(ctx, events);
}

export interface EventWriter {
  /** Stores the event under the session's next seq; undefined when there is no such session. */
  toSession<E extends OperatorEvent>(
    sessionId: string,
    event: E,
    payload: OperatorEventPayload<E>,
  ): Promise<StoredEvent | undefined>;
  /** Stores the event for every live (not revoked, not expired) session of the operator. */
  toOperator<E extends OperatorEvent>(
    operatorId: string,
    event: E,
    payload: OperatorEventPayload<E>,
  ): Promise<StoredEvent[]>;
  /** Stores the event for every live session of every operator. */
  toEveryone<E extends OperatorEvent>(event: E, payload: OperatorEventPayload<E>): Promise<StoredEvent[]>;
  /** Sends a live-only signal (see signals.ts) once the transaction commits. */
  signal(signal: Signal): void;
}

/**
 * Runs `work` in one transaction with the events it writes, and hands those events to live
 * connections only after the commit: a change never commits without its events, and no one sees
 * an event whose change was rolled back. `work` must use `tx`, not the outer ctx.db (on PGlite the
 * transaction holds the only connection). `connection` is for callers that already hold one of the
 * pool's connections (the retention job, for its advisory lock); delivery still goes by ctx.db.
 */
export async function transactionWithEvents<T>(
  ctx: ServerContext,
  work: (tx: ServerContext, events: EventWriter) => Promise<T>,
  connection: Db = ctx.db,
): Promise<T> {
  const stored: StoredEvent[] = [];
  const signals: Signal[] = [];
  const result = await connection.transaction().execute(async (trx) => {
    const now = ctx.clock.now();
    const toSession: EventWriter['toSession'] = async (sessionId, event, payload) => {
      const session = await trx
        .updateTable('sessions')
        .set({ last_event_seq: sql<string>`last_event_seq + 1` })
        .where('id', '=', sessionId)
        .returning('last_event_seq')
        .executeTakeFirst();
      if (!session) return undefined;
      const seq = Number(session.last_event_seq);
      await trx
        .insertInto('operator_events')
        .values({ session_id: sessionId, seq, event, payload: JSON.stringify(payload), created_at: now })
        .execute();
      const written = { sessionId, seq, event, payload };
      stored.push(written);
      return written;
    };
    const toLiveSessions = async <E extends OperatorEvent>(
      operatorId: string | undefined,
      event: E,
      payload: OperatorEventPayload<E>,
    ) => {
      let query = trx
        .selectFrom('sessions')
        .select('id')
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', now)
        // One lock order for every writer, so two transactions never wait on each other's sessions.
        .orderBy('id');
      if (operatorId !== undefined) query = query.where('operator_id', '=', operatorId);
      const written: StoredEvent[] = [];
      for (const session of await query.execute()) {
        const one = await toSession(session.id, event, payload);
        if (one) written.push(one);
      }
      return written;
    };
    const writer: EventWriter = {
      toSession,
      toOperator: (operatorId, event, payload) => toLiveSessions(operatorId, event, payload),
      toEveryone: (event, payload) => toLiveSessions(undefined, event, payload),
      signal: (signal) => void signals.push(signal),
    };
    const outcome = await work({ ...ctx, db: trx }, writer);
    if (!ctx.singleInstance) {
      if (stored.length > 0) await announce(trx, instanceIdOf(ctx.db), stored);
      if (signals.length > 0) await announceSignals(trx, instanceIdOf(ctx.db), signals);
    }
    return outcome;
  });
  deliverLocally(ctx, stored);
  deliverSignalsLocally(ctx, signals);
  return result;
}

export function publishToSession<E extends OperatorEvent>(
  ctx: ServerContext,
  sessionId: string,
  event: E,
  payload: OperatorEventPayload<E>,
): Promise<StoredEvent | undefined> {
  return transactionWithEvents(ctx, (_tx, events) => events.toSession(sessionId, event, payload));
}

export function publishToOperator<E extends OperatorEvent>(
  ctx: ServerContext,
  operatorId: string,
  event: E,
  payload: OperatorEventPayload<E>,
): Promise<StoredEvent[]> {
  return transactionWithEvents(ctx, (_tx, events) => events.toOperator(operatorId, event, payload));
}

/** The session's stored events after `afterSeq`, oldest first. */
export async function eventsAfter(
  ctx: ServerContext,
  sessionId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await ctx.db
    .selectFrom('operator_events')
    .select(['seq', 'event', 'payload'])
    .where('session_id', '=', sessionId)
    .where('seq', '>', String(afterSeq))
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ sessionId, seq: Number(row.seq), event: row.event, payload: row.payload }));
}

/** The seq of the last event stored for the session (0 when none or no such session). */
export async function lastEventSeq(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select('last_event_seq')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  return Number(row?.last_event_seq ?? 0);
}

/** What a replay can draw on: the session's last seq and its oldest retained event, read together. */
async function replayWindow(
  ctx: ServerContext,
  sessionId: string,
): Promise<{ lastSeq: number; oldestSeq: number | undefined }> {
  const row = await ctx.db
    .selectFrom('sessions')
    .select((eb) => [
      'last_event_seq',
      eb
        .selectFrom('operator_events')
        .whereRef('operator_events.session_id', '=', 'sessions.id')
        .select((inner) => inner.fn.min('operator_events.seq').as('oldest'))
        .as('oldest_seq'),
    ])
    .where('id', '=', sessionId)
    .executeTakeFirstOrThrow();
  const oldest = row.oldest_seq;
  return {
    lastSeq: Number(row.last_event_seq),
    oldestSeq: oldest === null || oldest === undefined ? undefined : Number(oldest),
  };
}

/** Forgets events past retention; a client that needed them gets snapshot_required. */
export async function trimEvents(ctx: ServerContext, now: Date): Promise<void> {
  await ctx.db
    .deleteFrom('operator_events')
    .where('created_at', '<', new Date(now.getTime() - eventRetentionMs))
    .execute();
}

type StreamFrame = Extract<ServerFrame, { type: 'event' | 'resumed' | 'snapshot_required' }>;

export interface EventStreamOutput {
  send(frame: StreamFrame): void;
  /** The stream cannot go on in order (the database failed, or events were trimmed mid-replay). */
  fail(error: unknown): void;
}

/**
 * How long a new connection holds live events for a hello that may still be on its way: an event
 * sent before a resuming client's hello would arrive ahead of the replay it asks for.
 */
const helloGraceMs = 1_000;

/** Events per database read when replaying or filling a hole. */
const replayPageSize = 500;

export type EventStream = ReturnType<typeof createEventStream>;

/**
 * One connection's events: each seq at most once, in order, without holes. Live events that
 * cannot be sent in order yet (during a replay, or when deliveries of concurrent commits arrive
 * out of order) wait in `pending`, and what is missing comes from the table.
 */
export function createEventStream(ctx: ServerContext, sessionId: string, output: EventStreamOutput) {
  /**
   * opening: the welcome (and its seq) is not out yet. holding: waiting for the client's hello.
   * busy: one pump replays or fills a hole; live events wait. live: events go out as they arrive.
   */
  let state: 'opening' | 'holding' | 'busy' | 'live' | 'stopped' = 'opening';
  /** The client has every event up to here (sent by this stream, or by its own account). */
  let sentSeq = 0;
  /** This stream sent every event in (firstSeq, sentSeq]; what came before only hello can tell. */
  let firstSeq = 0;
  let pending: StoredEvent[] = [];
  let resumeAfter: number | undefined;
  let released = false;
  let holdTimer: NodeJS.Timeout | undefined;
  const waiters: { seq: number; then: () => void }[] = [];

  function advanceTo(seq: number) {
    sentSeq = seq;
    for (const waiter of waiters.filter((candidate) => candidate.seq <= sentSeq)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.then();
    }
  }

  function sendEvent(event: StoredEvent) {
    output.send({ type: 'event', seq: event.seq, event: event.event, payload: event.payload });
    advanceTo(event.seq);
  }

  /** Sends events read from the table; a hole there means they were trimmed under us. */
  function sendStored(events: StoredEvent[]) {
    for (const event of events) {
      if (event.seq <= sentSeq) continue;
      if (event.seq !== sentSeq + 1) throw new Error(`event ${sentSeq + 1} of the session is gone`);
      sendEvent(event);
    }
  }

  function sendPendingInOrder() {
    pending.sort((a, b) => a.seq - b.seq);
    const waiting: StoredEvent[] = [];
    for (const event of pending) {
      if (event.seq <= sentSeq) continue;
      if (waiting.length === 0 && event.seq === sentSeq + 1) sendEvent(event);
      else waiting.push(event);
    }
    pending = waiting;
  }

  /**
   * Where a replay for a client holding every event up to lastSeq starts; undefined when the
   * events it lacks can no longer come in order because this stream already sent later ones.
   */
  function replayStart(lastSeq: number): number | undefined {
    if (lastSeq >= firstSeq) return Math.max(lastSeq, sentSeq);
    return sentSeq === firstSeq ? lastSeq : undefined;
  }

  async function replay(lastSeq: number) {
    const window = await replayWindow(ctx, sessionId);
    const from = replayStart(lastSeq);
    const replayable =
      from !== undefined &&
      from <= window.lastSeq &&
      (from === window.lastSeq || (window.oldestSeq !== undefined && window.oldestSeq <= from + 1));
    if (!replayable) {
      // The client is ahead of the server (a restored backup) or its events are gone: only a
      // snapshot helps. Live events carry on after the current seq.
      const seq = Math.max(sentSeq, window.lastSeq);
      firstSeq = seq;
      output.send({ type: 'snapshot_required', seq });
      advanceTo(seq);
      return;
    }
    firstSeq = Math.min(firstSeq, from);
    advanceTo(from);
    for (;;) {
      const page = await eventsAfter(ctx, sessionId, sentSeq, replayPageSize);
      if (state === 'stopped') return;
      sendStored(page);
      if (page.length < replayPageSize) break;
    }
    output.send({ type: 'resumed', seq: sentSeq });
  }

  async function fillHole() {
    const events = await eventsAfter(ctx, sessionId, sentSeq, replayPageSize);
    if (events.length === 0) throw new Error(`event ${sentSeq + 1} of the session is gone`);
    sendStored(events);
  }

  async function pump() {
    try {
      for (;;) {
        if (state !== 'busy') return;
        if (resumeAfter !== undefined) {
          const lastSeq = resumeAfter;
          resumeAfter = undefined;
          await replay(lastSeq);
          continue;
        }
        sendPendingInOrder();
        if (pending.length === 0) {
          state = 'live';
          return;
        }
        await fillHole();
      }
    } catch (error) {
      stop();
      output.fail(error);
    }
  }

  function wake() {
    if (state !== 'holding' && state !== 'live') return;
    clearTimeout(holdTimer);
    state = 'busy';
    void pump();
  }

  function release() {
    released = true;
    if (state === 'holding') wake();
  }

  function stop() {
    state = 'stopped';
    clearTimeout(holdTimer);
    pending = [];
    waiters.length = 0;
  }

  return {
    /** The welcome carrying `welcomeSeq` is out; the stream starts after it. */
    start(welcomeSeq: number) {
      if (state !== 'opening') return;
      firstSeq = welcomeSeq;
      advanceTo(welcomeSeq);
      state = 'holding';
      if (released || resumeAfter !== undefined) return wake();
      holdTimer = setTimeout(release, helloGraceMs);
      holdTimer.unref();
    },
    deliver(event: StoredEvent) {
      if (state === 'stopped' || (state !== 'opening' && event.seq <= sentSeq)) return;
      if (state === 'live' && event.seq === sentSeq + 1) return sendEvent(event);
      pending.push(event);
      if (state === 'live') wake();
    },
    /** The client's hello with lastSeq: replay what it lacks, then `resumed` (or `snapshot_required`). */
    resume(lastSeq: number) {
      resumeAfter = lastSeq;
      wake();
    },
    /** No replay is coming (hello without lastSeq, a first request, the session ending): go live. */
    release,
    /** Calls `then` once the event with this seq has been sent (or skipped by a snapshot). */
    afterSent(seq: number, then: () => void) {
      if (state !== 'opening' && sentSeq >= seq) then();
      else waiters.push({ seq, then });
    },
    stop,
  };
}
