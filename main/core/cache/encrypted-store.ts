import { createHash } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { ParleyError } from '../../../protocol/errors';
import { openRecordFile, peekRecordFile, sealRecordFile } from './record-file';

/**
 * Cached chats, the queue snapshot and the outbox, one encrypted file per record:
 * `<dir>/<kind>/<sha256hex(id)>.rec`, so ids never appear on disk. See record-file.ts for the bytes.
 */

export interface CacheIssue {
  kind: string;
  file: string;
  reason: 'tampered' | 'truncated' | 'unreadable';
}

export interface EncryptedStore {
  put(kind: string, id: string, value: unknown, expiresAt?: Date): Promise<void>;
  /** undefined when absent; a damaged record is deleted, reported via onIssue, and read as absent. */
  get(kind: string, id: string): Promise<unknown>;
  /** All readable records of a kind (order: by id). Damaged ones are deleted and reported. */
  list(kind: string): Promise<{ id: string; value: unknown }[]>;
  delete(kind: string, id: string): Promise<void>;
  /** Deletes records whose expiresAt <= now; returns how many. */
  purgeExpired(now: Date): Promise<number>;
  /** Deletes every record of every kind (logout with "forget this device", or a replaced data key). */
  wipe(): Promise<void>;
  /** Drops the key from memory; any later call throws ParleyError('cache_unavailable', 'The cache is locked.'). */
  lock(): void;
}

const kindPattern = /^[a-z][a-z0-9-]{0,40}$/;
const recordFileName = /^([0-9a-f]{64})\.rec$/;
const ownFileName = /^[0-9a-f]{64}\.rec(\.tmp)?$/;
const dataKeyLength = 32;

const cachedRecordSchema = z.object({
  id: z.string(),
  value: z.unknown(),
  expiresAt: z.iso.datetime().nullable(),
});
type CachedRecord = z.infer<typeof cachedRecordSchema>;

type Decoded = { ok: true; record: CachedRecord } | { ok: false; reason: CacheIssue['reason'] };
type Decoder = (key: Buffer, bytes: Buffer) => Decoded;

/**
 * The caller hands over ownership of `dataKey`: lock() zero-fills that very Buffer, so it must not be
 * kept or reused elsewhere.
 */
export function openEncryptedStore(
  dir: string,
  dataKey: Buffer,
  options: { onIssue(issue: CacheIssue): void },
): EncryptedStore {
  if (dataKey.length !== dataKeyLength) {
    throw new ParleyError('cache_unavailable', 'The cache key has the wrong length.');
  }
  let key: Buffer | undefined = dataKey;
  const queue = createRecordQueue();

  /**
   * Called again right before every encryption or decryption, with no await in between: an operation
   * that was waiting on the disk while lock() zero-filled the key must fail as locked, not seal with
   * (or reject good records under) an all-zero key.
   */
  function requireKey(): Buffer {
    if (key === undefined) throw new ParleyError('cache_unavailable', 'The cache is locked.');
    return key;
  }

  function kindFolder(kind: string): string {
    if (!kindPattern.test(kind)) throw new ParleyError('invalid_request', 'Invalid cache kind.');
    return join(dir, kind);
  }

  function recordFile(kind: string, id: string): string {
    return join(kindFolder(kind), `${sha256Hex(id)}.rec`);
  }

  /** Reads one record; a damaged one is reported, deleted and read as absent. */
  async function load(kind: string, file: string, decode: Decoder): Promise<CachedRecord | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if (isMissing(error)) return undefined;
      // The bytes may well be intact behind a passing I/O problem (too many open files, say):
      // deleting them could lose the outbox, so the file stays.
      options.onIssue({ kind, file, reason: 'unreadable' });
      return undefined;
    }
    const decoded = decode(requireKey(), bytes);
    if (decoded.ok) return decoded.record;
    options.onIssue({ kind, file, reason: decoded.reason });
    // Already reported; a file that cannot be removed is reported again on the next read.
    await rm(file, { force: true }).catch(() => undefined);
    return undefined;
  }

  /** Every record file of a kind, with the decoder that learns its id from the file itself. */
  async function recordsOf(kind: string): Promise<{ file: string; decode: Decoder }[]> {
    const folder = kindFolder(kind);
    const names = await emptyWhenMissing(readdir(folder));
    return names.flatMap((name) => {
      const stem = recordFileName.exec(name)?.[1];
      if (stem === undefined) return [];
      return [
        {
          file: join(folder, name),
          decode: (key: Buffer, bytes: Buffer) => decodeListed(key, kind, stem, bytes),
        },
      ];
    });
  }

  async function kinds(): Promise<string[]> {
    const entries = await emptyWhenMissing(readdir(dir, { withFileTypes: true }));
    return entries
      .filter((entry) => entry.isDirectory() && kindPattern.test(entry.name))
      .map((entry) => entry.name);
  }

  async function removeOwnFiles(kind: string): Promise<void> {
    const folder = kindFolder(kind);
    const names = (await emptyWhenMissing(readdir(folder))).filter((name) => ownFileName.test(name));
    await Promise.all(names.map((name) => rm(join(folder, name), { force: true })));
    // A folder still holding something that is not ours stays.
    await rmdir(folder).catch(() => undefined);
  }

  return {
    async put(kind, id, value, expiresAt) {
      requireKey();
      const file = recordFile(kind, id);
      const record: CachedRecord = { id, value, expiresAt: expiresAt?.toISOString() ?? null };
      const plaintext = Buffer.from(JSON.stringify(record), 'utf8');
      await queue.run(file, async () => {
        await mkdir(dirname(file), { recursive: true, mode: 0o700 });
        await writeAtomically(file, sealRecordFile(requireKey(), kind, id, plaintext));
      });
    },

    async get(kind, id) {
      requireKey();
      const file = recordFile(kind, id);
      const record = await queue.run(file, () =>
        load(kind, file, (key, bytes) => decodeRecord(key, kind, id, bytes)),
      );
      return record?.value;
    },

    async list(kind) {
      requireKey();
      const found: CachedRecord[] = [];
      // One file at a time: reading thousands at once would run out of file handles.
      for (const { file, decode } of await recordsOf(kind)) {
        const record = await queue.run(file, () => load(kind, file, decode));
        if (record !== undefined) found.push(record);
      }
      return found.sort((a, b) => compareIds(a.id, b.id)).map(({ id, value }) => ({ id, value }));
    },

    async delete(kind, id) {
      requireKey();
      const file = recordFile(kind, id);
      await queue.run(file, () => rm(file, { force: true }));
    },

    async purgeExpired(now) {
      requireKey();
      let purged = 0;
      for (const kind of await kinds()) {
        for (const { file, decode } of await recordsOf(kind)) {
          const expired = await queue.run(file, async () => {
            const record = await load(kind, file, decode);
            if (record?.expiresAt == null || Date.parse(record.expiresAt) > now.getTime()) return false;
            await rm(file, { force: true });
            return true;
          });
          if (expired) purged += 1;
        }
      }
      return purged;
    },

    async wipe() {
      requireKey();
      // A put still in flight would otherwise land after the wipe.
      await queue.settled();
      await Promise.all((await kinds()).map(removeOwnFiles));
    },

    lock() {
      key?.fill(0);
      key = undefined;
    },
  };
}

