import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEncryptedStore, type CacheIssue } from '../../../main/core/cache/encrypted-store';
import { sealRecordFile } from '../../../main/core/cache/record-file';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openTestStore(dir = tempDir(), dataKey = randomBytes(32)) {
  const issues: CacheIssue[] = [];
  const store = openEncryptedStore(dir, dataKey, { onIssue: (issue) => issues.push(issue) });
  return { store, issues, dir, dataKey };
}

function recordPath(dir: string, kind: string, id: string) {
  return join(dir, kind, `${createHash('sha256').update(id).digest('hex')}.rec`);
}

function tempDir() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-cache-'));
  dirs.push(dir);
  return dir;
}

/** Every file under dir, as full paths. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

function flipByte(file: string, position: number) {
  const bytes = readFileSync(file);
  bytes.writeUInt8(bytes.readUInt8(position) ^ 0x01, position);
  writeFileSync(file, bytes);
}

/** Puts one record and returns the path of the single file it created. */
async function putAndFindFile(
  test: ReturnType<typeof openTestStore>,
  kind: string,
  id: string,
  value: unknown,
) {
  const before = new Set(filesUnder(test.dir));
  await test.store.put(kind, id, value);
  const created = filesUnder(test.dir).filter((file) => !before.has(file));
  expect(created).toHaveLength(1);
  return created[0] ?? '';
}

