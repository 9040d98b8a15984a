import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Permission } from '../../protocol/roles';
import { renderWorkspace } from '../support/render-app';
import { canned, chat, groups } from './fixtures';

const responses = [
  canned('r1', 'hello', 'Greeting', 'Hello! How can I help you today?'),
  canned('r2', 'thanks', 'Thank you', 'Thank you for contacting us.'),
  canned('r3', 'refund', 'Refund policy', 'Refunds take 5 to 7 working days.', {
    shared: true,
    editable: false,
  }),
  canned('r4', 'hours', 'Opening hours', 'We are here Monday to Friday, 8 to 18.', { shared: true }),
];

async function renderComposer(permissions?: Permission[]) {
  const app = await renderWorkspace(
    { chats: [chat('c1', 'Vera Visitor')], canned: responses, groups },
    permissions ? { permissions } : {},
  );
  const composer = (await screen.findByLabelText('Message to Vera Visitor')) as HTMLTextAreaElement;
  return { ...app, composer };
}

const optionNames = () =>
  within(screen.getByRole('listbox', { name: 'Canned responses' }))
    .getAllByRole('option')
    .map((option) => option.querySelector('.shortcut')?.textContent);

afterEach(() => vi.restoreAllMocks());

describe('canned responses in the composer', () => {
  it('suggests responses after "/" at the start, filtered by shortcut and title as I type', async () => {
    const { composer } = await renderComposer();
    await userEvent.type(composer, '/');
    expect(optionNames()).toEqual(['/hello', '/thanks', '/refund', '/hours']);
    expect(composer.getAttribute('aria-controls')).toBe(screen.getByRole('listbox').id);

    await userEvent.type(composer, 'h');
    // Shortcut prefixes first (mine before shared), then matches elsewhere (the title "Thank you").
    expect(optionNames()).toEqual(['/hello', '/hours', '/thanks']);
    await userEvent.type(composer, 'ours');
    expect(optionNames()).toEqual(['/hours']);
    await userEvent.clear(composer);
    await userEvent.type(composer, '/policy');
    expect(optionNames()).toEqual(['/refund']);
  });

  it('chooses with the arrow keys and inserts with Enter or Tab, without sending', async () => {
    const { composer, argsOf } = await renderComposer();
    await userEvent.type(composer, '/h');
    await userEvent.keyboard('{ArrowDown}');
    const active = within(screen.getByRole('listbox')).getByRole('option', { selected: true });
    expect(active.textContent).toContain('/hours');
    expect(composer.getAttribute('aria-activedescendant')).toBe(active.id);
    await userEvent.keyboard('{Enter}');
    expect(composer.value).toBe('We are here Monday to Friday, 8 to 18.');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(argsOf('chats.send')).toEqual([]);

    await userEvent.clear(composer);
    await userEvent.type(composer, '/tha');
    await userEvent.keyboard('{Tab}');
    expect(composer.value).toBe('Thank you for contacting us.');
    expect(document.activeElement).toBe(composer);
  });

  it('closes the suggestions with Esc and keeps what was typed', async () => {
    const { composer } = await renderComposer();
    await userEvent.type(composer, '/he');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('listbox')).toBeNull();
    expect(composer.value).toBe('/he');
    await userEvent.type(composer, 'l');
    expect(optionNames()).toEqual(['/hello']);
  });

  it('expands an exact /shortcut followed by a space or Tab, also after other words', async () => {
    const { composer } = await renderComposer();
    await userEvent.type(composer, 'Sure. /thanks more');
    expect(composer.value).toBe('Sure. Thank you for contacting us. more');

    await userEvent.clear(composer);
    await userEvent.type(composer, 'Note: /refund');
    await userEvent.keyboard('{Tab}');
    expect(composer.value).toBe('Note: Refunds take 5 to 7 working days.');

    await userEvent.clear(composer);
    await userEvent.type(composer, 'a/hello and /nope ');
    expect(composer.value).toBe('a/hello and /nope ');
  });
});

