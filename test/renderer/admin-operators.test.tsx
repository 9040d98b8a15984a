import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { IpcArgs } from '../../protocol/ipc';
import type { AdminOperator } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { renderWorkspace } from '../support/render-app';
import { adminGroup } from './fixtures';

const group = (id: string, name: string, archived = false) => adminGroup(id, name, { archived });

function person(
  id: string,
  username: string,
  displayName: string,
  extra: Partial<AdminOperator> = {},
): AdminOperator {
  return {
    id,
    username,
    displayName,
    role: 'agent',
    groupIds: ['g1'],
    maxConcurrentChats: 3,
    disabled: false,
    status: 'offline',
    totpEnabled: true,
    lastLoginAt: '2026-11-20T08:00:00.000Z',
    setupPending: false,
    version: 1,
    ...extra,
  };
}

const setupCode = 'k7q2m9xd4hpab3nmx8ztqq2rk7q2m9xd4hpab3nm';
const setupExpiresAt = '2026-11-26T09:00:00.000Z';

/**
 * The server's operator administration, as far as these screens use it: filters, versions, and
 * the refusals the real server gives.
 */
function operatorServer() {
  const state = {
    groups: [group('g1', 'Support'), group('g2', 'Sales'), group('g3', 'Old queue', true)],
    operators: [
      person('o1', 'anna', 'Anna Berg', { role: 'admin', status: 'online' }),
      person('o2', 'ben', 'Ben Ode', { groupIds: ['g1', 'g2'], status: 'away' }),
      person('o3', 'carla', 'Carla Diaz', { disabled: true, totpEnabled: false, groupIds: [] }),
      person('o5', 'eve', 'Eve Falk', { role: 'admin' }),
      person('o4', 'dora', 'Dora Lind', {
        role: 'lead',
        setupPending: true,
        totpEnabled: false,
        lastLoginAt: null,
        groupIds: ['g2'],
      }),
    ],
    offline: false,
  };
  const find = (id: string) => {
    const found = state.operators.find((operator) => operator.id === id);
    if (!found) throw new ParleyError('not_found', 'There is no such operator.');
    return found;
  };
  const replace = (changed: AdminOperator) => {
    state.operators = state.operators.map((operator) => (operator.id === changed.id ? changed : operator));
    return changed;
  };
  const handlers: Partial<IpcHandlers> = {
    'groups.list': () => ({ groups: state.groups }),
    'operators.list': (filters: IpcArgs<'operators.list'> = {}) => {
      if (state.offline)
        throw new ParleyError('unreachable', 'Parley cannot reach the server. You are offline.');
      const search = filters.search?.toLowerCase();
      return {
        operators: state.operators.filter(
          (operator) =>
            (!search || `${operator.username} ${operator.displayName}`.toLowerCase().includes(search)) &&
            (!filters.role || operator.role === filters.role) &&
            (!filters.groupId || operator.groupIds.includes(filters.groupId)) &&
            (!filters.status || operator.status === filters.status) &&
            (filters.totpEnabled === undefined || operator.totpEnabled === filters.totpEnabled) &&
            (filters.disabled === undefined || operator.disabled === filters.disabled),
        ),
      };
    },
    'operators.create': (params) => {
      if (state.operators.some((operator) => operator.username === params.username)) {
        throw new ParleyError('conflict', `The username "${params.username}" is taken.`);
      }
      const operator = person(`o${state.operators.length + 2}`, params.username, params.displayName, {
        role: params.role,
        groupIds: params.groupIds,
        maxConcurrentChats: params.maxConcurrentChats ?? 3,
        setupPending: true,
        totpEnabled: false,
        lastLoginAt: null,
      });
      state.operators = [...state.operators, operator];
      return { operator, setupCode, setupExpiresAt };
    },
    'operators.update': ({ operatorId, version, ...changes }) => {
      const operator = find(operatorId);
      if (operator.version !== version) {
        throw new ParleyError('conflict', 'Someone else changed this operator. Reload and try again.');
      }
      if (operator.id === 'o1' && changes.role && changes.role !== 'admin') {
        throw new ParleyError('conflict', 'You cannot take away your own admin role.');
      }
      return { operator: replace({ ...operator, ...changes, version: version + 1 }) };
    },
    'operators.setDisabled': ({ operatorId, disabled }) => {
      const operator = find(operatorId);
      if (disabled && operator.id === 'o5') {
        throw new ParleyError(
          'conflict',
          `${operator.displayName} is the last enabled admin and cannot be disabled.`,
        );
      }
      return { operator: replace({ ...operator, disabled, version: operator.version + 1 }) };
    },
    'operators.endSessions': () => ({ ended: 2 }),
    'operators.resetTotp': ({ operatorId }) => {
      replace({ ...find(operatorId), totpEnabled: false });
      return {};
    },
    'operators.newSetupCode': () => ({ setupCode: 'n3wc0d3n3wc0d3n3wc0d3n3wc0d3', setupExpiresAt }),
  };
  return { state, handlers };
}

