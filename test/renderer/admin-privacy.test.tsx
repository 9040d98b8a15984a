import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ParleyError } from '../../protocol/errors';
import type { RetentionPolicy } from '../../protocol/operator-socket';
import { permissionsOf, type Role } from '../../protocol/roles';
import { renderWorkspace } from '../support/render-app';

const stored: RetentionPolicy = {
  chatsDays: 365,
  ticketsDays: 730,
  visitorsDays: 365,
  consentsDays: 1095,
  auditDays: 730,
};

async function openPrivacy(role: Role, update?: (patch: Partial<RetentionPolicy>) => RetentionPolicy) {
  const app = await renderWorkspace(
    {},
    {
      permissions: permissionsOf(role),
      script: {
        'operators.list': () => ({ operators: [] }),
        'retention.get': () => stored,
        ...(update ? { 'retention.update': update } : {}),
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
