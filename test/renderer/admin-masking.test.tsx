import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import { defaultMaskingRules, type MaskingRules } from '../../protocol/masking';
import type { AdminGroup } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import { defaultPrechatFields } from '../../protocol/visitor-socket';
import { i18n } from '../../renderer/src/i18n';
import type { IpcHandlers } from '../../main/core/ipc-router';
import { renderWorkspace } from '../support/render-app';
import { adminGroup } from './fixtures';

const group = adminGroup;

const salesRules: MaskingRules = { ...defaultMaskingRules, email: 'partial', phone: 'hidden' };

/** The server's groups as the masking table uses them: listed, and updated against a version. */
function groupServer() {
  const state: { groups: AdminGroup[]; refusal?: string } = {
    groups: [
      group('g1', 'Support'),
      group('g2', 'Sales', {
        masking: salesRules,
        prechatFields: { ...defaultPrechatFields, customLabel: { en: 'Order number', de: 'Bestellnummer' } },
        version: 3,
      }),
      group('g3', 'Old queue', { archived: true }),
    ],
  };
  const handlers: Partial<IpcHandlers> = {
    'operators.list': () => ({ operators: [] }),
    'retention.get': () => ({
      chatsDays: 365,
      ticketsDays: 730,
      visitorsDays: 365,
      consentsDays: 1095,
      auditDays: 730,
    }),
    'groups.list': ({ includeArchived } = {}) => ({
      groups: state.groups.filter((candidate) => includeArchived === true || !candidate.archived),
    }),
    // Only the masking rules: nothing else of a group is changed from this screen.
    'groups.update': ({ groupId, version, masking }) => {
      if (state.refusal) throw new ParleyError('forbidden', state.refusal);
      const current = state.groups.find((candidate) => candidate.id === groupId);
      if (!current) throw new ParleyError('not_found', 'There is no such group.');
      if (current.version !== version) {
        throw new ParleyError('conflict', 'Someone else changed this group. Reload and try again.');
      }
      const changed = { ...current, masking: masking ?? current.masking, version: version + 1 };
      state.groups = state.groups.map((candidate) => (candidate.id === groupId ? changed : candidate));
      return { group: changed };
    },
  };
  return { state, handlers };
}

async function openMasking(role: Role = 'admin') {
  const server = groupServer();
  const app = await renderWorkspace({}, { permissions: permissionsOf(role), script: server.handlers });
  await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
  await userEvent.click(screen.getByRole('tab', { name: 'Privacy' }));
  const table = await screen.findByRole('table', { name: 'Masking rules per group' });
  return { ...app, server, table: within(table) };
}

const choice = (label: string) => screen.getByLabelText(label) as HTMLSelectElement;

describe('masking rules', () => {
  it('shows each open group’s rules, and what “Partly” makes of a value', async () => {
    const { table } = await openMasking();
    expect(table.getAllByRole('rowheader').map((header) => header.textContent)).toEqual(['Support', 'Sales']);
    expect(choice('Email in Sales').value).toBe('partial');
    expect(choice('Phone in Sales').value).toBe('hidden');
    expect(choice('Name in Sales').value).toBe('show');
    // The custom column goes by each group's own label.
    expect(choice('Order number in Sales').value).toBe('show');
    expect(choice('Reference in Support').value).toBe('show');
    expect([...choice('Email in Support').options].map((option) => option.text)).toEqual([
      'Show',
      'Partly',
      'Hide',
    ]);
    const headings = table.getAllByRole('columnheader').map((heading) => heading.textContent);
    expect(headings).toContain('Email Partly shows: j•••@e•••.com');
    expect(headings).toContain('Phone Partly shows: +44 ••• ••• 58');
  });

  it('saves the changed group only, with the version it was loaded at and all its rules', async () => {
    const { argsOf } = await openMasking();
    // A choice taken back leaves nothing to save.
    await userEvent.selectOptions(choice('Name in Support'), 'Hide');
    await userEvent.selectOptions(choice('Name in Support'), 'Show');
    expect(screen.queryByRole('button', { name: 'Save masking rules for Support' })).toBeNull();

    await userEvent.selectOptions(choice('Name in Sales'), 'Partly');
    await userEvent.selectOptions(choice('Email in Sales'), 'Hide');
    await userEvent.click(screen.getByRole('button', { name: 'Save masking rules for Sales' }));

    expect(await screen.findByText('Masking rules for Sales saved.')).toBeTruthy();
    expect(argsOf('groups.update')).toEqual([
      { groupId: 'g2', version: 3, masking: { ...salesRules, name: 'partial', email: 'hidden' } },
    ]);
    expect(screen.queryByRole('button', { name: /^Save masking rules/ })).toBeNull();
    expect(choice('Email in Sales').value).toBe('hidden');
    // Save is gone with the change; focus stays in the row.
    expect(document.activeElement).toBe(choice('Name in Sales'));
  });

  it('keeps the choices when someone else saved first, and loads the saved rules on request', async () => {
    const { server, argsOf } = await openMasking();
    await userEvent.selectOptions(choice('Company in Sales'), 'Hide');
    // Another administrator changes Sales meanwhile.
    server.state.groups = server.state.groups.map((candidate) =>
      candidate.id === 'g2'
        ? { ...candidate, masking: { ...salesRules, name: 'hidden' }, version: 4 }
        : candidate,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save masking rules for Sales' }));

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Someone else changed the rules for Sales meanwhile');
    expect(choice('Company in Sales').value).toBe('hidden');
    expect(choice('Name in Sales').value).toBe('show');
    expect(
      (screen.getByRole('button', { name: 'Save masking rules for Sales' }) as HTMLButtonElement).disabled,
    ).toBe(true);

    await userEvent.click(within(alert).getByRole('button', { name: 'Load the saved rules' }));
    await waitFor(() => expect(choice('Name in Sales').value).toBe('hidden'));
    expect(choice('Company in Sales').value).toBe('show');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Save masking rules for Sales' })).toBeNull();
    expect(argsOf('groups.update')).toHaveLength(1);
    expect(document.activeElement).toBe(choice('Name in Sales'));
  });

  it('shows the server’s refusal in the group’s row and keeps the choice', async () => {
    const { server } = await openMasking();
    server.state.refusal = 'Your role may not change groups.';
    await userEvent.selectOptions(choice('Phone in Support'), 'Partly');
    await userEvent.click(screen.getByRole('button', { name: 'Save masking rules for Support' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Your role may not change groups.');
    expect(choice('Phone in Support').value).toBe('partial');
  });

  it('speaks German, with each group’s German label for its custom field', async () => {
    await openMasking();
    await i18n.changeLanguage('de');
    expect([...choice('E-Mail in Sales').options].map((option) => option.text)).toEqual([
      'Anzeigen',
      'Teilweise',
      'Verbergen',
    ]);
    expect(choice('Bestellnummer in Sales').value).toBe('show');
    expect(screen.getByRole('columnheader', { name: 'E-Mail Teilweise zeigt: m•••@e•••.de' })).toBeTruthy();
  });

  it('shows a lead the rules read-only', async () => {
    const { table } = await openMasking('lead');
    expect(screen.getByText(/Read-only/)).toBeTruthy();
    const selects = table.getAllByRole('combobox') as HTMLSelectElement[];
    expect(selects).toHaveLength(10);
    expect(selects.every((select) => select.disabled)).toBe(true);
    expect(choice('Email in Sales').value).toBe('partial');
    expect(table.queryByRole('button')).toBeNull();
  });
});