async function openOperators(role: Role = 'admin') {
  const server = operatorServer();
  const app = await renderWorkspace({}, { permissions: permissionsOf(role), script: server.handlers });
  await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
  const table = await screen.findByRole('table', { name: 'Operators' });
  return { ...app, server, table };
}

const rowOf = (name: string) => {
  const row = screen.getByRole('rowheader', { name: new RegExp(name) }).closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return within(row);
};

const lastListArgs = (argsOf: (method: 'operators.list') => unknown[]) => argsOf('operators.list').at(-1);

beforeEach(() => {
  Object.defineProperty(navigator, 'clipboard', {
    value: { writeText: vi.fn().mockResolvedValue(undefined) },
    configurable: true,
  });
});

afterEach(() => vi.restoreAllMocks());

describe('the operators list', () => {
  it('shows who everyone is, their role, groups, status, 2FA and last sign-in, with markers', async () => {
    await openOperators();
    const ben = rowOf('Ben Ode');
    expect(ben.getByText('ben')).toBeTruthy();
    expect(ben.getByText('Agent')).toBeTruthy();
    expect(ben.getByText('Support, Sales')).toBeTruthy();
    expect(ben.getByText('Away')).toBeTruthy();
    expect(ben.getByText('On')).toBeTruthy();
    expect(ben.getByRole('time').getAttribute('datetime')).toBe('2026-11-20T08:00:00.000Z');

    const dora = rowOf('Dora Lind');
    expect(dora.getByText('Set-up pending')).toBeTruthy();
    expect(dora.getByText('Team lead')).toBeTruthy();
    expect(dora.getByText('Never')).toBeTruthy();
    expect(dora.getByText('Off')).toBeTruthy();
    expect(rowOf('Carla Diaz').getByText('Disabled')).toBeTruthy();
    expect(screen.getByText('5 operators')).toBeTruthy();
  });

  it('sends search and every filter to the server', async () => {
    const { argsOf } = await openOperators();
    expect(argsOf('operators.list')[0]).toEqual({});
    const filters = within(screen.getByRole('search', { name: 'Filter operators' }));

    await userEvent.type(filters.getByLabelText('Search'), 'ben');
    await waitFor(() => expect(lastListArgs(argsOf)).toEqual({ search: 'ben' }));
    expect(screen.queryByRole('rowheader', { name: /Anna Berg/ })).toBeNull();
    await userEvent.clear(filters.getByLabelText('Search'));
    await waitFor(() => expect(lastListArgs(argsOf)).toEqual({}));

    await userEvent.selectOptions(filters.getByLabelText('Role'), 'Team lead');
    expect(lastListArgs(argsOf)).toEqual({ role: 'lead' });
    await userEvent.selectOptions(filters.getByLabelText('Group'), 'Sales');
    expect(lastListArgs(argsOf)).toEqual({ role: 'lead', groupId: 'g2' });
    await userEvent.selectOptions(filters.getByLabelText('Role'), 'All');
    await userEvent.selectOptions(filters.getByLabelText('Status'), 'Away');
    expect(lastListArgs(argsOf)).toEqual({ groupId: 'g2', status: 'away' });
    await userEvent.selectOptions(filters.getByLabelText('2FA'), 'Off');
    await userEvent.selectOptions(filters.getByLabelText('Account'), 'Disabled');
    expect(lastListArgs(argsOf)).toEqual({
      groupId: 'g2',
      status: 'away',
      totpEnabled: false,
      disabled: true,
    });
    expect(await screen.findByText('No operator matches these filters.')).toBeTruthy();
  });

  it('says when the server cannot be reached and tries again on request', async () => {
    const server = operatorServer();
    server.state.offline = true;
    await renderWorkspace({}, { permissions: permissionsOf('admin'), script: server.handlers });
    await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot reach the server/);
    server.state.offline = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Operators' })).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows a lead the list and the filters, but nothing to change', async () => {
    await openOperators('lead');
    expect(screen.getByText(/Read-only/)).toBeTruthy();
    expect(screen.getByLabelText('Role')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New operator' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit / })).toBeNull();
    expect(screen.queryByRole('button', { name: /^More actions/ })).toBeNull();
  });
});

describe('a new operator', () => {
  async function fillNewOperator() {
    await userEvent.click(screen.getByRole('button', { name: 'New operator' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New operator' }));
    await userEvent.type(dialog.getByLabelText('Username'), 'Erik.M');
    await userEvent.type(dialog.getByLabelText('Display name'), 'Erik Meyer');
    await userEvent.selectOptions(dialog.getByLabelText('Role'), 'Team lead');
    await userEvent.click(dialog.getByLabelText('Sales'));
    return dialog;
  }

  it('is created with what the admin entered, and its set-up code is shown once', async () => {
    const { argsOf } = await openOperators();
    const dialog = await fillNewOperator();
    expect(dialog.queryByLabelText('Old queue (archived)')).toBeNull();
    await userEvent.type(dialog.getByLabelText('Concurrent chats'), '4');
    await userEvent.click(dialog.getByRole('button', { name: 'Create operator' }));

    const shown = within(await screen.findByRole('dialog', { name: 'Set-up code for Erik Meyer' }));
    expect(argsOf('operators.create')).toEqual([
      {
        username: 'erik.m',
        displayName: 'Erik Meyer',
        role: 'lead',
        groupIds: ['g2'],
        maxConcurrentChats: 4,
      },
    ]);
    expect((shown.getByLabelText('Set-up code') as HTMLInputElement).value).toBe(setupCode);
    expect(shown.getByText('erik.m')).toBeTruthy();
    expect(shown.getByText(/2026/)).toBeTruthy();
    expect(shown.getByText(/“Set up my account”/).textContent).toMatch(
      /Nobody else ever knows their password/,
    );
    await userEvent.click(shown.getByRole('button', { name: 'Copy the set-up code' }));
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(setupCode);
    expect(shown.getByText('Copied')).toBeTruthy();

    await userEvent.click(shown.getByRole('button', { name: 'Done' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByDisplayValue(setupCode)).toBeNull();
    expect(screen.queryByText(setupCode)).toBeNull();
    expect(rowOf('Erik Meyer').getByText('Set-up pending')).toBeTruthy();
  });

  it('leaves the limit to the group when empty, and refuses 0 without sending anything', async () => {
    const { argsOf } = await openOperators();
    const dialog = await fillNewOperator();
    await userEvent.type(dialog.getByLabelText('Concurrent chats'), '0');
    await userEvent.click(dialog.getByRole('button', { name: 'Create operator' }));
    const limit = dialog.getByLabelText('Concurrent chats');
    expect(dialog.getByText('Enter a whole number from 1 to 50.')).toBeTruthy();
    expect(limit.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(limit);
    expect(argsOf('operators.create')).toEqual([]);

    await userEvent.clear(limit);
    await userEvent.click(dialog.getByRole('button', { name: 'Create operator' }));
    await screen.findByRole('dialog', { name: 'Set-up code for Erik Meyer' });
    expect(argsOf('operators.create')[0]).toEqual({
      username: 'erik.m',
      displayName: 'Erik Meyer',
      role: 'lead',
      groupIds: ['g2'],
    });
  });

  it('shows the server’s refusal of a taken username and keeps what was typed', async () => {
    await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'New operator' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New operator' }));
    await userEvent.type(dialog.getByLabelText('Username'), 'ben');
    await userEvent.type(dialog.getByLabelText('Display name'), 'Another Ben');
    await userEvent.click(dialog.getByRole('button', { name: 'Create operator' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('The username "ben" is taken.');
    expect((dialog.getByLabelText('Username') as HTMLInputElement).value).toBe('ben');
    expect((dialog.getByLabelText('Display name') as HTMLInputElement).value).toBe('Another Ben');
  });
});

describe('editing an operator', () => {
  it('sends only what changed, with the version it was made against', async () => {
    const { argsOf } = await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'Edit Ben Ode' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Ben Ode' }));
    await userEvent.click(dialog.getByLabelText('Support'));
    await userEvent.clear(dialog.getByLabelText('Concurrent chats'));
    await userEvent.type(dialog.getByLabelText('Concurrent chats'), '5');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('operators.update')).toEqual([
      { operatorId: 'o2', version: 1, groupIds: ['g2'], maxConcurrentChats: 5 },
    ]);
    expect(screen.getByText('Changes to Ben Ode saved.')).toBeTruthy();
    expect(rowOf('Ben Ode').getByText('Sales')).toBeTruthy();
  });

  it('says when someone else changed the operator meanwhile, keeps the input and offers the latest values', async () => {
    const { argsOf, server } = await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'Edit Ben Ode' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Ben Ode' }));
    // Another admin renames Ben while this dialog is open.
    server.state.operators = server.state.operators.map((operator) =>
      operator.id === 'o2' ? { ...operator, displayName: 'Benjamin Ode', version: 2 } : operator,
    );
    const name = dialog.getByLabelText('Display name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Ben O.');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));

    expect((await dialog.findByRole('alert')).textContent).toMatch(/changed by someone else/);
    expect((name as HTMLInputElement).value).toBe('Ben O.');
    expect((dialog.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.click(dialog.getByRole('button', { name: 'Load the latest values' }));
    expect((dialog.getByLabelText('Display name') as HTMLInputElement).value).toBe('Benjamin Ode');
    expect(dialog.queryByRole('alert')).toBeNull();

    await userEvent.clear(dialog.getByLabelText('Display name'));
    await userEvent.type(dialog.getByLabelText('Display name'), 'Ben O.');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('operators.update').at(-1)).toEqual({
      operatorId: 'o2',
      version: 2,
      displayName: 'Ben O.',
    });
  });

  it('shows a refusal that is not about versions in the server’s words', async () => {
    await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'Edit Anna Berg' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Anna Berg' }));
    await userEvent.selectOptions(dialog.getByLabelText('Role'), 'Agent');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('You cannot take away your own admin role.');
    expect((dialog.getByLabelText('Role') as HTMLSelectElement).value).toBe('agent');
  });
});

describe('row actions', () => {
  async function choose(name: string, action: string) {
    await userEvent.click(screen.getByRole('button', { name: `More actions for ${name}` }));
    await userEvent.click(screen.getByRole('menuitem', { name: action }));
  }

  it('disables after a confirmation and enables again without one', async () => {
    const { argsOf } = await openOperators();
    await choose('Ben Ode', 'Disable');
    const dialog = within(screen.getByRole('dialog', { name: 'Disable Ben Ode?' }));
    expect(dialog.getByText(/signed out everywhere/)).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Disable' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('operators.setDisabled')).toEqual([{ operatorId: 'o2', disabled: true }]);
    expect(rowOf('Ben Ode').getByText('Disabled')).toBeTruthy();

    await choose('Ben Ode', 'Enable');
    expect(await screen.findByText('Ben Ode can sign in again.')).toBeTruthy();
    expect(argsOf('operators.setDisabled').at(-1)).toEqual({ operatorId: 'o2', disabled: false });
  });

  it('does not offer to disable myself, and shows the server’s refusal to disable the last admin', async () => {
    await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'More actions for Anna Berg' }));
    expect(screen.queryByRole('menuitem', { name: 'Disable' })).toBeNull();
    await userEvent.keyboard('{Escape}');

    await choose('Eve Falk', 'Disable');
    const dialog = within(screen.getByRole('dialog', { name: 'Disable Eve Falk?' }));
    await userEvent.click(dialog.getByRole('button', { name: 'Disable' }));
    expect((await dialog.findByRole('alert')).textContent).toBe(
      'Eve Falk is the last enabled admin and cannot be disabled.',
    );
  });

  it('ends all sessions and says how many', async () => {
    await openOperators();
    await choose('Ben Ode', 'End all sessions');
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'End all sessions of Ben Ode?' })).getByRole('button', {
        name: 'End all sessions',
      }),
    );
    expect(await screen.findByText('Ended 2 sessions of Ben Ode.')).toBeTruthy();
  });

  it('resets 2FA after a confirmation', async () => {
    const { argsOf } = await openOperators();
    await choose('Ben Ode', 'Reset 2FA');
    await userEvent.click(
      within(screen.getByRole('dialog', { name: /Reset two-factor authentication for Ben Ode/ })).getByRole(
        'button',
        {
          name: 'Reset 2FA',
        },
      ),
    );
    expect(await screen.findByText('Two-factor authentication of Ben Ode was reset.')).toBeTruthy();
    expect(argsOf('operators.resetTotp')).toEqual([{ operatorId: 'o2' }]);
    expect(rowOf('Ben Ode').getByText('Off')).toBeTruthy();
  });

  it('issues a new set-up code only for someone who has not set up yet, and shows it once', async () => {
    await openOperators();
    await userEvent.click(screen.getByRole('button', { name: 'More actions for Ben Ode' }));
    expect(screen.queryByRole('menuitem', { name: 'New set-up code' })).toBeNull();
    await userEvent.keyboard('{Escape}');

    await choose('Dora Lind', 'New set-up code');
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'New set-up code for Dora Lind?' })).getByRole('button', {
        name: 'New set-up code',
      }),
    );
    const shown = within(await screen.findByRole('dialog', { name: 'Set-up code for Dora Lind' }));
    expect((shown.getByLabelText('Set-up code') as HTMLInputElement).value).toBe(
      'n3wc0d3n3wc0d3n3wc0d3n3wc0d3',
    );
    expect(shown.getByText('dora')).toBeTruthy();
  });

  it('opens the menu from the keyboard and moves through it with the arrow keys', async () => {
    await openOperators();
    screen.getByRole('button', { name: 'More actions for Ben Ode' }).focus();
    await userEvent.keyboard('{Enter}');
    const items = screen.getAllByRole('menuitem');
    expect(document.activeElement).toBe(items[0]);
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(items[1]);
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'More actions for Ben Ode' }));
  });
});
