import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Attention } from '../../protocol/ipc';
import { renderWorkspace } from '../support/render-app';
import { chat, groups, queued } from './fixtures';

/** A web Notification double: records what was shown; permission as the test sets it. */
class FakeNotification {
  static permission: NotificationPermission = 'granted';
  static shown: FakeNotification[] = [];
  static requestPermission = vi.fn(async () => {
    FakeNotification.permission = 'granted';
    return FakeNotification.permission;
  });
  onclick: (() => void) | null = null;
  close = vi.fn();
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this);
  }
}

/** Web Audio double: counts the tones started. */
class FakeAudioContext {
  static tones: number[] = [];
  state = 'running';
  currentTime = 0;
  destination = {};
  createOscillator() {
    const oscillator = {
      type: 'sine',
      frequency: { value: 0 },
      connect: (node: unknown) => node,
      start: () => FakeAudioContext.tones.push(oscillator.frequency.value),
      stop: () => undefined,
    };
    return oscillator;
  }
  createGain() {
    const param = { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined };
    return { gain: param, connect: (node: unknown) => node };
  }
}

function attention(overrides: Partial<Attention>): Attention {
  return {
    kind: 'new_message',
    chatId: 'c2',
    title: 'Otto Other',
    body: 'Is anyone there?',
    notify: true,
    sound: 'tick',
    repeat: false,
    ...overrides,
  };
}

beforeEach(() => {
  FakeNotification.permission = 'granted';
  FakeNotification.shown = [];
  FakeNotification.requestPermission.mockClear();
  FakeAudioContext.tones = [];
  vi.stubGlobal('Notification', FakeNotification);
  vi.stubGlobal('AudioContext', FakeAudioContext);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const workspace = { chats: [chat('c1', 'Vera Visitor'), chat('c2', 'Otto Other')], groups };

describe('attention', () => {
  it('puts the badge count in the window title', async () => {
    const { emit } = await renderWorkspace(workspace);
    act(() => emit('badge', { count: 3 }));
    expect(document.title).toBe('(3) Parley');
    act(() => emit('badge', { count: 0 }));
    expect(document.title).toBe('Parley');
  });

  it('plays the sound and shows a notification that opens the chat when clicked', async () => {
    const focus = vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const { emit } = await renderWorkspace(workspace);
    await screen.findByRole('tab', { name: 'Otto Other' });
    act(() => emit('attention', attention({})));
    expect(FakeAudioContext.tones.length).toBeGreaterThan(0);
    expect(FakeNotification.shown).toHaveLength(1);
    const [shown] = FakeNotification.shown;
    expect(shown?.title).toBe('Otto Other');
    expect(shown?.options.body).toBe('Is anyone there?');

    act(() => shown?.onclick?.());
    expect(focus).toHaveBeenCalled();
    expect(screen.getByRole('tab', { name: 'Otto Other' }).getAttribute('aria-selected')).toBe('true');
  });

  it('brings the chat of a clicked native notification to the front, or the queue for a new chat', async () => {
    const { emit } = await renderWorkspace({ ...workspace, queue: [queued('q1', 'Walter', 5)] });
    const otto = await screen.findByRole('tab', { name: 'Otto Other' });
    expect(otto.getAttribute('aria-selected')).toBe('false');
    act(() => emit('chats.reveal', { chatId: 'c2' }));
    expect(otto.getAttribute('aria-selected')).toBe('true');

    act(() => emit('chats.reveal', { chatId: 'q1' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept chat with Walter' }));
  });

  it('stays silent for sound "none" and shows no notification when notify is off', async () => {
    const { emit } = await renderWorkspace(workspace);
    act(() => emit('attention', attention({ sound: 'none', notify: false })));
    expect(FakeAudioContext.tones).toEqual([]);
    expect(FakeNotification.shown).toEqual([]);
  });

  it('takes the operator to the queue when a new chat notification is clicked', async () => {
    vi.spyOn(window, 'focus').mockImplementation(() => undefined);
    const { emit } = await renderWorkspace({ ...workspace, queue: [queued('q1', 'Walter', 5)] });
    act(() =>
      emit('attention', attention({ kind: 'new_chat', chatId: 'q1', title: 'New chat', sound: 'chime' })),
    );
    act(() => FakeNotification.shown[0]?.onclick?.());
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept chat with Walter' }));
  });

  it('asks for notification permission only when the operator clicks to allow it', async () => {
    FakeNotification.permission = 'default';
    await renderWorkspace(workspace);
    const prompt = await screen.findByRole('region', { name: 'Desktop notifications' });
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Allow notifications' }));
    expect(FakeNotification.requestPermission).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(prompt.isConnected).toBe(false));
  });

  it('lets the operator put the question off', async () => {
    FakeNotification.permission = 'default';
    await renderWorkspace(workspace);
    await userEvent.click(await screen.findByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).toBeNull();
    expect(FakeNotification.requestPermission).not.toHaveBeenCalled();
  });

  it('works without Web Audio or notifications at all', async () => {
    vi.stubGlobal('AudioContext', undefined);
    vi.stubGlobal('Notification', undefined);
    const { emit } = await renderWorkspace(workspace);
    act(() => emit('attention', attention({})));
    expect(screen.queryByRole('region', { name: 'Desktop notifications' })).toBeNull();
  });
});
