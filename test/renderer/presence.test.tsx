import { act, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWorkspace } from '../support/render-app';

const myStatus = () => screen.getByRole('group', { name: 'My status' });

describe('my status', () => {
  it('switches between online, away and busy, and stops or resumes new chats', async () => {
    const { argsOf } = await renderWorkspace();
    const status = within(myStatus()).getByLabelText('Status') as HTMLSelectElement;
    expect(status.value).toBe('online');
    expect(
      within(status)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['Online', 'Away', 'Busy']);
    await userEvent.selectOptions(status, 'busy');
    expect(argsOf('status.set')).toEqual([{ status: 'busy' }]);
    expect(status.value).toBe('busy');

    const accepting = within(myStatus()).getByLabelText('Accept new chats') as HTMLInputElement;
    expect(accepting.checked).toBe(true);
    await userEvent.click(accepting);
    expect(argsOf('status.set').at(-1)).toEqual({ status: 'busy', acceptingChats: false });
    expect(accepting.checked).toBe(false);
  });

  it('follows status changes from the core and says when away was set automatically', async () => {
    const { emit } = await renderWorkspace();
    act(() => emit('status.changed', { status: 'away', acceptingChats: true, automatic: true }));
    expect((within(myStatus()).getByLabelText('Status') as HTMLSelectElement).value).toBe('away');
    expect(within(myStatus()).getByText('(automatic)')).toBeTruthy();
    act(() => emit('status.changed', { status: 'offline', acceptingChats: true, automatic: false }));
    expect(within(myStatus()).queryByText('(automatic)')).toBeNull();
    const offline = within(myStatus()).getByRole('option', { name: 'Offline' }) as HTMLOptionElement;
    expect(offline.selected && offline.disabled).toBe(true);
  });

  it('refetches colleagues when the team changes, for the transfer dialog', async () => {
    const { state, emit, callsOf } = await renderWorkspace({
      chats: [{ id: 'c1', status: 'open', visitorName: 'Vera', groupId: 'g1', messages: [] }],
      operators: [
        { id: 'o2', displayName: 'Bruno Braun', status: 'online', acceptingChats: true, groupIds: ['g1'] },
      ],
    });
    state.operators = state.operators.map((colleague) => ({ ...colleague, status: 'offline' }));
    await act(async () => emit('team.changed', {}));
    expect(callsOf('team.get')).toHaveLength(2);
    await userEvent.click(await screen.findByRole('button', { name: 'Transfer' }));
    expect((screen.getByRole('radio', { name: /Bruno Braun/ }) as HTMLInputElement).disabled).toBe(true);
  });
});
