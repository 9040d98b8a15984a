import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import { createOutbox, memoryStorage, newActionId, type OutboxEntry } from '../../main/core/realtime/outbox';
import { recordingLogger } from '../support/logger';

function outboxWith(send: (entry: OutboxEntry) => Promise<unknown>, canSend = () => true) {
  const delivered: string[] = [];
  const rejected: string[] = [];
  const outbox = createOutbox({
    storage: memoryStorage(),
    canSend,
    send,
    onDelivered: (entry) => delivered.push(entry.actionId),
    onRejected: (entry, error) => rejected.push(`${entry.actionId}:${error.code}`),
    log: recordingLogger().log,
  });
  return { outbox, delivered, rejected };
}

describe('outbox', () => {
  it('sends entries queued while a flush is already running, in order', async () => {
    const sent: string[] = [];
    const { outbox } = outboxWith(async (entry) => {
      sent.push((entry.params as { text: string }).text);
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
    for (let index = 0; index < 20; index++) await outbox.enqueue('chat.send', { text: `m${index}` });
    await outbox.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sent).toEqual(Array.from({ length: 20 }, (_, index) => `m${index}`));
    expect(await outbox.pending()).toEqual([]);
  });

  it('keeps entries (and their order) while the server is unreachable, and drops refused ones with a report', async () => {
    let reachable = false;
    const { outbox, delivered, rejected } = outboxWith(async (entry) => {
      if (!reachable) throw new ParleyError('unreachable', 'offline');
      if ((entry.params as { text: string }).text === 'bad') throw new ParleyError('forbidden', 'no');
      return { ok: true };
    });
    const first = await outbox.enqueue('chat.send', { text: 'first' });
    const bad = await outbox.enqueue('chat.send', { text: 'bad' });
    const last = await outbox.enqueue('chat.send', { text: 'last' });
    await outbox.flush();
    expect((await outbox.pending()).map((entry) => entry.actionId)).toEqual([
      first.actionId,
      bad.actionId,
      last.actionId,
    ]);
    reachable = true;
    await outbox.flush();
    expect(delivered).toEqual([first.actionId, last.actionId]);
    expect(rejected).toEqual([`${bad.actionId}:forbidden`]);
    expect(await outbox.pending()).toEqual([]);
  });

  it('makes action ids that sort by creation time, even within one millisecond', () => {
    const sameMillisecond = Array.from({ length: 50 }, () => newActionId(1_800_000_000_000));
    const ids = [...sameMillisecond, newActionId(1_800_000_000_001), newActionId(1_900_000_000_000)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