function decodeRecord(key: Buffer, kind: string, id: string, bytes: Buffer): Decoded {
  const opened = openRecordFile(key, kind, id, bytes);
  if (!opened.ok) return opened;
  const record = parseRecord(opened.plaintext);
  return record === undefined ? { ok: false, reason: 'unreadable' } : { ok: true, record };
}

/** Listing knows only the file name, a hash; the id for the associated data comes from the file. */
function decodeListed(key: Buffer, kind: string, stem: string, bytes: Buffer): Decoded {
  const peeked = peekRecordFile(key, bytes);
  if (!peeked.ok) return peeked;
  const claimedId = parseRecord(peeked.plaintext)?.id;
  // An id that does not hash to this file's name means the file was copied here from another record.
  if (claimedId === undefined || sha256Hex(claimedId) !== stem) return { ok: false, reason: 'tampered' };
  return decodeRecord(key, kind, claimedId, bytes);
}

function parseRecord(plaintext: Buffer): CachedRecord | undefined {
  try {
    const parsed = cachedRecordSchema.safeParse(JSON.parse(plaintext.toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Write, fsync, rename: a crash leaves either the old record or the new one, never half of one. */
async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const temporary = `${file}.tmp`;
  try {
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Runs the operations on one record file one after another, in call order. Two puts sharing
 * `<file>.tmp` would otherwise interleave their bytes, and a read that found a damaged file could
 * delete the good one a concurrent put had just renamed into place.
 */
function createRecordQueue() {
  const tails = new Map<string, Promise<void>>();

  function run<T>(file: string, operation: () => Promise<T>): Promise<T> {
    const result = (tails.get(file) ?? Promise.resolve()).then(operation);
    const tail = result.then(ignore, ignore);
    tails.set(file, tail);
    void tail.then(() => {
      if (tails.get(file) === tail) tails.delete(file);
    });
    return result;
  }

  async function settled(): Promise<void> {
    await Promise.all(tails.values());
  }

  return { run, settled };
}

function ignore(): void {}

/** A folder that does not exist yet holds no records. */
async function emptyWhenMissing<T>(listing: Promise<T[]>): Promise<T[]> {
  try {
    return await listing;
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Code-unit order, the same on every machine (localeCompare would follow the OS locale). */
function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
