import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { AdminGroup } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import {
  defaultPrechatFields,
  defaultPrivacyNotice,
  defaultWidgetSettings,
} from '../../protocol/visitor-socket';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { renderWorkspace } from '../support/render-app';
import { adminGroup } from './fixtures';

const nineToFive = [{ from: '09:00', to: '17:00' }];

const group = adminGroup;

/** The server's group administration as these screens use it: versions, names, archiving. */
function groupServer() {
  const state = {
    groups: [
      group('g1', 'Support', {
        businessHours: {
          timeZone: 'Europe/Berlin',
          days: [
            nineToFive,
            nineToFive,
            nineToFive,
            nineToFive,
            nineToFive,
            [{ from: '10:00', to: '14:00' }],
            [],
          ],
        },
      }),
      group('g2', 'Sales', { routingMode: 'manual', ringTimeoutSeconds: 45, defaultMaxChats: 5 }),
      group('g3', 'Old queue', { archived: true }),
    ],
    offline: false,
  };
  const find = (id: string) => {
    const found = state.groups.find((candidate) => candidate.id === id);
    if (!found) throw new ParleyError('not_found', 'There is no such group.');
    return found;
  };
  const nameTaken = (name: string, exceptId?: string) => {
    const taken = state.groups.find(
      (candidate) =>
        !candidate.archived &&
        candidate.id !== exceptId &&
        candidate.name.toLowerCase() === name.toLowerCase(),
    );
    if (taken) throw new ParleyError('conflict', `There is already a group called “${taken.name}”.`);
  };
  const replace = (changed: AdminGroup) => {
    state.groups = state.groups.map((candidate) => (candidate.id === changed.id ? changed : candidate));
    return { group: changed };
  };
  const handlers: Partial<IpcHandlers> = {
    'groups.list': ({ includeArchived } = {}) => {
      if (state.offline)
        throw new ParleyError('unreachable', 'Parley cannot reach the server. You are offline.');
      return { groups: state.groups.filter((candidate) => includeArchived === true || !candidate.archived) };
    },
    'groups.create': ({ name, privacyNoticeText, ...settings }) => {
      nameTaken(name);
      const created = group('g9', name, {
        ...settings,
        privacyNotice: privacyNoticeText ? { version: '1', text: privacyNoticeText } : defaultPrivacyNotice,
      });
      state.groups = [...state.groups, created];
      return { group: created };
    },
    'groups.update': ({ groupId, version, privacyNoticeText, ...changes }) => {
      const current = find(groupId);
      if (current.version !== version) {
        throw new ParleyError('conflict', 'Someone else changed this group. Reload and try again.');
      }
      if (changes.name) nameTaken(changes.name, groupId);
      const privacyNotice = privacyNoticeText
        ? { version: String(Number(current.privacyNotice.version) + 1), text: privacyNoticeText }
        : current.privacyNotice;
      return replace({ ...current, ...changes, privacyNotice, version: version + 1 });
    },
    'groups.setArchived': ({ groupId, archived }) => {
      const current = find(groupId);
      return replace({ ...current, archived, version: current.version + 1 });
    },
  };
  return { state, handlers };
}

async function openGroups(
  role: Role = 'admin',
  prepare: (server: ReturnType<typeof groupServer>) => void = () => {},
) {
  const server = groupServer();
  prepare(server);
  const app = await renderWorkspace({}, { permissions: permissionsOf(role), script: server.handlers });
  await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
  await userEvent.click(screen.getByRole('tab', { name: 'Groups' }));
  return { ...app, server };
}

const rowOf = (name: string) => {
  const row = screen.getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return within(row);
};

/** Time inputs take their whole value at once, as a browser's time picker sets it. */
const setTime = (input: HTMLElement, value: string) => fireEvent.change(input, { target: { value } });

beforeEach(() => {
  Object.defineProperty(navigator, 'clipboard', {
    value: { writeText: vi.fn().mockResolvedValue(undefined) },
    configurable: true,
  });
});

afterEach(() => vi.restoreAllMocks());

