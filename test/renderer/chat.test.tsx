import { act, fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PendingMessage } from '../../protocol/ipc';
import { renderWorkspace } from '../support/render-app';
import { chat, groups, message } from './fixtures';

const chats = [
  chat('c1', 'Vera Visitor', [message('c1', '1', 'visitor', '<script>alert("x")</script><b>bold?</b>')]),
  chat('c2', 'Otto Other', [
    message('c2', '2', 'visitor', 'Hallo?'),
    message('c2', '3', 'visitor', 'Is anyone there?'),
  ]),
];

function renderChats(pending: PendingMessage[] = []) {
  return renderWorkspace(
    { chats, groups },
    {
      script: {
        'chats.list': () => ({ chats, pending }),
        'chats.send': (args) => ({
          clientMsgId: 'x1',
          chatId: args.chatId,
          text: args.text,
          createdAt: '2026-11-23T09:01:00.000Z',
        }),
      },
    },
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('chat workspace', () => {
  it('lists my chats as tabs with unread counts and opens the first', async () => {
    await renderChats();
    const tablist = await screen.findByRole('tablist', { name: 'My chats' });
    const tabs = within(tablist).getAllByRole('tab');
    expect(tabs.map((tab) => tab.textContent)).toEqual(['Vera Visitor', 'Otto Other2']);
    expect(tabs[0]?.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('heading', { name: 'My chats (2)' })).toBeTruthy();
    expect(within(tabs[1] as HTMLElement).getByLabelText('2 unread')).toBeTruthy();
    await userEvent.click(tabs[1] as HTMLElement);
    expect(screen.getByRole('log', { name: 'Conversation with Otto Other' })).toBeTruthy();
    expect(within(tabs[1] as HTMLElement).queryByLabelText('2 unread')).toBeNull();
  });

  it('shows a visitor’s markup as text and never creates elements from it', async () => {
    await renderChats();
    const log = await screen.findByRole('log', { name: 'Conversation with Vera Visitor' });
    expect(log.textContent).toContain('<script>alert("x")</script><b>bold?</b>');
    expect(log.querySelector('script, b')).toBeNull();
  });

  it('sends with Enter, adds a line with Shift+Enter, and shows unsent messages as sending', async () => {
    const { argsOf } = await renderChats([
      { clientMsgId: 'p1', chatId: 'c1', text: 'still on its way', createdAt: '2026-11-23T09:00:30.000Z' },
    ]);
    expect(await screen.findByText('You · Sending…')).toBeTruthy();
    const composer = screen.getByLabelText('Message to Vera Visitor');
    await userEvent.type(composer, 'First line{Shift>}{Enter}{/Shift}second line');
    expect((composer as HTMLTextAreaElement).value).toBe('First line\nsecond line');
    expect(argsOf('chats.send')).toEqual([]);
    await userEvent.type(composer, '{Enter}');
    expect(argsOf('chats.send')).toEqual([{ chatId: 'c1', text: 'First line\nsecond line' }]);
    expect((composer as HTMLTextAreaElement).value).toBe('');
  });

  it('moves between chats with Alt+Down and Alt+Up', async () => {
    await renderChats();
    await screen.findByRole('tab', { name: 'Vera Visitor' });
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('tab', { name: /Otto Other/ }).getAttribute('aria-selected')).toBe('true');
    await userEvent.keyboard('{Alt>}{ArrowDown}{/Alt}');
    expect(screen.getByRole('tab', { name: /Vera Visitor/ }).getAttribute('aria-selected')).toBe('true');
  });

  it('shows when the visitor is typing, for the chat in front only', async () => {
    const { emit } = await renderChats();
    await screen.findByRole('log', { name: 'Conversation with Vera Visitor' });
    act(() => emit('chats.typing', { chatId: 'c2', typing: true }));
    expect(screen.queryByText(/is typing/)).toBeNull();
    act(() => emit('chats.typing', { chatId: 'c1', typing: true }));
    const indicator = screen.getByText('Vera Visitor is typing…');
    expect(indicator.getAttribute('aria-live')).toBe('polite');
    act(() => emit('chats.typing', { chatId: 'c1', typing: false }));
    expect(screen.queryByText(/is typing/)).toBeNull();
  });

  it('sets system notes, such as a transfer note, apart from what people wrote', async () => {
    await renderWorkspace({
      chats: [
        chat('c1', 'Vera Visitor', [
          message('c1', '1', 'visitor', 'I want my money back'),
          message('c1', '2', 'system', 'Transferred by Bruno Braun: refund for order 1234', 'Parley'),
        ]),
      ],
      groups,
    });
    const note = (await screen.findByText('Transferred by Bruno Braun: refund for order 1234')).closest('li');
    expect(note?.textContent).toMatch(/^Note · /);
    expect(note?.className).toContain('message-system');
    expect(screen.getByText('I want my money back').closest('li')?.textContent).toMatch(/^Vera · /);
  });

  it('tells the visitor the operator is typing, at most every few seconds, and when they stop', async () => {
    const { argsOf } = await renderChats();
    const composer = await screen.findByLabelText('Message to Vera Visitor');
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    fireEvent.change(composer, { target: { value: 'H' } });
    fireEvent.change(composer, { target: { value: 'He' } });
    act(() => vi.advanceTimersByTime(1000));
    fireEvent.change(composer, { target: { value: 'Hel' } });
    expect(argsOf('chats.typing')).toEqual([{ chatId: 'c1', typing: true }]);

    act(() => vi.advanceTimersByTime(1600));
    fireEvent.change(composer, { target: { value: 'Hell' } });
    expect(argsOf('chats.typing')).toHaveLength(2);

    act(() => vi.advanceTimersByTime(3000));
    expect(argsOf('chats.typing').at(-1)).toEqual({ chatId: 'c1', typing: false });

    fireEvent.change(composer, { target: { value: 'Hello' } });
    fireEvent.keyDown(composer, { key: 'Enter' });
    expect(argsOf('chats.typing').slice(-2)).toEqual([
      { chatId: 'c1', typing: true },
      { chatId: 'c1', typing: false },
    ]);
  });

  it('reports the chat in front of the operator, and none while the window is in the background', async () => {
    vi.spyOn(document, 'hasFocus').mockReturnValue(true);
    const { argsOf } = await renderChats();
    await screen.findByRole('log', { name: 'Conversation with Vera Visitor' });
    expect(argsOf('chats.focus').at(-1)).toEqual({ chatId: 'c1' });

    await userEvent.click(screen.getByRole('tab', { name: /Otto Other/ }));
    expect(argsOf('chats.focus').at(-1)).toEqual({ chatId: 'c2' });

    fireEvent.blur(window);
    expect(argsOf('chats.focus').at(-1)).toEqual({ chatId: null });
    fireEvent.focus(window);
    expect(argsOf('chats.focus').at(-1)).toEqual({ chatId: 'c2' });

    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden');
    fireEvent(document, new Event('visibilitychange'));
    expect(argsOf('chats.focus').at(-1)).toEqual({ chatId: null });
  });
});
