import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, type Attention, type AttentionSettings } from '../../protocol/ipc';
import type { QueuedChat } from '../../protocol/operator-socket';
import type { AttentionNotification } from '../../main/core/ports';
import { attentionText, createAttention } from '../../main/core/session/attention';

function bell(settings: Partial<AttentionSettings> = {}) {
  let current: AttentionSettings = { ...defaultSettings.attention, ...settings };
  const rings: Attention[] = [];
  const badges: number[] = [];
  const notifications: AttentionNotification[] = [];
  const attention = createAttention({
    port: {
      notify: (notification) => void notifications.push(notification),
      setBadge: (count) => void badges.push(count),
      onClick: () => () => undefined,
    },
    host: 'browser',
    settings: () => current,
    emit: (event, payload) => {
      if (event === 'attention') rings.push(payload as Attention);
    },
  });
  return {
    attention,
    rings,
    badges,
    notifications,
    change: (next: Partial<AttentionSettings>) => (current = { ...current, ...next }),
  };
}

function waiting(id: string, queuedAt = '2026-11-23T09:00:00.000Z'): QueuedChat {
  return {
    id,
    groupId: 'g1',
    visitorName: `Visitor ${id}`,
    priority: 0,
    queuedAt,
    state: 'waiting',
    offeredTo: null,
  };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('attention', () => {
  it('rings again every repeatSeconds while a chat waits, and stops once someone takes it', () => {
    const { attention, rings, badges } = bell({ repeatSeconds: 15 });
    attention.queueChanged([waiting('c1')]);
    expect(rings).toEqual([
      expect.objectContaining({
        kind: 'new_chat',
        chatId: 'c1',
        body: 'Visitor c1',
        sound: 'chime',
        repeat: false,
      }),
    ]);
    vi.advanceTimersByTime(15_000);
    vi.advanceTimersByTime(15_000);
    expect(rings.map((ring) => ring.repeat)).toEqual([false, true, true]);

    attention.queueChanged([]);
    vi.advanceTimersByTime(60_000);
    expect(rings).toHaveLength(3);
    expect(badges).toEqual([1, 0]);
  });

  it('rings for an unread message until the operator looks at the chat', () => {
    const { attention, rings, badges, notifications } = bell({ repeatSeconds: 30 });
    attention.message('c1', 'Vera Visitor', 'Hello?');
    vi.advanceTimersByTime(30_000);
    expect(rings).toMatchObject([
      { kind: 'new_message', title: 'Vera Visitor', body: 'Hello?', sound: 'tick', repeat: false },
      { kind: 'new_message', repeat: true },
    ]);
    expect(notifications).toHaveLength(2);

    attention.seen('c1');
    vi.advanceTimersByTime(90_000);
    expect(rings).toHaveLength(2);
    expect(badges).toEqual([1, 0]);
  });

  it('tells about a chat once per stay in the queue: a declined offer waiting again is old news', () => {
    const { attention, rings, badges } = bell({ repeatSeconds: 0 });
    attention.queueChanged([{ ...waiting('c1'), state: 'offered', offeredTo: 'me' }]);
    attention.queueChanged([]); // declined
    attention.queueChanged([waiting('c1')]); // and waiting again
    expect(rings).toHaveLength(1);
    attention.queueChanged([waiting('c1', '2026-11-23T09:05:00.000Z')]); // handed over to the group anew
    expect(rings).toHaveLength(2);
    expect(badges).toEqual([1, 0, 1]);
  });

  it('keeps quiet under do not disturb, without repeats, but still counts', () => {
    const { attention, rings, badges, notifications, change } = bell({
      doNotDisturb: true,
      repeatSeconds: 15,
    });
    attention.queueChanged([waiting('c1')]);
    attention.message('c2', 'Vera Visitor', 'Hello?');
    vi.advanceTimersByTime(60_000);
    expect(rings).toMatchObject([
      { kind: 'new_chat', notify: false, sound: 'none' },
      { kind: 'new_message', notify: false, sound: 'none' },
    ]);
    expect(notifications).toEqual([]);
    expect(badges).toEqual([1, 2]);

    change({ doNotDisturb: false });
    vi.advanceTimersByTime(15_000);
    expect(rings.slice(2)).toMatchObject([
      { kind: 'new_chat', notify: true, sound: 'chime', repeat: true },
      { kind: 'new_message', notify: true, sound: 'tick', repeat: true },
    ]);
  });

  it('follows each rule: a notification only where the operator wants one', () => {
    const { attention, rings, notifications } = bell({ newChat: { notify: false, sound: 'bell' } });
    attention.queueChanged([waiting('c1')]);
    expect(rings).toMatchObject([{ notify: false, sound: 'bell' }]);
    expect(notifications).toEqual([]);
  });

  it('forgets unread chats that a snapshot no longer lists', () => {
    const { attention, badges } = bell();
    attention.message('c1', 'Vera Visitor', 'Hello?');
    attention.message('c2', 'Walt Visitor', 'Hi');
    attention.retainChats(new Set(['c2']));
    attention.close();
    expect(badges).toEqual([1, 2, 1, 0]);
  });
});

describe('notification text', () => {
  it('carries the visitor name and at most the first 80 characters of the message, on one line', () => {
    const message = `First line\n\n${'x'.repeat(100)}`;
    expect(attentionText('new_message', 'Vera Visitor', message)).toEqual({
      title: 'Vera Visitor',
      body: `First line ${'x'.repeat(69)}…`,
    });
    expect(attentionText('new_message', 'Vera Visitor', 'Short')).toEqual({
      title: 'Vera Visitor',
      body: 'Short',
    });
    expect(attentionText('new_chat', 'Vera Visitor')).toEqual({ title: 'New chat', body: 'Vera Visitor' });
  });
});
