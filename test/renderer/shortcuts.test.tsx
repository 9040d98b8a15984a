import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWorkspace } from '../support/render-app';
import { chat, groups } from './fixtures';

describe('keyboard shortcuts', () => {
  it('opens the shortcut list with "?" and closes it with Esc', async () => {
    await renderWorkspace({ chats: [chat('c1', 'Vera Visitor')], groups });
    await userEvent.keyboard('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const rows = within(dialog)
      .getAllByRole('row')
      .map((row) => row.textContent);
    expect(rows).toContain('Ctrl+Shift+AAccept the next waiting chat');
    expect(rows).toContain('Ctrl+Shift+EEnd the current chat (asks first)');
    expect(rows).toContain('Alt+↓Next chat');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('types "?" into the composer instead of opening the list', async () => {
    await renderWorkspace({ chats: [chat('c1', 'Vera Visitor')], groups });
    const composer = (await screen.findByLabelText('Message to Vera Visitor')) as HTMLTextAreaElement;
    await userEvent.type(composer, 'Any questions?');
    expect(composer.value).toBe('Any questions?');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('moves focus to the composer and to the queue', async () => {
    await renderWorkspace({ chats: [chat('c1', 'Vera Visitor')], groups });
    const composer = await screen.findByLabelText('Message to Vera Visitor');
    await userEvent.keyboard('{Control>}{Shift>}2{/Shift}{/Control}');
    expect(document.activeElement).toBe(composer);
    await userEvent.keyboard('{Control>}{Shift>}1{/Shift}{/Control}');
    // An empty queue: focus lands on its heading.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Queue (0)' }));
  });

  it('opens the list from the header button too, keeping Tab inside the dialog', async () => {
    await renderWorkspace();
    await userEvent.click(screen.getByRole('button', { name: 'Keyboard shortcuts' }));
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const close = within(dialog).getByRole('button', { name: 'Close' });
    expect(document.activeElement).toBe(close);
    await userEvent.tab();
    expect(document.activeElement).toBe(close);
  });
});
