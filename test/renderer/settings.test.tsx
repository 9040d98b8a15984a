import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import { renderWorkspace } from '../support/render-app';

afterEach(() => vi.unstubAllGlobals());

async function openSettings() {
  const app = await renderWorkspace();
  await userEvent.click(screen.getByRole('button', { name: 'Settings' }));
  return { ...app, dialog: screen.getByRole('dialog', { name: 'Settings' }) };
}

describe('settings', () => {
  it('sets notification, sound and repeat per event, and do not disturb', async () => {
    const { dialog, store } = await openSettings();
    const newChats = within(dialog).getByRole('group', { name: 'New chats' });
    const newMessages = within(dialog).getByRole('group', { name: 'New messages' });

    await userEvent.click(within(newChats).getByLabelText('Show a notification'));
    await userEvent.selectOptions(within(newMessages).getByLabelText('Sound'), 'bell');
    await userEvent.selectOptions(within(dialog).getByLabelText('Ring again'), '60');
    await userEvent.click(within(dialog).getByLabelText('Do not disturb'));
    await userEvent.selectOptions(within(dialog).getByLabelText('Set me away after'), '10');

    expect(store.get('settings')).toEqual({
      ...defaultSettings,
      autoAwayMinutes: 10,
      attention: {
        newChat: { notify: false, sound: 'chime' },
        newMessage: { notify: true, sound: 'bell' },
        repeatSeconds: 60,
        doNotDisturb: true,
      },
    });
    expect((within(newChats).getByLabelText('Show a notification') as HTMLInputElement).checked).toBe(false);
  });

  it('previews a sound, and cannot play "none"', async () => {
    const started: number[] = [];
    vi.stubGlobal(
      'AudioContext',
      class {
        state = 'running';
        currentTime = 0;
        destination = {};
        createOscillator() {
          const oscillator = {
            type: 'sine',
            frequency: { value: 0 },
            connect: (node: unknown) => node,
            start: () => started.push(oscillator.frequency.value),
            stop: () => undefined,
          };
          return oscillator;
        }
        createGain() {
          const param = { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined };
          return { gain: param, connect: (node: unknown) => node };
        }
      },
    );
    const { dialog } = await openSettings();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Play the sound for New chats' }));
    expect(started.length).toBeGreaterThan(0);
    const newMessages = within(dialog).getByRole('group', { name: 'New messages' });
    await userEvent.selectOptions(within(newMessages).getByLabelText('Sound'), 'none');
    expect(
      (within(dialog).getByRole('button', { name: 'Play the sound for New messages' }) as HTMLButtonElement)
        .disabled,
    ).toBe(true);
  });

  it('keeps appearance settings, and closes with Esc returning focus', async () => {
    const { dialog } = await openSettings();
    await userEvent.selectOptions(within(dialog).getByLabelText('Theme'), 'dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Settings' }));
  });
});
