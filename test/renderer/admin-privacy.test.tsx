import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { IpcArgs, IpcResult } from '../../protocol/ipc';
import type { PersonData, RetentionPolicy } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import { i18n } from '../../renderer/src/i18n';
import { renderWorkspace } from '../support/render-app';
import { captureDownloads } from './downloads';

const stored: RetentionPolicy = {
  chatsDays: 365,
  ticketsDays: 730,
  visitorsDays: 365,
  consentsDays: 1095,
  auditDays: 730,
};

async function openPrivacy(
  role: Role,
  update?: (patch: Partial<RetentionPolicy>) => RetentionPolicy,
  erasure: {
    search?: (args: IpcArgs<'privacy.search'>) => PersonData;
    erase?: (args: IpcArgs<'privacy.erase'>) => IpcResult<'privacy.erase'>;
    export?: (args: IpcArgs<'privacy.export'>) => IpcResult<'privacy.export'>;
  } = {},
) {
  const app = await renderWorkspace(
    {},
    {
      permissions: permissionsOf(role),
      script: {
        'operators.list': () => ({ operators: [] }),
        'retention.get': () => stored,
        // The masking rules (admin-masking.test.tsx) load the groups on the same screen.
        'groups.list': () => ({ groups: [] }),
        ...(update ? { 'retention.update': update } : {}),
        ...(erasure.search ? { 'privacy.search': erasure.search } : {}),
        ...(erasure.erase ? { 'privacy.erase': erasure.erase } : {}),
        ...(erasure.export ? { 'privacy.export': erasure.export } : {}),
      },
    },
  );
  await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
  await userEvent.click(screen.getByRole('tab', { name: 'Privacy' }));
  await screen.findByLabelText('Chats and messages (days)');
  return app;
}

