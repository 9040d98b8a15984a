import { sql } from 'kysely';
import { z } from 'zod';
import type { ServerContext } from './context';
import { instanceIdOf } from './instance';
import type { Db } from './storage/database';

/*
 * Signals: live-only notes between server instances, unlike events never stored. They either say
 * "look again" (a visitor's chat or a queue changed: the visitor socket re-reads what it shows from
 * the database, so a lost signal costs freshness, never data) or carry something worth nothing a
 * moment later (typing). Within a transaction they go out on commit, like events.
 */

export const signalSchema = z.discriminatedUnion('kind', [
  /** A visitor's chat changed: its visitor sockets re-read it (only its new messages, when that is all). */
  z.strictObject({ kind: z.literal('chat'), chatId: z.string(), messagesOnly: z.boolean().optional() }),
  /** A group's queue changed: waiting visitors' positions may have moved. */
  z.strictObject({ kind: z.literal('queue'), groupId: z.string() }),
  /** To the operator's sockets: the visitor of their chat is typing. */
  z.strictObject({
    kind: z.literal('visitor.typing'),
    operatorId: z.string(),
    chatId: z.string(),
    typing: z.boolean(),
  }),
  /** To the chat's visitor sockets: the operator is typing. */
  z.strictObject({
    kind: z.literal('operator.typing'),
    chatId: z.string(),
    name: z.string(),
    typing: z.boolean(),
  }),
]);
export type Signal = z.infer<typeof signalSchema>;

type SignalListener = (signal: Signal) => void;

export const signalsChannel = 'parley_signals';
/** NOTIFY payloads must stay under 8,000 bytes; a signal is a few ids. */
const signalsPerNotify = 40;

const listenersByDb = new WeakMap<Db, Set<SignalListener>>();

function listenersOf(db: Db): Set<SignalListener> {
  let listeners = listenersByDb.get(db);
  if (!listeners) listenersByDb.set(db, (listeners = new Set()));
  return listeners;
}

export function onSignal(db: Db, listener: SignalListener): () => void {
  const listeners = listenersOf(db);
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function deliverSignalsLocally(ctx: ServerContext, signals: readonly Signal[]): void {
  for (const signal of signals) {
    for (const listener of listenersOf(ctx.db)) {
      try {
        listener(signal);
      } catch (error) {
        ctx.log.error('signal delivery failed', { error: String(error) });
      }
    }
  }
}

/** NOTIFYs other instances; inside a transaction PostgreSQL sends it on commit, or never. */
export async function announceSignals(db: Db, instance: string, signals: readonly Signal[]): Promise<void> {
  const unique = [...new Map(signals.map((signal) => [JSON.stringify(signal), signal])).values()];
  for (let start = 0; start < unique.length; start += signalsPerNotify) {
    const batch = unique.slice(start, start + signalsPerNotify);
    await sql`select pg_notify(${signalsChannel}, ${JSON.stringify({ instance, signals: batch })})`.execute(
      db,
    );
  }
}

/** Sends signals now, outside any transaction (typing). */
export async function sendSignals(ctx: ServerContext, signals: readonly Signal[]): Promise<void> {
  deliverSignalsLocally(ctx, signals);
  if (!ctx.singleInstance) await announceSignals(ctx.db, instanceIdOf(ctx.db), signals);
}

const announcementSchema = z.strictObject({
  instance: z.string(),
  signals: z.array(signalSchema).max(signalsPerNotify),
});

/** Handles one NOTIFY payload: signals from other instances reach this instance's sockets. */
export function receiveSignals(ctx: ServerContext, payload: string): void {
  let parsed: z.infer<typeof announcementSchema>;
  try {
    parsed = announcementSchema.parse(JSON.parse(payload));
  } catch {
    ctx.log.warn('ignored a malformed signal announcement');
    return;
  }
  if (parsed.instance === instanceIdOf(ctx.db)) return;
  deliverSignalsLocally(ctx, parsed.signals);
}
