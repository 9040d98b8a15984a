import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { ChatMessage, ChatSummary } from '../../protocol/operator-socket';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { renderWorkspace } from '../support/render-app';
import { chat, colleague, groups, message } from './fixtures';

const operators = [
  colleague('o1', 'Anna Berg', 'online'), // me: never a transfer target
  colleague('o2', 'Bruno Braun', 'online'),
  colleague('o3', 'Cleo Crane', 'away'),
  colleague('o4', 'Dirk Dorn', 'offline'),
];

async function renderChat(script: Partial<IpcHandlers> = {}) {
  const app = await renderWorkspace(
    {
      chats: [chat('c1', 'Vera Visitor', [message('c1', '1', 'visitor', 'Hi')]), chat('c2', 'Otto Other')],
      operators,
      groups,
    },
    { script },
  );
  await screen.findByRole('log', { name: 'Conversation with Vera Visitor' });
  return app;
}

async function openTransfer() {
  await userEvent.click(screen.getByRole('button', { name: 'Transfer' }));
  return screen.getByRole('dialog', { name: 'Transfer the chat with Vera Visitor' });
}

describe('transfer', () => {
  it('lists colleagues with their status, offline ones disabled, and sends operator and note', async () => {
    const { argsOf } = await renderChat();
    const dialog = await openTransfer();
    const colleagues = within(dialog).getByRole('group', { name: 'To a colleague' });
    expect(
      within(colleagues)
        .getAllByRole('radio')
        .map((radio) => radio.closest('label')?.textContent),
    ).toEqual(['Bruno BraunOnline', 'Cleo CraneAway · not taking new chats', 'Dirk DornOffline']);
    expect((within(dialog).getByRole('radio', { name: /Dirk Dorn/ }) as HTMLInputElement).disabled).toBe(
      true,
    );
    expect((within(dialog).getByRole('button', { name: 'Transfer' }) as HTMLButtonElement).disabled).toBe(
      true,
    );

    await userEvent.click(within(dialog).getByRole('radio', { name: /Bruno Braun/ }));
    await userEvent.type(
      within(dialog).getByLabelText('Note for the colleague (optional)'),
      '  Wants a refund  ',
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Transfer' }));
    expect(argsOf('chats.transfer')).toEqual([
      { chatId: 'c1', to: { operatorId: 'o2' }, note: 'Wants a refund' },
    ]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByRole('tab', { name: 'Vera Visitor' })).toBeNull();
  });

  it('sends a group without a note when none is written', async () => {
    const { argsOf } = await renderChat();
    const dialog = await openTransfer();
    const groupChoice = within(dialog).getByRole('group', { name: 'To a group’s queue' });
    expect(within(groupChoice).getByRole('radio', { name: /Sales/ }).closest('label')?.textContent).toBe(
      'Sales(current)',
    );
    await userEvent.click(within(groupChoice).getByRole('radio', { name: /Billing/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Transfer' }));
    expect(argsOf('chats.transfer')).toEqual([{ chatId: 'c1', to: { groupId: 'g2' } }]);
  });

  it('keeps the dialog open with the reason when the transfer fails', async () => {
    await renderChat({
      'chats.transfer': () => {
        throw new ParleyError('conflict', 'Bruno Braun cannot take chats right now.');
      },
    });
    const dialog = await openTransfer();
    await userEvent.click(within(dialog).getByRole('radio', { name: /Bruno Braun/ }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Transfer' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Bruno Braun cannot take chats right now.',
    );
    expect(screen.getByRole('dialog')).toBe(dialog);
  });
});

describe('end chat', () => {
  it('asks first, ends only on confirmation, and then the chat shows as ended', async () => {
    const { argsOf } = await renderChat();
    await userEvent.click(screen.getByRole('button', { name: 'End chat' }));
    let dialog = screen.getByRole('dialog', { name: 'End the chat with Vera Visitor?' });
    // The safe choice has focus, so a stray Enter does not end the chat.
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    await userEvent.keyboard('{Enter}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(argsOf('chats.end')).toEqual([]);

    await userEvent.keyboard('{Control>}{Shift>}E{/Shift}{/Control}');
    dialog = screen.getByRole('dialog', { name: 'End the chat with Vera Visitor?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'End chat' }));
    expect(argsOf('chats.end')).toEqual([{ chatId: 'c1' }]);
    expect(await screen.findByText('This chat has ended.')).toBeTruthy();
    expect(screen.queryByLabelText('Message to Vera Visitor')).toBeNull();
    expect(screen.getByRole('tab', { name: /Vera Visitor/ }).textContent).toContain('Ended');
    expect(screen.queryByRole('button', { name: 'End chat' })).toBeNull();
  });
});

describe('ended chat', () => {
  const ended = (id: string, visitorName: string, messages: ChatMessage[] = []): ChatSummary => ({
    ...chat(id, visitorName, messages),
    status: 'closed',
  });

  it('stays, marked ended, with only a ticket to make, until the operator closes its tab', async () => {
    const { argsOf } = await renderWorkspace({
      chats: [
        ended('c1', 'Vera Visitor', [
          message('c1', '1', 'visitor', 'Thanks, bye'),
          message('c1', '2', 'system', 'The visitor left the chat.'),
        ]),
        chat('c2', 'Otto Other'),
      ],
      operators,
      groups,
    });
    const log = await screen.findByRole('log', { name: 'Conversation with Vera Visitor' });
    expect(log.textContent).toContain('The visitor left the chat.');
    expect(screen.getByRole('tab', { name: /Vera Visitor/ }).textContent).toContain('Ended');
    expect(screen.getByText('This chat has ended.')).toBeTruthy();
    expect(screen.queryByLabelText('Message to Vera Visitor')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Transfer' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'End chat' })).toBeNull();
    await userEvent.keyboard('{Control>}{Shift>}E{/Shift}{/Control}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: 'Create ticket' })).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'Close the chat with Vera Visitor' }));
    expect(argsOf('chats.dismiss')).toEqual([{ chatId: 'c1' }]);
    await waitFor(() => expect(screen.queryByRole('tab', { name: /Vera Visitor/ })).toBeNull());
    const next = screen.getByRole('tab', { name: 'Otto Other' });
    expect(next.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(next);
  });

  it('hands the front to the tab before the last one closed, and to nothing after the only one', async () => {
    await renderWorkspace({
      chats: [chat('c1', 'Otto Other'), chat('c2', 'Walt Waiting'), ended('c3', 'Vera Visitor')],
      operators,
      groups,
    });
    await userEvent.click(await screen.findByRole('tab', { name: /Vera Visitor/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Close the chat with Vera Visitor' }));
    await waitFor(() =>
      expect(screen.getByRole('tab', { name: 'Walt Waiting' }).getAttribute('aria-selected')).toBe('true'),
    );

    for (const name of ['Walt Waiting', 'Otto Other']) {
      await userEvent.click(screen.getByRole('button', { name: 'End chat' }));
      const dialog = screen.getByRole('dialog', { name: `End the chat with ${name}?` });
      await userEvent.click(within(dialog).getByRole('button', { name: 'End chat' }));
      await userEvent.click(await screen.findByRole('button', { name: `Close the chat with ${name}` }));
    }
    expect(await screen.findByText(/^No chat selected\./)).toBeTruthy();
    expect(screen.getByText('You have no open chats.')).toBeTruthy();
  });
});

describe('create ticket', () => {
  it('creates a ticket with a subject and confirms its number', async () => {
    const { argsOf } = await renderChat();
    await userEvent.click(screen.getByRole('button', { name: 'Create ticket' }));
    const dialog = screen.getByRole('dialog', { name: 'Create a ticket from this chat' });
    await userEvent.type(within(dialog).getByLabelText('Subject (optional)'), 'Refund for order 1234');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create ticket' }));
    expect(argsOf('chats.toTicket')).toEqual([{ chatId: 'c1', subject: 'Refund for order 1234' }]);
    const confirmation = await screen.findByText('Ticket #1042 created');
    expect(confirmation.getAttribute('aria-live')).toBe('polite');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('leaves the subject out when none is given, and shows a refusal', async () => {
    const { argsOf } = await renderChat({
      'chats.toTicket': () => {
        throw new ParleyError('forbidden', 'You may not create tickets.');
      },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Create ticket' }));
    const dialog = screen.getByRole('dialog', { name: 'Create a ticket from this chat' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Create ticket' }));
    expect(argsOf('chats.toTicket')).toEqual([{ chatId: 'c1' }]);
    expect((await within(dialog).findByRole('alert')).textContent).toBe('You may not create tickets.');
    expect(screen.queryByText(/Ticket #/)).toBeNull();
  });
});