describe('the groups list', () => {
  it('shows routing, ring time, chat limit and business hours, without archived groups until asked', async () => {
    const { argsOf } = await openGroups();
    await screen.findByRole('table', { name: 'Groups' });
    const support = rowOf('Support');
    expect(support.getByText('Automatic')).toBeTruthy();
    expect(support.getByText('30 s')).toBeTruthy();
    expect(support.getByText('Mon–Fri 09:00–17:00; Sat 10:00–14:00 (Europe/Berlin)')).toBeTruthy();
    const sales = rowOf('Sales');
    expect(sales.getByText('Manual')).toBeTruthy();
    expect(sales.getByText('45 s')).toBeTruthy();
    expect(sales.getByText('5')).toBeTruthy();
    expect(sales.getByText('Always open')).toBeTruthy();
    expect(screen.queryByRole('rowheader', { name: /Old queue/ })).toBeNull();

    await userEvent.click(screen.getByLabelText('Show archived groups'));
    expect(await screen.findByRole('rowheader', { name: /Old queue/ })).toBeTruthy();
    expect(rowOf('Old queue').getByText('Archived')).toBeTruthy();
    expect(argsOf('groups.list').slice(-2)).toEqual([{ includeArchived: false }, { includeArchived: true }]);
  });

  it('says when the server cannot be reached and tries again on request', async () => {
    const { server } = await openGroups('admin', (prepared) => {
      prepared.state.offline = true;
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(/cannot reach the server/);
    server.state.offline = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table', { name: 'Groups' })).toBeTruthy();
  });

  it('shows a lead the groups and their embed code, but nothing to change', async () => {
    await openGroups('lead');
    await screen.findByRole('table', { name: 'Groups' });
    expect(screen.getByText(/Read-only/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New group' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Edit / })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Archive / })).toBeNull();
    expect(screen.getByRole('button', { name: 'Embed code for Support' })).toBeTruthy();
  });
});

describe('the embed code', () => {
  it('is the server’s script tag for the group, on the signed-in server, and copies with a confirmation', async () => {
    await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Embed code for Sales' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Embed code for Sales' }));
    const code = '<script src="https://chat.example.eu/widget/parley.js" data-group="g2" async></script>';
    expect((dialog.getByLabelText('Embed code') as HTMLTextAreaElement).value).toBe(code);
    expect(dialog.getByLabelText('Embed code').hasAttribute('readonly')).toBe(true);
    await userEvent.click(dialog.getByRole('button', { name: 'Copy the embed code' }));
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(code);
    expect(dialog.getByRole('status').textContent).toBe('Copied');
  });
});

describe('creating a group', () => {
  async function startNewGroup() {
    await userEvent.click(await screen.findByRole('button', { name: 'New group' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New group' }));
    await userEvent.type(dialog.getByLabelText('Group name'), 'Billing');
    return dialog;
  }

  it('sends every setting and then shows the new group’s embed code', async () => {
    const { argsOf } = await openGroups();
    const dialog = await startNewGroup();
    await userEvent.selectOptions(dialog.getByLabelText('Routing'), 'Manual');
    await userEvent.click(dialog.getByLabelText('Open at set hours'));
    const zone = dialog.getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'europe/vienna');
    setTime(dialog.getByLabelText('Monday, interval 1: closes'), '12:00');
    await userEvent.click(dialog.getByRole('button', { name: 'Add opening hours on Monday' }));
    expect(document.activeElement).toBe(dialog.getByLabelText('Monday, interval 2: opens'));
    setTime(dialog.getByLabelText('Monday, interval 2: opens'), '13:00');
    setTime(dialog.getByLabelText('Monday, interval 2: closes'), '18:00');
    await userEvent.click(dialog.getByRole('button', { name: 'Remove Friday, interval 1' }));
    await userEvent.selectOptions(dialog.getByLabelText('Phone'), 'Optional');
    await userEvent.click(dialog.getByLabelText('Cookie-less mode'));
    await userEvent.click(dialog.getByRole('button', { name: 'Create group' }));

    const embed = within(await screen.findByRole('dialog', { name: 'Embed code for Billing' }));
    expect((embed.getByLabelText('Embed code') as HTMLTextAreaElement).value).toContain('data-group="g9"');
    const week = [
      [
        { from: '09:00', to: '12:00' },
        { from: '13:00', to: '18:00' },
      ],
      nineToFive,
      nineToFive,
      nineToFive,
      [],
      [],
      [],
    ];
    expect(argsOf('groups.create')).toEqual([
      {
        name: 'Billing',
        routingMode: 'manual',
        ringTimeoutSeconds: 30,
        defaultMaxChats: 3,
        businessHours: { timeZone: 'Europe/Vienna', days: week },
        prechatFields: { ...defaultPrechatFields, phone: 'optional' },
        widget: { ...defaultWidgetSettings, cookieless: true },
        privacyNoticeText: defaultPrivacyNotice.text,
      },
    ]);
    expect(screen.getByText('Billing was created. Add its embed code to your website.')).toBeTruthy();
  });

  it('refuses an unknown time zone and a closing time before the opening time, sending nothing', async () => {
    const { argsOf } = await openGroups();
    const dialog = await startNewGroup();
    await userEvent.click(dialog.getByLabelText('Open at set hours'));
    const zone = dialog.getByLabelText('Time zone');
    await userEvent.clear(zone);
    await userEvent.type(zone, 'Europe/Atlantis');
    setTime(dialog.getByLabelText('Tuesday, interval 1: closes'), '08:00');
    await userEvent.click(dialog.getByRole('button', { name: 'Create group' }));

    expect(
      dialog.getByText('There is no time zone called “Europe/Atlantis”. Use a name such as Europe/Berlin.'),
    ).toBeTruthy();
    expect(zone.getAttribute('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(zone);
    const closes = dialog.getByLabelText('Tuesday, interval 1: closes');
    expect(closes.getAttribute('aria-invalid')).toBe('true');
    expect(dialog.getByText(/Closes at 08:00, before it opens at 09:00/)).toBeTruthy();
    expect(dialog.getByRole('alert').textContent).toBe('Please correct the 2 highlighted fields.');
    expect(argsOf('groups.create')).toEqual([]);

    await userEvent.clear(zone);
    await userEvent.type(zone, 'UTC');
    setTime(closes, '17:30');
    expect(dialog.queryByRole('alert')).toBeNull();
  });

  it('refuses overlapping hours and out-of-range numbers, keeping what was typed', async () => {
    const { argsOf } = await openGroups();
    const dialog = await startNewGroup();
    const ring = dialog.getByLabelText('Ring time (seconds)');
    await userEvent.clear(ring);
    await userEvent.type(ring, '3');
    await userEvent.click(dialog.getByLabelText('Open at set hours'));
    await userEvent.click(dialog.getByRole('button', { name: 'Add opening hours on Wednesday' }));
    setTime(dialog.getByLabelText('Wednesday, interval 2: opens'), '16:00');
    await userEvent.click(dialog.getByRole('button', { name: 'Create group' }));
    expect(dialog.getByText('Enter a whole number from 5 to 600.')).toBeTruthy();
    expect(dialog.getByText('Overlaps 09:00–17:00.')).toBeTruthy();
    expect(argsOf('groups.create')).toEqual([]);
    expect((ring as HTMLInputElement).value).toBe('3');
    expect((dialog.getByLabelText('Group name') as HTMLInputElement).value).toBe('Billing');
  });

  it('shows the server’s refusal of a taken name and keeps the form', async () => {
    await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'New group' }));
    const dialog = within(screen.getByRole('dialog', { name: 'New group' }));
    await userEvent.type(dialog.getByLabelText('Group name'), 'sales');
    await userEvent.click(dialog.getByRole('button', { name: 'Create group' }));
    expect((await dialog.findByRole('alert')).textContent).toBe('There is already a group called “Sales”.');
    expect((dialog.getByLabelText('Group name') as HTMLInputElement).value).toBe('sales');
  });
});

describe('editing a group', () => {
  it('sends only what changed, and warns that a new notice text must be accepted again', async () => {
    const { argsOf } = await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Sales' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Sales' }));
    expect(dialog.getByText(/Current version: 1/)).toBeTruthy();
    expect(dialog.queryByText(/saving publishes a new version/)).toBeNull();
    const notice = dialog.getByLabelText('Notice (English)');
    await userEvent.clear(notice);
    await userEvent.type(notice, 'We keep chats for 30 days.');
    expect(
      dialog.getByText(/saving publishes a new version that every visitor must accept again/),
    ).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('groups.update')).toEqual([
      {
        groupId: 'g2',
        version: 1,
        privacyNoticeText: { en: 'We keep chats for 30 days.', de: defaultPrivacyNotice.text.de },
      },
    ]);
    expect(screen.getByText('Changes to Sales saved.')).toBeTruthy();
  });

  it('lets the admin stop visitors from changing their details during a chat, and allow it again', async () => {
    const { argsOf } = await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Sales' }));
    let dialog = within(screen.getByRole('dialog', { name: 'Edit Sales' }));
    const mayEdit = dialog.getByLabelText('Visitors may change their details during a chat');
    expect((mayEdit as HTMLInputElement).checked).toBe(true);
    await userEvent.click(mayEdit);
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('groups.update')).toEqual([
      { groupId: 'g2', version: 1, prechatFields: { ...defaultPrechatFields, visitorsMayEdit: false } },
    ]);

    await userEvent.click(screen.getByRole('button', { name: 'Edit Sales' }));
    dialog = within(screen.getByRole('dialog', { name: 'Edit Sales' }));
    const again = dialog.getByLabelText('Visitors may change their details during a chat');
    expect((again as HTMLInputElement).checked).toBe(false);
    await userEvent.click(again);
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(argsOf('groups.update')).toHaveLength(2));
    expect(argsOf('groups.update')[1]).toMatchObject({ prechatFields: defaultPrechatFields });
  });

  it('turns business hours off as "always open"', async () => {
    const { argsOf } = await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Support' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Support' }));
    expect((dialog.getByLabelText('Time zone') as HTMLInputElement).value).toBe('Europe/Berlin');
    await userEvent.click(dialog.getByLabelText('Always open'));
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(argsOf('groups.update')).toEqual([{ groupId: 'g1', version: 1, businessHours: null }]);
    expect(rowOf('Support').getByText('Always open')).toBeTruthy();
  });

  it('says when someone else changed the group meanwhile, keeps the input and offers the latest values', async () => {
    const { argsOf, server } = await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Edit Sales' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Edit Sales' }));
    server.state.groups = server.state.groups.map((candidate) =>
      candidate.id === 'g2' ? { ...candidate, ringTimeoutSeconds: 60, version: 2 } : candidate,
    );
    const name = dialog.getByLabelText('Group name');
    await userEvent.clear(name);
    await userEvent.type(name, 'Sales EU');
    await userEvent.click(dialog.getByRole('button', { name: 'Save' }));

    expect((await dialog.findByRole('alert')).textContent).toMatch(/changed by someone else/);
    expect((name as HTMLInputElement).value).toBe('Sales EU');
    await userEvent.click(dialog.getByRole('button', { name: 'Load the latest values' }));
    expect((dialog.getByLabelText('Ring time (seconds)') as HTMLInputElement).value).toBe('60');
    expect((dialog.getByLabelText('Group name') as HTMLInputElement).value).toBe('Sales');
    expect(argsOf('groups.update')).toHaveLength(1);
  });
});

describe('archiving', () => {
  it('archives after a confirmation, and unarchives', async () => {
    const { argsOf } = await openGroups();
    await userEvent.click(await screen.findByRole('button', { name: 'Archive Sales' }));
    const dialog = within(screen.getByRole('dialog', { name: 'Archive Sales?' }));
    expect(dialog.getByText(/its chat history stays/)).toBeTruthy();
    await userEvent.click(dialog.getByRole('button', { name: 'Archive' }));
    await waitFor(() => expect(screen.queryByRole('rowheader', { name: /^Sales/ })).toBeNull());
    expect(screen.getByText('Sales is archived.')).toBeTruthy();

    await userEvent.click(screen.getByLabelText('Show archived groups'));
    await userEvent.click(await screen.findByRole('button', { name: 'Unarchive Sales' }));
    await userEvent.click(
      within(screen.getByRole('dialog', { name: 'Unarchive Sales?' })).getByRole('button', {
        name: 'Unarchive',
      }),
    );
    expect(await screen.findByText('Sales takes chats again.')).toBeTruthy();
    expect(argsOf('groups.setArchived')).toEqual([
      { groupId: 'g2', archived: true },
      { groupId: 'g2', archived: false },
    ]);
  });
});
