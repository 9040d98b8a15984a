import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { PendingMessage } from '../../protocol/ipc';
import type { ChatSummary } from '../../protocol/operator-socket';
import { useChatStore } from '../../renderer/src/features/chat/store';
import { operator, renderApp } from '../support/render-app';

function message(chatId: string, id: string, kind: 'visitor' | 'operator', text: string) {
  return {
    id,
    chatId,
    author: { kind, id: kind === 'operator' ? 'o1' : null, name: kind === 'operator' ? 'Anna Berg' : 'Vera' },
    text,
    clientMsgId: null,
    createdAt: '2026-11-23T09:00:00.000Z',
  };
}

const chats: ChatSummary[] = [
  {
    id: 'c1',
    status: 'open',
    visitorName: 'Vera Visitor',
    messages: [message('c1', '1', 'visitor', '<script>alert("x")</script><b>bold?</b>')],
  },
  {
    id: 'c2',
    status: 'open',
    visitorName: 'Otto Other',
    messages: [message('c2', '2', 'visitor', 'Hallo?'), message('c2', '3', 'visitor', 'Is anyone there?')],
  },
];

async function renderWorkspace(pending: PendingMessage[] = []) {
  useChatStore.setState({ chats: [], pending: [], activeId: undefined, seen: {}, error: undefined });
  const sent: unknown[] = [];
  const app = await renderApp({
    'auth.state': () => ({
      status: 'signed_in',
      server: 'Support EU',
      operator,
      permissions: ['chat.handle'],
    }),
    'chats.list': () => ({ chats, pending }),
    'chats.send': (args) => {
      sent.push(args);
      return {
        clientMsgId: 'x1',
        chatId: args.chatId,
        text: args.text,
        createdAt: '2026-11-23T09:01:00.000Z',
      };
    },
  });
  await screen.findByRole('tablist', { name: 'My chats' });
  return { ...app, sent };
}

describe('chat workspace', () => {
  it('lists my chats as tabs with unread counts and opens the first', async () => {
    await renderWorkspace();
    const tabs = within(screen.getByRole('tablist', { name: 'My chats' })).getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent)).toEqual(['Vera Visitor', 'Otto Other2']);
    expect(tabs[0]?.getAttribute('aria-selected')).toBe('true');
    expect(within(tabs[1] as HTMLElement).getByLabelText('2 unread')).toBeTruthy();
    await userEvent.click(tabs[1] as HTMLElement);
    expect(screen.getByRole('log', { name: 'Conversation with Otto Other' })).toBeTruthy();
    expect(within(tabs[1] as HTMLElement).queryByLabelText('2 unread')).toBeNull();
  });

  it('shows a visitor’s markup as text and never creates elements from it', async () => {
    await renderWorkspace();
    const log = screen.getByRole('log', { name: 'Conversation with Vera Visitor' });
    expect(log.textContent).toContain('<script>alert("x")</script><b>bold?</b>');
    expect(log.querySelector('script, b')).toBeNull();
  });

  it('sends with Enter, adds a line with Shift+Enter, and shows unsent messages as sending', async () => {
    const { sent } = await renderWorkspace([
      { clientMsgId: 'p1', chatId: 'c1', text: 'still on its way', createdAt: '2026-11-23T09:00:30.000Z' },
    ]);
    expect(screen.getByText('You · Sending…')).toBeTruthy();
    const composer = screen.getByLabelText('Message to Vera Visitor');
    await userEvent.type(composer, 'First line{Shift>}{Enter}{/Shift}second line');
    expect((composer as HTMLTextAreaElement).value).toBe('First line\nsecond line');
    expect(sent).toEqual([]);
    await userEvent.type(composer, '{Enter}');
    expect(sent).toEqual([{ chatId: 'c1', text: 'First line\nsecond line' }]);
    expect((composer as HTMLTextAreaElement).value).toBe('');
  });

  it('moves between chats with Alt+Down and Alt+Up', async () => {
    await renderWorkspace();
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('tab', { name: /Otto Other/ }).getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('tab', { name: /Vera Visitor/ }).getAttribute('aria-selected')).toBe('true');
  });
});
