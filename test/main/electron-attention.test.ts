import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import { createAttention } from '../../main/core/session/attention';
import { createElectronPlatform } from '../../main/platform/electron';
import { BrowserWindow, electronDouble } from '../support/electron';

const { state } = electronDouble;

beforeEach(() => {
  electronDouble.reset();
  electronDouble.userDataDir = mkdtempSync(join(tmpdir(), 'parley-electron-'));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

describe('Electron attention port', () => {
  it('shows one silent notification per chat and brings the window back when it is clicked', () => {
    const window = new BrowserWindow({});
    window.minimized = true;
    const { attention } = createElectronPlatform();

    attention.notify({ title: 'New chat', body: 'Vera Visitor', chatId: 'c1' });
    attention.notify({ title: 'Vera Visitor', body: 'Hello?', chatId: 'c1' });
    attention.notify({ title: 'New chat', body: 'Walt Visitor', chatId: 'c2' });
    const [replaced, latest, other] = state.notifications;
    // Silent: the page plays the sound the operator chose.
    expect(latest?.options).toEqual({ title: 'Vera Visitor', body: 'Hello?', silent: true });
    expect(state.notifications.map((shown) => [shown.shown, shown.closed])).toEqual([
      [true, true],
      [true, false],
      [true, false],
    ]);
    expect(replaced?.options.body).toBe('Vera Visitor');
    expect(other?.options.body).toBe('Walt Visitor');

    latest?.emit('click');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
  });

  it('brings the chat of a clicked notification to the front of the page', () => {
    new BrowserWindow({});
    const { attention: port } = createElectronPlatform();
    const revealed: unknown[] = [];
    const attention = createAttention({
      port,
      host: 'electron',
      settings: () => defaultSettings.attention,
      emit: (event, payload) => {
        if (event === 'chats.reveal') revealed.push(payload);
      },
    });
    attention.message('c1', 'Vera Visitor', 'Hello?');

    state.notifications[0]?.emit('click');
    expect(revealed).toEqual([{ chatId: 'c1' }]);

    // Signed out: a notification left on screen still brings the window back, but no chat.
    attention.message('c2', 'Walt Visitor', 'Anyone?');
    attention.close();
    state.notifications[1]?.emit('click');
    expect(revealed).toEqual([{ chatId: 'c1' }]);
  });

  it('shows nothing where the system has no notifications, and sets the dock badge', () => {
    state.notificationsSupported = false;
    const { attention } = createElectronPlatform();
    attention.notify({ title: 'New chat', body: 'Vera Visitor', chatId: 'c1' });
    attention.setBadge(3);
    expect(state.notifications).toEqual([]);
    expect(state.badgeCount).toBe(3);
  });
});
