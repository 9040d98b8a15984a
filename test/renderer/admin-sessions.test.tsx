import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { ParleyError } from '../../protocol/errors';
import type { SessionInfo } from '../../protocol/operator-socket';
import { openAdminScreen } from './admin-screen';

function session(id: string, operatorName: string, extra: Partial<SessionInfo> = {}): SessionInfo {
  return {
    id,
    operatorId: `o-${operatorName.split(' ')[0]?.toLowerCase()}`,
    operatorName,
    deviceName: 'Laptop',
    address: '203.0.113.0',
    createdAt: '2026-11-23T07:00:00.000Z',
    lastSeenAt: '2026-11-23T08:55:00.000Z',
    expiresAt: '2026-11-23T19:00:00.000Z',
    current: false,
    ...extra,
  };
}

const sessions = [
  session('s-ada', 'Ada Admin', { deviceName: 'Office PC', current: true }),
  session('s-anna', 'Anna Berg'),
  session('s-ben', 'Ben Brandt', { deviceName: null, address: null }),
];

async function openSessions(overrides: Partial<IpcHandlers> = {}) {
  const state = { sessions: [...sessions] };
  const app = await openAdminScreen('Sessions', {
    script: {
      'sessions.list': () => ({ sessions: state.sessions }),
      'sessions.revoke': ({ sessionId }) => {
        state.sessions = state.sessions.filter((candidate) => candidate.id !== sessionId);
        return {};
      },
      ...overrides,
    },
  });
  const table = await screen.findByRole('table', { name: 'Active sessions' });
  return { ...app, state, table };
}

const rowTexts = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .slice(0, 3)
        .map((cell) => cell.textContent),
    );

describe('sessions', () => {
  it('lists everyone’s sessions and marks mine', async () => {
    const { table, argsOf } = await openSessions();
    expect(argsOf('sessions.list')).toEqual([{ all: true }]);
    expect(rowTexts(table)).toEqual([
      ['Ada AdminThis session', 'Office PC', '203.0.113.0'],
      ['Anna Berg', 'Laptop', '203.0.113.0'],
      ['Ben Brandt', 'Unknown device', 'not kept'],
    ]);
    expect(within(table).getAllByRole('row')[1]?.getAttribute('aria-current')).toBe('true');
    expect(screen.getByText('3 active sessions')).toBeTruthy();
  });

  it('ends a session after asking', async () => {
    const { table, argsOf } = await openSessions();
    await userEvent.click(within(table).getByRole('button', { name: 'End session of Anna Berg on Laptop' }));
    const dialog = screen.getByRole('dialog', { name: 'End the session of Anna Berg on Laptop?' });
    expect(within(dialog).queryByRole('alert')).toBeNull();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(argsOf('sessions.revoke')).toEqual([]);

    await userEvent.click(within(table).getByRole('button', { name: 'End session of Anna Berg on Laptop' }));
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'End session' }));
    expect(argsOf('sessions.revoke')).toEqual([{ sessionId: 's-anna' }]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(within(table).queryByText('Anna Berg')).toBeNull();
  });

  it('warns that ending my own session signs me out', async () => {
    const { table } = await openSessions();
    await userEvent.click(
      within(table).getByRole('button', { name: 'End session of Ada Admin on Office PC' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByRole('alert').textContent).toContain('ending it signs you out of Parley here');
  });

  it('shows the server’s refusal in the dialog and keeps it open', async () => {
    const { table } = await openSessions({
      'sessions.revoke': () => {
        throw new ParleyError('not_found', 'There is no such session.');
      },
    });
    await userEvent.click(
      within(table).getByRole('button', { name: 'End session of Ben Brandt on Unknown device' }),
    );
    await userEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'End session' }));
    expect((await within(screen.getByRole('dialog')).findByRole('alert')).textContent).toBe(
      'There is no such session.',
    );
  });

  it('filters by operator name', async () => {
    const { table } = await openSessions();
    await userEvent.type(screen.getByLabelText('Operator'), 'BEN');
    expect(rowTexts(table).map(([name]) => name)).toEqual(['Ben Brandt']);
    expect(screen.getByText('1 active session')).toBeTruthy();
    await userEvent.clear(screen.getByLabelText('Operator'));
    await userEvent.type(screen.getByLabelText('Operator'), 'nobody');
    expect(screen.getByText('No active session of an operator with this name.')).toBeTruthy();
  });

  it('refreshes the list', async () => {
    const { state, argsOf } = await openSessions();
    state.sessions = [...sessions, session('s-carla', 'Carla Diaz', { deviceName: 'Tablet' })];
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByText('Carla Diaz')).toBeTruthy();
    expect(argsOf('sessions.list')).toEqual([{ all: true }, { all: true }]);
  });

  it('offers to try again when offline', async () => {
    let offline = true;
    await openAdminScreen('Sessions', {
      script: {
        'sessions.list': () => {
          if (offline) throw new ParleyError('unreachable', 'You are offline.');
          return { sessions };
        },
      },
    });
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The sessions could not be loaded: You are offline.',
    );
    offline = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Active sessions' })).toBeTruthy();
  });
});