describe('retention periods', () => {
  it('sends only the periods that changed and says so', async () => {
    const { callsOf } = await openPrivacy('admin', (patch) => ({ ...stored, ...patch }));
    const chats = screen.getByLabelText('Chats and messages (days)');
    await userEvent.clear(chats);
    await userEvent.type(chats, '90');
    await userEvent.click(screen.getByRole('button', { name: 'Save retention' }));
    expect(await screen.findByText('Saved.')).toBeTruthy();
    expect(callsOf('retention.update').map((call) => call.args)).toEqual([{ chatsDays: 90 }]);
  });

  it('refuses zero, negative and fractional days beside the field, sending nothing', async () => {
    const { callsOf } = await openPrivacy('admin', (patch) => ({ ...stored, ...patch }));
    for (const typed of ['0', '-5', '1.5', '']) {
      const audit = screen.getByLabelText('Audit log (days)');
      await userEvent.clear(audit);
      if (typed) await userEvent.type(audit, typed);
      await userEvent.click(screen.getByRole('button', { name: 'Save retention' }));
      expect(screen.getByText('Enter a whole number of days from 1 to 3650.')).toBeTruthy();
      expect(audit.getAttribute('aria-invalid')).toBe('true');
    }
    expect(callsOf('retention.update')).toEqual([]);
  });

  it('shows the server’s refusal and keeps what was typed', async () => {
    await openPrivacy('admin', () => {
      throw new ParleyError('forbidden', 'You may not change this.');
    });
    const visitors = screen.getByLabelText('Visitor records (days)');
    await userEvent.clear(visitors);
    await userEvent.type(visitors, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Save retention' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You may not change this.');
    expect((visitors as HTMLInputElement).value).toBe('30');
  });

  it('shows a lead the periods read-only', async () => {
    await openPrivacy('lead');
    expect((screen.getByLabelText('Consent records (days)') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save retention' })).toBeNull();
    expect(screen.getByText(/Read-only/)).toBeTruthy();
  });
});

const at = '2026-11-23T09:00:00.000Z';
const vera: PersonData = {
  visitors: [
    {
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      language: 'de',
      createdAt: at,
      lastSeenAt: at,
      consents: 2,
    },
  ],
  chats: [
    {
      id: 'c0000000-0000-4000-8000-000000000001',
      visitorName: 'Vera Visitor',
      email: 'vera@example.de',
      status: 'closed',
      createdAt: at,
    },
    {
      id: 'c0000000-0000-4000-8000-000000000002',
      visitorName: 'Vera V.',
      email: null,
      status: 'open',
      createdAt: '2026-11-24T15:30:00.000Z',
    },
  ],
  tickets: [
    {
      id: 't0000000-0000-4000-8000-000000000001',
      number: 1042,
      subject: 'Parcel by form',
      requesterName: 'Vera V.',
      requesterEmail: 'vera@example.de',
      createdAt: at,
    },
  ],
};
const erasedAll = { erasureId: 'e1', visitors: 1, chats: 2, tickets: 1, consents: 2 };

async function findVera(erase?: (args: IpcArgs<'privacy.erase'>) => IpcResult<'privacy.erase'>) {
  const app = await openPrivacy('admin', undefined, { search: () => vera, ...(erase ? { erase } : {}) });
  await userEvent.type(screen.getByLabelText('Email, name or id'), '  vera@example.de ');
  await userEvent.click(screen.getByRole('button', { name: 'Find' }));
  await screen.findByRole('table', { name: /^Chats/ });
  return app;
}

async function confirmErasure(reason: string) {
  await userEvent.click(screen.getByRole('button', { name: 'Erase selected…' }));
  const dialog = screen.getByRole('dialog', { name: 'Erase this person’s data?' });
  if (reason) await userEvent.type(within(dialog).getByLabelText('Reason'), reason);
  await userEvent.click(within(dialog).getByRole('button', { name: 'Erase for good' }));
  return dialog;
}

describe('exporting a person’s data', () => {
  afterEach(() => vi.restoreAllMocks());

  it('exports the ticked records as one ZIP with the JSON document and the CSV files', async () => {
    const files = captureDownloads();
    const exported: IpcResult<'privacy.export'> = {
      exportedAt: '2026-11-23T09:00:00.000Z',
      visitors: [],
      chats: [],
      tickets: [],
    };
    const { argsOf } = await openPrivacy('admin', undefined, { search: () => vera, export: () => exported });
    await userEvent.type(screen.getByLabelText('Email, name or id'), 'vera@example.de');
    await userEvent.click(screen.getByRole('button', { name: 'Find' }));
    await userEvent.click(await screen.findByRole('checkbox', { name: /^Ticket #1042/ }));
    await userEvent.click(screen.getByRole('button', { name: 'Export selected' }));

    expect(await screen.findByText(/^Saved parley-person-\d{4}-\d{2}-\d{2}\.zip/)).toBeTruthy();
    expect(argsOf('privacy.export')).toEqual([
      {
        visitorIds: [vera.visitors[0]?.id],
        chatIds: vera.chats.map((chat) => chat.id),
        ticketIds: [],
      },
    ]);
    expect(files.map((file) => [file.name.replace(/\d/g, '0'), file.blob.type])).toEqual([
      ['parley-person-0000-00-00.zip', 'application/zip'],
    ]);
    // A ZIP: local file header first, and the first entry is the whole document.
    const bytes = new Uint8Array((await files[0]?.blob.arrayBuffer()) ?? new ArrayBuffer(0));
    expect([...bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    expect(new TextDecoder().decode(bytes.slice(30, 41))).toBe('person.json');
  });
});

describe('erasing a person’s data', () => {
  it('searches for the trimmed query and shows visitors, chats and tickets, all ticked', async () => {
    const { argsOf } = await findVera();
    expect(argsOf('privacy.search')).toEqual([{ query: 'vera@example.de' }]);
    const visitors = screen.getByRole('table', { name: /^Visitor records/ });
    const chats = screen.getByRole('table', { name: /^Chats/ });
    const tickets = screen.getByRole('table', { name: /^Tickets/ });
    expect(within(visitors).getAllByRole('row')).toHaveLength(2);
    expect(within(chats).getAllByRole('row')).toHaveLength(3);
    expect(within(tickets).getByText('#1042')).toBeTruthy();
    const boxes = screen.getAllByRole<HTMLInputElement>('checkbox', {
      name: /^(Visitor record|Chat with|Ticket)/,
    });
    expect(boxes).toHaveLength(4);
    expect(boxes.every((box) => box.checked)).toBe(true);
    expect(screen.getByRole('checkbox', { name: /^Visitor record a1b2c3d4, last seen/ })).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /^Ticket #1042, Parcel by form$/ })).toBeTruthy();
  });

  it('marks the chat that is open right now, and still lets it be erased', async () => {
    await findVera();
    const open = screen.getByRole('checkbox', { name: /^Chat with Vera V\.,/ });
    const row = open.closest('tr');
    expect(row && within(row).getByText('Open, being served now')).toBeTruthy();
    expect((open as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Erase selected…' }));
    expect(screen.getByText(/1 of these chats is open/)).toBeTruthy();
  });

  it('says so when nothing is found', async () => {
    await openPrivacy('admin', undefined, { search: () => ({ visitors: [], chats: [], tickets: [] }) });
    await userEvent.type(screen.getByLabelText('Email, name or id'), 'nobody@example.de{Enter}');
    expect(await screen.findByText('Nothing found for “nobody@example.de”.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Erase selected…' })).toBeNull();
  });

  it('refuses a one-letter query beside the field, sending nothing', async () => {
    const { callsOf } = await openPrivacy('admin', undefined, { search: () => vera });
    await userEvent.type(screen.getByLabelText('Email, name or id'), 'v');
    await userEvent.click(screen.getByRole('button', { name: 'Find' }));
    expect(screen.getByText('Enter 2 to 200 characters.')).toBeTruthy();
    expect(callsOf('privacy.search')).toEqual([]);
  });

  it('asks for a reason, refuses to erase without one, then sends every ticked id', async () => {
    const { argsOf } = await findVera(() => erasedAll);
    await userEvent.click(screen.getByRole('button', { name: 'Erase selected…' }));
    const dialog = screen.getByRole('dialog', { name: 'Erase this person’s data?' });
    for (const item of ['2 chats', '1 ticket', '1 visitor record', '2 consent records']) {
      expect(within(dialog).getByText(item)).toBeTruthy();
    }
    expect(within(dialog).getByText(/cannot be undone.*Every operator’s desktop/)).toBeTruthy();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Erase for good' }));
    expect(within(dialog).getByText('Give a reason of 3 to 500 characters.')).toBeTruthy();
    expect(within(dialog).getByLabelText('Reason')).toBe(document.activeElement);
    await userEvent.type(within(dialog).getByLabelText('Reason'), 'ok');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Erase for good' }));
    expect(argsOf('privacy.erase')).toEqual([]);

    await userEvent.type(within(dialog).getByLabelText('Reason'), ' – request 2026-114');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Erase for good' }));
    expect(
      await screen.findByText('Erased 2 chats, 1 ticket, 1 visitor record and 2 consent records.'),
    ).toBeTruthy();
    expect(argsOf('privacy.erase')).toEqual([
      {
        visitorIds: [vera.visitors[0]?.id],
        chatIds: vera.chats.map((chat) => chat.id),
        ticketIds: [vera.tickets[0]?.id],
        reason: 'ok – request 2026-114',
      },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.queryByRole('table', { name: /^Chats/ })).toBeNull();
    expect(screen.getByLabelText<HTMLInputElement>('Email, name or id')).toBe(document.activeElement);
    expect(screen.getByLabelText<HTMLInputElement>('Email, name or id').value).toBe('');
  });

  it('leaves out what was unticked', async () => {
    const { argsOf } = await findVera(() => ({
      ...erasedAll,
      visitors: 0,
      consents: 0,
      chats: 1,
      tickets: 0,
    }));
    await userEvent.click(screen.getByRole('checkbox', { name: /^Visitor record a1b2c3d4/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: /^Chat with Vera V\.,/ }));
    await userEvent.click(screen.getByRole('checkbox', { name: 'All tickets' }));
    expect(screen.getByText('1 of 4 selected')).toBeTruthy();
    const dialog = await confirmErasure('Request 2026-115');
    expect(within(dialog).queryByText(/visitor record/)).toBeNull();
    expect(
      await screen.findByText('Erased 1 chat, 0 tickets, 0 visitor records and 0 consent records.'),
    ).toBeTruthy();
    expect(argsOf('privacy.erase')).toEqual([
      { visitorIds: [], chatIds: [vera.chats[0]?.id], ticketIds: [], reason: 'Request 2026-115' },
    ]);
  });

  it('offers nothing to erase once every row is unticked', async () => {
    await findVera();
    for (const group of ['All visitor records', 'All chats', 'All tickets']) {
      await userEvent.click(screen.getByRole('checkbox', { name: group }));
    }
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Erase selected…' }).disabled).toBe(true);
  });

  it('shows the server’s refusal in the dialog and keeps the selection and the reason', async () => {
    await findVera(() => {
      throw new ParleyError('not_found', 'Nothing to erase: these records are already gone.');
    });
    await userEvent.click(screen.getByRole('checkbox', { name: /^Chat with Vera Visitor/ }));
    const dialog = await confirmErasure('Request 2026-116');
    expect((await within(dialog).findByRole('alert')).textContent).toBe(
      'Nothing to erase: these records are already gone.',
    );
    expect((within(dialog).getByLabelText('Reason') as HTMLTextAreaElement).value).toBe('Request 2026-116');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: /^Chat with Vera Visitor/ }).checked).toBe(
      false,
    );
    expect(screen.getByRole<HTMLInputElement>('checkbox', { name: /^Chat with Vera V\.,/ }).checked).toBe(
      true,
    );
    expect(screen.getByText('3 of 4 selected')).toBeTruthy();
  });

  it('is not there for a lead', async () => {
    await openPrivacy('lead');
    expect(screen.queryByRole('heading', { name: 'Erase a person’s data' })).toBeNull();
    expect(screen.queryByLabelText('Email, name or id')).toBeNull();
  });

  it('speaks German with Sie', async () => {
    await openPrivacy('admin', undefined, { search: () => vera });
    await i18n.changeLanguage('de');
    await userEvent.type(screen.getByLabelText('E-Mail, Name oder Kennung'), 'vera{Enter}');
    await userEvent.click(await screen.findByRole('button', { name: 'Auswahl löschen…' }));
    await userEvent.click(screen.getByRole('button', { name: 'Endgültig löschen' }));
    expect(screen.getByText('Geben Sie einen Grund mit 3 bis 500 Zeichen an.')).toBeTruthy();
    expect(screen.getByRole('checkbox', { name: /^Chat mit Vera Visitor/ })).toBeTruthy();
  });
});
