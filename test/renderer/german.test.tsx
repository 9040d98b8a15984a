import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import { renderWorkspace } from '../support/render-app';
import { chat, colleague, groups, now, offer, queued } from './fixtures';

async function renderGerman() {
  const app = await renderWorkspace(
    {
      chats: [chat('c1', 'Vera Visitor')],
      queue: [queued('q1', 'Walter', 200)],
      offers: [offer(queued('q2', 'Otto', 10), 20)],
      operators: [colleague('o2', 'Bruno Braun', 'away')],
      groups,
    },
    // As the core answers once the operator has chosen German.
    { script: { 'settings.get': () => ({ ...defaultSettings, language: 'de' }) } },
  );
  await screen.findByRole('heading', { name: 'Warteschlange (2)' });
  return app;
}

beforeEach(() => vi.useFakeTimers({ now, toFake: ['Date'] }));
afterEach(() => vi.useRealTimers());

describe('German', () => {
  it('shows the queue, the chat and my status in German', async () => {
    await renderGerman();
    expect(screen.getByRole('region', { name: 'Ihnen angeboten' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Chat mit Walter annehmen' })).toBeTruthy();
    expect(screen.getByTitle('Wartet sehr lange')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Nächsten annehmen' })).toBeTruthy();
    const status = within(screen.getByRole('group', { name: 'Mein Status' }));
    expect(status.getByLabelText('Neue Chats annehmen')).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'Besucher' })).toBeTruthy();
    expect(screen.getByLabelText('Nachricht an Vera Visitor')).toBeTruthy();
  });

  it('shows the transfer dialog in German', async () => {
    await renderGerman();
    await userEvent.click(screen.getByRole('button', { name: 'Weiterleiten' }));
    const dialog = screen.getByRole('dialog', { name: 'Chat mit Vera Visitor weiterleiten' });
    expect(
      within(dialog)
        .getByRole('radio', { name: /Bruno Braun/ })
        .closest('label')?.textContent,
    ).toContain('Abwesend');
    expect(within(dialog).getByLabelText('Notiz für die Übernahme (optional)')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Abbrechen' })).toBeTruthy();
  });
});
