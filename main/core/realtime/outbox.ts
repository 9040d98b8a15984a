import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { toParleyErrorData, type ErrorCode, type ParleyErrorData } from '../../../protocol/errors';
import type { Logger } from '../ports';

/** Where entries are kept: the encrypted store when the cache is open, memory otherwise. */
export interface OutboxStorage {
  put(kind: string, id: string, value: unknown): Promise<void>;
  list(kind: string): Promise<{ id: string; value: unknown }[]>;
  delete(kind: string, id: string): Promise<void>;
}

const entrySchema = z.strictObject({
  actionId: z.string(),
  method: z.string(),
  params: z.unknown(),
  createdAt: z.iso.datetime(),
});
export type OutboxEntry = z.infer<typeof entrySchema>;

const kind = 'outbox';

/** Failures where sending again later can succeed; anything else is the server's final word. */
const retryable = new Set<ErrorCode>([
  'unreachable',
  'internal',
  'rate_limited',
  'session_expired',
  'unauthenticated',
]);

let lastStamp = 0;

/**
 * Action ids sort by creation time, so listing the store returns the queue in order, across
 * restarts. The stamp never repeats within a process (two actions in one millisecond still keep
 * their order); the random tail makes ids unique across devices.
 */
export function newActionId(now = Date.now()): string {
  lastStamp = Math.max(now, lastStamp + 1);
  return `${lastStamp.toString(36).padStart(10, '0')}-${randomBytes(8).toString('hex')}`;
}

export interface OutboxOptions {
  storage: OutboxStorage;
  send(entry: OutboxEntry): Promise<unknown>;
  canSend(): boolean;
  onDelivered(entry: OutboxEntry, result: unknown): void;
  onRejected(entry: OutboxEntry, error: ParleyErrorData): void;
  log: Logger;
}

/**
 * Every state-changing operator action goes through here: persisted before it is sent, retried
 * until the server acknowledges it, and sent with its actionId so the server applies it once.
 */
export function createOutbox(options: OutboxOptions) {
  const { storage, log } = options;
  let flushing: Promise<void> | undefined;
  /** Set by every enqueue: a drain that is already running listed the queue before this entry. */
  let queuedDuringFlush = false;

  async function entries(): Promise<OutboxEntry[]> {
    const stored = await storage.list(kind);
    const valid: OutboxEntry[] = [];
    for (const { id, value } of stored) {
      const entry = entrySchema.safeParse(value);
      if (entry.success) valid.push(entry.data);
      else log.warn('dropped an outbox entry that does not parse', { id });
    }
    return valid.sort((a, b) => a.actionId.localeCompare(b.actionId));
  }

  async function drain() {
    for (const entry of await entries()) {
      if (!options.canSend()) return;
      try {
        const result = await options.send(entry);
        await storage.delete(kind, entry.actionId);
        options.onDelivered(entry, result);
      } catch (error) {
        const data = toParleyErrorData(error);
        if (retryable.has(data.code)) return; // keep it, and everything after it, in order
        await storage.delete(kind, entry.actionId);
        log.warn('the server refused an outbox entry', { method: entry.method, code: data.code });
        options.onRejected(entry, data);
      }
    }
  }

  async function drainUntilSettled() {
    do {
      queuedDuringFlush = false;
      await drain();
    } while (queuedDuringFlush && options.canSend());
  }

  /** Never rejects: an entry that could not be sent stays queued for the next flush. */
  function flush(): Promise<void> {
    flushing ??= drainUntilSettled()
      .catch((error: unknown) => log.warn('outbox flush stopped', { error: String(error) }))
      .finally(() => (flushing = undefined));
    return flushing;
  }

  return {
    /** Persists the action, then tries to send it; resolves once it is safely stored. */
    async enqueue(method: string, params: unknown, actionId = newActionId()): Promise<OutboxEntry> {
      const entry: OutboxEntry = { actionId, method, params, createdAt: new Date().toISOString() };
      await storage.put(kind, actionId, entry);
      queuedDuringFlush = true;
      void flush();
      return entry;
    },
    flush,
    pending: entries,
    /** Drops queued actions that can no longer apply, e.g. messages into an erased chat. */
    async discard(match: (entry: OutboxEntry) => boolean): Promise<void> {
      for (const entry of await entries()) {
        if (match(entry)) await storage.delete(kind, entry.actionId);
      }
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;

/** For when the encrypted cache cannot be opened: the queue then lasts only as long as the process. */
export function memoryStorage(): OutboxStorage {
  const records = new Map<string, unknown>();
  return {
    put: (storeKind, id, value) => Promise.resolve(void records.set(`${storeKind}/${id}`, value)),
    list: (storeKind) =>
      Promise.resolve(
        [...records.entries()]
          .filter(([key]) => key.startsWith(`${storeKind}/`))
          .map(([key, value]) => ({ id: key.slice(storeKind.length + 1), value })),
      ),
    delete: (storeKind, id) => Promise.resolve(void records.delete(`${storeKind}/${id}`)),
  };
}
