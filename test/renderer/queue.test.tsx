import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import { renderWorkspace } from '../support/render-app';
import { groups, now, offer, queued } from './fixtures';

const waitingList = () => screen.getByRole('list', { name: 'Waiting chats' });
const rowOf = (name: string) => within(waitingList()).getByText(name).closest('li') as HTMLElement;

afterEach(() => vi.useRealTimers());

describe('queue', () => {
  it('keeps only a window of 5,000 waiting chats in the DOM and shows the right rows after scrolling', async () => {
    const queue = Array.from({ length: 5000 }, (_, index) =>
      queued(`q${index + 1}`, `Visitor ${index + 1}`, 600),
    );
    await renderWorkspace({ queue, groups });
    expect(screen.getByRole('heading', { name: 'Queue (5000)' })).toBeTruthy();

    let rows = within(waitingList()).getAllByRole('listitem');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(rows[0]?.textContent).toContain('Visitor 1');
    expect(rows[0]?.getAttribute('aria-posinset')).toBe('1');
    expect(rows[0]?.getAttribute('aria-setsize')).toBe('5000');

    const rowHeight = parseFloat((rows[1] as HTMLElement).style.top);
    const viewport = waitingList().parentElement as HTMLElement;
    viewport.scrollTop = 2500 * rowHeight;
    fireEvent.scroll(viewport);

    rows = within(waitingList()).getAllByRole('listitem');
    expect(rows.length).toBeLessThan(40);
    expect(within(waitingList()).queryByText('Visitor 2')).toBeNull();
    const row = rowOf('Visitor 2501');
    expect(row.getAttribute('aria-posinset')).toBe('2501');
    expect(parseFloat(row.style.top)).toBe(2500 * rowHeight);
  });

  it('ticks the wait every second and marks long waits by text as well as colour', async () => {
    vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] });
    await renderWorkspace({ queue: [queued('q1', 'Vera Visitor', 42)], groups });
    const row = rowOf('Vera Visitor');
    expect(row.textContent).toContain('Sales');
    expect(row.textContent).toContain('0:42');
    expect(row.textContent).not.toMatch(/long wait/i);

    act(() => vi.advanceTimersByTime(1000));
    expect(rowOf('Vera Visitor').textContent).toContain('0:43');

    act(() => vi.advanceTimersByTime(17_000));
    expect(within(rowOf('Vera Visitor')).getByTitle('Long wait').textContent).toBe(
      '!waiting 1:00, Long wait',
    );

    act(() => vi.advanceTimersByTime(125_000));
    expect(within(rowOf('Vera Visitor')).getByTitle('Very long wait').textContent).toContain('3:05');

    act(() => vi.advanceTimersByTime(3545_000));
    expect(rowOf('Vera Visitor').textContent).toContain('1:02:10');
  });

  it('accepts a chat with its button, then opens it', async () => {
    const { argsOf } = await renderWorkspace({
      queue: [queued('q1', 'Vera Visitor', 30), queued('q2', 'Otto Other', 20)],
      groups,
    });
    await userEvent.click(screen.getByRole('button', { name: 'Accept chat with Otto Other' }));
    expect(argsOf('chats.accept')).toEqual([{ chatId: 'q2' }]);
    expect(await screen.findByRole('heading', { name: 'Queue (1)' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Otto Other' }).getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('log', { name: 'Conversation with Otto Other' })).toBeTruthy();
  });

  it('moves through the queue with the arrow keys and accepts the focused row with Enter', async () => {
    const { argsOf } = await renderWorkspace({
      queue: [queued('q1', 'Vera Visitor', 30), queued('q2', 'Otto Other', 20), queued('q3', 'Ida', 10)],
      groups,
    });
    await userEvent.keyboard('{Control>}{Shift>}1{/Shift}{/Control}');
    expect(document.activeElement).toBe(
      screen.getByRole('button', { name: 'Accept chat with Vera Visitor' }),
    );
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Accept chat with Otto Other' }));
    await userEvent.keyboard('{Enter}');
    expect(argsOf('chats.accept')).toEqual([{ chatId: 'q2' }]);
  });

  it('says clearly when someone else was quicker, and refreshes the list', async () => {
    const { state, callsOf } = await renderWorkspace(
      { queue: [queued('q1', 'Vera Visitor', 30), queued('q2', 'Otto Other', 20)], groups },
      {
        script: {
          'chats.accept': () => {
            state.queue = state.queue.filter((chat) => chat.id !== 'q1');
            throw new ParleyError('conflict', 'This chat was already taken.');
          },
        },
      },
    );
    const listsBefore = callsOf('queue.list').length;
    await userEvent.click(screen.getByRole('button', { name: 'Accept chat with Vera Visitor' }));
    expect((await screen.findByRole('alert')).textContent).toBe('This chat was already taken.');
    await waitFor(() => expect(within(waitingList()).queryByText('Vera Visitor')).toBeNull());
    expect(callsOf('queue.list').length).toBeGreaterThan(listsBefore);
    expect(screen.getByRole('heading', { name: 'Queue (1)' })).toBeTruthy();
  });

  it('shows offers with a countdown and the transfer note, to accept or decline', async () => {
    vi.useFakeTimers({ now, toFake: ['Date', 'setInterval', 'clearInterval'] });
    const { argsOf } = await renderWorkspace({
      queue: [queued('q9', 'Waiting Walter', 50)],
      offers: [
        offer(queued('q1', 'Vera Visitor', 30), 25, 'Wants a refund for order 1234'),
        offer(queued('q2', 'Otto Other', 20), 10),
      ],
      groups,
    });
    const offers = screen.getByRole('region', { name: 'Offered to you' });
    expect(screen.getByRole('heading', { name: 'Queue (3)' })).toBeTruthy();
    expect(within(offers).getByText('Wants a refund for order 1234')).toBeTruthy();
    expect(within(offers).getByText('Rings for 0:25')).toBeTruthy();
    act(() => vi.advanceTimersByTime(5000));
    expect(within(offers).getByText('Rings for 0:20')).toBeTruthy();
    // An offer is not listed twice: the waiting list has only Walter.
    expect(within(waitingList()).getAllByRole('listitem')).toHaveLength(1);

    await userEvent.click(within(offers).getByRole('button', { name: 'Decline chat with Otto Other' }));
    expect(argsOf('chats.decline')).toEqual([{ chatId: 'q2' }]);
    await waitFor(() => expect(within(offers).queryByText('Otto Other')).toBeNull());

    await userEvent.click(within(offers).getByRole('button', { name: 'Accept chat with Vera Visitor' }));
    expect(argsOf('chats.accept')).toEqual([{ chatId: 'q1' }]);
    expect(await screen.findByRole('tab', { name: 'Vera Visitor' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Offered to you' })).toBeNull();
  });

  it('accepts the next chat with Ctrl+Shift+A, and says so when nobody waits', async () => {
    const { argsOf, callsOf } = await renderWorkspace({ queue: [queued('q1', 'Vera Visitor', 30)], groups });
    await userEvent.keyboard('{Control>}{Shift>}A{/Shift}{/Control}');
    expect(callsOf('chats.acceptNext')).toHaveLength(1);
    expect(await screen.findByRole('tab', { name: 'Vera Visitor' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Vera Visitor' }).getAttribute('aria-selected')).toBe('true');
    expect(argsOf('chats.acceptNext')).toEqual([undefined]);

    await userEvent.keyboard('{Control>}{Shift>}A{/Shift}{/Control}');
    expect(await screen.findByText('No chat is waiting for you.')).toBeTruthy();
  });

  it('names the colleague a queued chat is ringing at, and marks priority', async () => {
    await renderWorkspace({
      queue: [queued('q1', 'Vera Visitor', 30, { state: 'offered', offeredTo: 'o2', priority: 5 })],
      groups,
      operators: [
        { id: 'o2', displayName: 'Bruno Braun', status: 'online', acceptingChats: true, groupIds: ['g1'] },
      ],
    });
    expect(rowOf('Vera Visitor').textContent).toContain('Sales · Priority · Ringing at Bruno Braun');
  });
});