describe('encrypted cache store', () => {
  it('reads back what was put, and nothing for an id never put', async () => {
    const { store } = openTestStore();
    const chat = { visitor: 'Ada', messages: [{ from: 'visitor', text: 'Hello' }], unread: 2 };

    await store.put('chats', 'chat-1', chat);

    expect(await store.get('chats', 'chat-1')).toEqual(chat);
    expect(await store.get('chats', 'chat-2')).toBeUndefined();
    expect(await store.get('outbox', 'chat-1')).toBeUndefined();
  });

  it('replaces a record that is put again', async () => {
    const { store } = openTestStore();
    await store.put('chats', 'chat-1', { unread: 1 });
    await store.put('chats', 'chat-1', { unread: 5 });

    expect(await store.get('chats', 'chat-1')).toEqual({ unread: 5 });
    expect(await store.list('chats')).toHaveLength(1);
  });

  it('keeps every one of many concurrent puts to one record intact, the last one winning', async () => {
    const { store, issues } = openTestStore();
    const values = Array.from({ length: 25 }, (_, index) => ({
      version: index,
      padding: 'x'.repeat(25 - index),
    }));

    await Promise.all(values.map((value) => store.put('outbox', 'action-1', value)));

    expect(await store.get('outbox', 'action-1')).toEqual(values.at(-1));
    expect(issues).toEqual([]);
  });

  it('never writes values or ids in plain text', async () => {
    const { store, dir } = openTestStore();
    const secret = 'Visitor says: my IBAN is DE89 3704 0044 0532 0130 00';
    const id = 'chat-with-a-memorable-id';

    await store.put('chats', id, { text: secret });
    await store.put('outbox', id, { reply: secret });

    const files = filesUnder(dir);
    expect(files).toHaveLength(2);
    for (const file of files) {
      expect(file).not.toContain(id);
      const bytes = readFileSync(file);
      expect(bytes.includes(secret)).toBe(false);
      expect(bytes.includes('DE89')).toBe(false);
      expect(bytes.includes(id)).toBe(false);
    }
  });

  it.each([
    ['iv', () => 4],
    ['ciphertext', (length: number) => length >> 1],
    ['tag', (length: number) => length - 1],
  ])(
    'drops a record with one flipped %s byte, reports it as tampered, and keeps the others',
    async (_part, position) => {
      const test = openTestStore();
      const file = await putAndFindFile(test, 'outbox', 'action-1', { send: 'first reply' });
      await test.store.put('outbox', 'action-2', { send: 'second reply' });
      await test.store.put('chats', 'chat-1', { unread: 1 });
      flipByte(file, position(readFileSync(file).length));

      expect(await test.store.get('outbox', 'action-1')).toBeUndefined();

      expect(test.issues).toEqual([{ kind: 'outbox', file, reason: 'tampered' }]);
      expect(filesUnder(test.dir)).not.toContain(file);
      expect(await test.store.get('outbox', 'action-2')).toEqual({ send: 'second reply' });
      expect(await test.store.list('outbox')).toEqual([{ id: 'action-2', value: { send: 'second reply' } }]);
      expect(await test.store.get('chats', 'chat-1')).toEqual({ unread: 1 });
    },
  );

  it('drops a tampered record met while listing, returning the rest', async () => {
    const test = openTestStore();
    await test.store.put('outbox', 'action-1', { send: 'first' });
    const file = await putAndFindFile(test, 'outbox', 'action-2', { send: 'second' });
    await test.store.put('outbox', 'action-3', { send: 'third' });
    flipByte(file, 20);

    expect(await test.store.list('outbox')).toEqual([
      { id: 'action-1', value: { send: 'first' } },
      { id: 'action-3', value: { send: 'third' } },
    ]);
    expect(test.issues).toEqual([{ kind: 'outbox', file, reason: 'tampered' }]);
    expect(filesUnder(test.dir)).not.toContain(file);
  });

  it.each([
    ['cut short', (file: string) => truncateSync(file, 20)],
    ['emptied', (file: string) => truncateSync(file, 0)],
    [
      'without the magic',
      (file: string) =>
        writeFileSync(file, Buffer.concat([Buffer.from('XXXX'), readFileSync(file).subarray(4)])),
    ],
  ])('reports a record file %s as truncated, via get and via list', async (_label, damage) => {
    const test = openTestStore();
    const first = await putAndFindFile(test, 'chats', 'chat-1', { unread: 1 });
    const second = await putAndFindFile(test, 'chats', 'chat-2', { unread: 2 });
    damage(first);
    damage(second);

    expect(await test.store.get('chats', 'chat-1')).toBeUndefined();
    expect(await test.store.list('chats')).toEqual([]);

    expect(test.issues).toEqual([
      { kind: 'chats', file: first, reason: 'truncated' },
      { kind: 'chats', file: second, reason: 'truncated' },
    ]);
    expect(filesUnder(test.dir)).toEqual([]);
  });

  it("reads a record as tampered when another record's file was copied over it", async () => {
    const test = openTestStore();
    const fileA = await putAndFindFile(test, 'chats', 'chat-a', { owner: 'operator A' });
    const fileB = await putAndFindFile(test, 'chats', 'chat-b', { owner: 'operator B' });
    copyFileSync(fileA, fileB);

    expect(await test.store.get('chats', 'chat-b')).toBeUndefined();
    expect(test.issues).toEqual([{ kind: 'chats', file: fileB, reason: 'tampered' }]);
    expect(await test.store.get('chats', 'chat-a')).toEqual({ owner: 'operator A' });
  });

  it("does not list a copy of another record's file under a new name", async () => {
    const test = openTestStore();
    const fileA = await putAndFindFile(test, 'chats', 'chat-a', { owner: 'operator A' });
    const fileB = await putAndFindFile(test, 'chats', 'chat-b', { owner: 'operator B' });
    copyFileSync(fileA, fileB);

    expect(await test.store.list('chats')).toEqual([{ id: 'chat-a', value: { owner: 'operator A' } }]);
    expect(test.issues).toEqual([{ kind: 'chats', file: fileB, reason: 'tampered' }]);
  });

  it('reads a record file moved into another kind as tampered', async () => {
    const test = openTestStore();
    const chatFile = await putAndFindFile(test, 'chats', 'shared-id', { kind: 'chat' });
    const outboxFile = chatFile.replace(`${join(test.dir, 'chats')}`, join(test.dir, 'outbox'));
    mkdirSync(join(test.dir, 'outbox'));
    copyFileSync(chatFile, outboxFile);

    expect(await test.store.get('outbox', 'shared-id')).toBeUndefined();
    expect(test.issues).toEqual([{ kind: 'outbox', file: outboxFile, reason: 'tampered' }]);
    expect(await test.store.get('chats', 'shared-id')).toEqual({ kind: 'chat' });
  });

  it('reports a record that decrypts to something other than a record as unreadable, and drops it', async () => {
    const test = openTestStore();
    await test.store.put('chats', 'chat-2', { unread: 2 });
    const file = recordPath(test.dir, 'chats', 'chat-1');
    writeFileSync(
      file,
      sealRecordFile(test.dataKey, 'chats', 'chat-1', Buffer.from('{"id": "chat-1", "val')),
    );

    expect(await test.store.get('chats', 'chat-1')).toBeUndefined();
    expect(test.issues).toEqual([{ kind: 'chats', file, reason: 'unreadable' }]);
    expect(filesUnder(test.dir)).not.toContain(file);
    expect(await test.store.get('chats', 'chat-2')).toEqual({ unread: 2 });
  });

  it('reports a record the disk cannot read as unreadable but leaves it in place', async () => {
    const test = openTestStore();
    await test.store.put('outbox', 'action-2', { send: 'still here' });
    const path = recordPath(test.dir, 'outbox', 'action-1');
    mkdirSync(path);

    expect(await test.store.get('outbox', 'action-1')).toBeUndefined();
    expect(test.issues).toEqual([{ kind: 'outbox', file: path, reason: 'unreadable' }]);
    expect(existsSync(path)).toBe(true);
    expect(await test.store.list('outbox')).toEqual([{ id: 'action-2', value: { send: 'still here' } }]);
  });

  it('reports every record as tampered when opened with another data key', async () => {
    const dir = tempDir();
    const writer = openTestStore(dir);
    await writer.store.put('chats', 'chat-1', { unread: 1 });
    await writer.store.put('chats', 'chat-2', { unread: 2 });
    await writer.store.put('queue', 'snapshot', { waiting: 3 });

    const reader = openTestStore(dir);

    expect(await reader.store.get('queue', 'snapshot')).toBeUndefined();
    expect(await reader.store.list('chats')).toEqual([]);
    expect(reader.issues.map((issue) => issue.reason)).toEqual(['tampered', 'tampered', 'tampered']);
    expect(filesUnder(dir)).toEqual([]);
  });

  it('lists the records of one kind in id order', async () => {
    const { store } = openTestStore();
    for (const id of ['b', 'c', 'a', 'B']) await store.put('chats', id, { id });
    await store.put('outbox', 'z', 'other kind');

    expect(await store.list('chats')).toEqual([
      { id: 'B', value: { id: 'B' } },
      { id: 'a', value: { id: 'a' } },
      { id: 'b', value: { id: 'b' } },
      { id: 'c', value: { id: 'c' } },
    ]);
    expect(await store.list('never-used')).toEqual([]);
  });

  it('deletes a record', async () => {
    const { store, dir } = openTestStore();
    await store.put('outbox', 'action-1', { send: 'hi' });
    await store.put('outbox', 'action-2', { send: 'there' });

    await store.delete('outbox', 'action-1');
    await store.delete('outbox', 'never-put');

    expect(await store.get('outbox', 'action-1')).toBeUndefined();
    expect(await store.list('outbox')).toEqual([{ id: 'action-2', value: { send: 'there' } }]);
    expect(filesUnder(dir)).toHaveLength(1);
  });

  it('purges exactly the records that have expired, across kinds', async () => {
    const { store } = openTestStore();
    const now = new Date('2025-06-01T12:00:00.000Z');
    await store.put('chats', 'expired-yesterday', 1, new Date('2025-05-31T12:00:00.000Z'));
    await store.put('chats', 'expires-right-now', 2, now);
    await store.put('chats', 'expires-tomorrow', 3, new Date('2025-06-02T12:00:00.000Z'));
    await store.put('chats', 'never-expires', 4);
    await store.put('queue', 'old-snapshot', 5, new Date('2025-01-01T00:00:00.000Z'));

    expect(await store.purgeExpired(now)).toBe(3);

    expect(await store.list('chats')).toEqual([
      { id: 'expires-tomorrow', value: 3 },
      { id: 'never-expires', value: 4 },
    ]);
    expect(await store.list('queue')).toEqual([]);
    expect(await store.purgeExpired(now)).toBe(0);
  });

  it('wipes every record of every kind', async () => {
    const { store, dir } = openTestStore();
    await store.put('chats', 'chat-1', 1);
    await store.put('outbox', 'action-1', 2);
    await store.put('queue', 'snapshot', 3);

    await store.wipe();

    expect(filesUnder(dir)).toEqual([]);
    expect(await store.list('chats')).toEqual([]);
    expect(await store.get('outbox', 'action-1')).toBeUndefined();
  });

  it('leaves files that are not its own in place when wiping', async () => {
    const { store, dir } = openTestStore();
    await store.put('chats', 'chat-1', 1);
    writeFileSync(join(dir, 'chats', 'notes.txt'), 'not a record');

    await store.wipe();

    expect(filesUnder(dir)).toEqual([join(dir, 'chats', 'notes.txt')]);
  });

  it('after lock, rejects every call as cache_unavailable and has zeroed the key it was given', async () => {
    const { store, dataKey } = openTestStore();
    await store.put('chats', 'chat-1', { unread: 1 });

    store.lock();

    expect(dataKey.equals(Buffer.alloc(32))).toBe(true);
    const locked = { name: 'ParleyError', code: 'cache_unavailable', message: 'The cache is locked.' };
    await expect(store.put('chats', 'chat-2', {})).rejects.toMatchObject(locked);
    await expect(store.get('chats', 'chat-1')).rejects.toMatchObject(locked);
    await expect(store.list('chats')).rejects.toMatchObject(locked);
    await expect(store.delete('chats', 'chat-1')).rejects.toMatchObject(locked);
    await expect(store.purgeExpired(new Date())).rejects.toMatchObject(locked);
    await expect(store.wipe()).rejects.toMatchObject(locked);
  });

  it('fails a read caught mid-way by lock as locked, without discarding the record', async () => {
    const test = openTestStore();
    const file = await putAndFindFile(test, 'outbox', 'action-1', { send: 'do not lose me' });

    const reading = test.store.get('outbox', 'action-1');
    // One turn of the event loop: the read has started but cannot have finished (open, stat, read, close).
    await new Promise((resolve) => setImmediate(resolve));
    test.store.lock();

    await expect(reading).rejects.toMatchObject({ code: 'cache_unavailable' });
    expect(test.issues).toEqual([]);
    expect(filesUnder(test.dir)).toEqual([file]);
  });

  it('refuses kinds that could escape the cache folder', async () => {
    const { store } = openTestStore();

    await expect(store.put('../escape', 'id', 1)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.list('Chats')).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('refuses a data key that is not 256 bits', () => {
    expect(() => openEncryptedStore(tempDir(), randomBytes(16), { onIssue: () => undefined })).toThrow(
      expect.objectContaining({ code: 'cache_unavailable' }),
    );
  });
});