describe('canned responses manager', () => {
  async function openManager(permissions?: Permission[]) {
    const app = await renderComposer(permissions);
    await userEvent.click(screen.getByRole('button', { name: 'Canned responses' }));
    return { ...app, dialog: screen.getByRole('dialog', { name: 'Canned responses' }) };
  }

  it('searches, creates and edits my own responses', async () => {
    const { dialog, argsOf, composer } = await openManager();
    const list = within(dialog).getByRole('list', { name: 'Your canned responses' });
    await userEvent.type(within(dialog).getByLabelText('Search'), 'refund');
    expect(
      within(list)
        .getAllByRole('button')
        .map((button) => button.textContent),
    ).toEqual(['/refundRefund policySharedRead-only']);
    await userEvent.clear(within(dialog).getByLabelText('Search'));

    await userEvent.click(within(dialog).getByRole('button', { name: 'New response' }));
    expect(within(dialog).queryByLabelText('Share with the whole team')).toBeNull();
    await userEvent.type(within(dialog).getByLabelText('Shortcut'), 'bye');
    await userEvent.type(within(dialog).getByLabelText('Title'), 'Goodbye');
    await userEvent.type(within(dialog).getByLabelText('Text'), 'Have a nice day!');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(argsOf('canned.save')).toEqual([
      { shortcut: 'bye', title: 'Goodbye', text: 'Have a nice day!', shared: false },
    ]);
    expect(await within(list).findByRole('button', { name: /\/bye/ })).toBeTruthy();

    await userEvent.click(within(list).getByRole('button', { name: /\/hello/ }));
    const title = within(dialog).getByLabelText('Title');
    await userEvent.clear(title);
    await userEvent.type(title, 'Welcome');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(argsOf('canned.save').at(-1)).toEqual({
      id: 'r1',
      shortcut: 'hello',
      title: 'Welcome',
      text: 'Hello! How can I help you today?',
      shared: false,
    });

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    // The composer expands the new response at once.
    await userEvent.type(composer, '/bye ');
    expect(composer.value).toBe('Have a nice day! ');
  });

  it('deletes a response after asking', async () => {
    const { dialog, argsOf } = await openManager();
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    await userEvent.click(within(dialog).getByRole('button', { name: /\/thanks/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(argsOf('canned.remove')).toEqual([]);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(confirm).toHaveBeenLastCalledWith('Delete /thanks?');
    expect(argsOf('canned.remove')).toEqual([{ id: 'r2' }]);
    await waitFor(() => expect(within(dialog).queryByRole('button', { name: /\/thanks/ })).toBeNull());
  });

  it('shows responses I may not change read-only', async () => {
    const { dialog } = await openManager();
    await userEvent.click(within(dialog).getByRole('button', { name: /\/refund/ }));
    expect(within(dialog).getByText(/only team leads and admins can change it/)).toBeTruthy();
    expect((within(dialog).getByLabelText('Text') as HTMLTextAreaElement).readOnly).toBe(true);
    expect(within(dialog).queryByRole('button', { name: 'Save' })).toBeNull();
    expect(within(dialog).queryByRole('button', { name: 'Delete' })).toBeNull();
  });

  it('lets those with canned.manageShared share a response with the team', async () => {
    const { dialog, argsOf } = await openManager(['chat.handle', 'canned.manageShared']);
    await userEvent.click(within(dialog).getByRole('button', { name: 'New response' }));
    await userEvent.type(within(dialog).getByLabelText('Shortcut'), 'vat');
    await userEvent.type(within(dialog).getByLabelText('Title'), 'VAT');
    await userEvent.type(within(dialog).getByLabelText('Text'), 'All prices include VAT.');
    await userEvent.click(within(dialog).getByLabelText('Share with the whole team'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect(argsOf('canned.save')).toEqual([
      { shortcut: 'vat', title: 'VAT', text: 'All prices include VAT.', shared: true },
    ]);
  });
});
