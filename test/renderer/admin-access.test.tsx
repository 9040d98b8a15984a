import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { permissionsOf, type Role } from '../../protocol/roles';
import { renderApp, renderWorkspace } from '../support/render-app';

export const retention = {
  chatsDays: 365,
  ticketsDays: 730,
  visitorsDays: 365,
  consentsDays: 1095,
  auditDays: 730,
};

const adminData = {
  'operators.list': () => ({ operators: [] }),
  'groups.list': () => ({ groups: [] }),
  'policy.get': () => ({
    totpRequiredRoles: ['agent', 'lead', 'admin'] as Role[],
    sessionIdleMinutes: 30,
    sessionLifetimeHours: 12,
    lockout: { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 },
    passwordMinLength: 12,
    trustedProxies: [],
    addressPolicy: 'truncated' as const,
    honourDoNotTrack: true,
  }),
  'ipRules.list': () => ({ rules: [], yourAddress: '127.0.0.1' }),
  'sessions.list': () => ({ sessions: [] }),
  'audit.list': () => ({ entries: [], nextCursor: null }),
  'retention.get': () => retention,
};

function signedInAs(role: Role) {
  return renderWorkspace({}, { permissions: permissionsOf(role), script: adminData });
}

async function openAdministration() {
  await userEvent.click(await screen.findByRole('button', { name: 'Administration' }));
  return screen.getByRole('tablist', { name: undefined });
}

describe('administration follows the role table', () => {
  it('shows an agent no administration at all', async () => {
    await signedInAs('agent');
    expect(screen.queryByRole('button', { name: 'Administration' })).toBeNull();
    expect(screen.queryByRole('tab')).toBeNull();
  });

  it('shows a lead operators, groups, security and privacy, read-only, but not sessions or the audit log', async () => {
    await signedInAs('lead');
    const tabs = await openAdministration();
    expect(
      within(tabs)
        .getAllByRole('tab')
        .map((tab) => tab.textContent),
    ).toEqual(['Operators', 'Groups', 'Security', 'Privacy']);
    expect(await screen.findByText(/Read-only/)).toBeTruthy();
  });

  it('shows an admin every screen, moves between them with the arrow keys, and back to the chats', async () => {
    await signedInAs('admin');
    const tabs = await openAdministration();
    expect(
      within(tabs)
        .getAllByRole('tab')
        .map((tab) => tab.textContent),
    ).toEqual(['Operators', 'Groups', 'Security', 'Privacy', 'Sessions', 'Audit log']);
    expect(screen.queryByText(/Read-only/)).toBeNull();
    within(tabs).getByRole('tab', { name: 'Operators' }).focus();
    await userEvent.keyboard('{ArrowDown}');
    expect(within(tabs).getByRole('tab', { name: 'Groups' }).getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement?.textContent).toBe('Groups');
    await userEvent.keyboard('{ArrowUp}{ArrowUp}');
    expect(within(tabs).getByRole('tab', { name: 'Audit log' }).getAttribute('aria-selected')).toBe('true');

    await userEvent.click(screen.getByRole('button', { name: 'Chats' }));
    expect(screen.queryByRole('tablist')).toBeNull();
    expect(screen.getByRole('button', { name: 'Administration' }).getAttribute('aria-current')).toBeNull();
  });
});

describe('setting up a new account', () => {
  async function openSetup(script = {}) {
    const app = await renderApp(script);
    await userEvent.click(await screen.findByRole('button', { name: /Set up my account/ }));
    await userEvent.clear(screen.getByLabelText('Server address'));
    await userEvent.type(screen.getByLabelText('Server address'), 'https://chat.example.eu');
    await userEvent.type(screen.getByLabelText('Username'), 'newbie');
    await userEvent.type(screen.getByLabelText('Set-up code'), 'k7q2m9xd4hpab3nmx8ztqq2rk7q2m9xd4hpab3nm');
    await userEvent.type(screen.getByLabelText('Choose a password'), 'seven quiet harbour lights');
    return app;
  }

  it('refuses two different passwords before anything is sent', async () => {
    const { callsOf } = await openSetup();
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'seven quiet harbour light');
    await userEvent.click(screen.getByRole('button', { name: 'Set up and sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/two passwords differ/);
    expect(callsOf('auth.setup')).toEqual([]);
    expect((screen.getByLabelText('Set-up code') as HTMLInputElement).value).not.toBe('');
  });

  it('sends server, username, code and password, then goes on to two-factor enrolment', async () => {
    const { callsOf } = await openSetup({
      'auth.setup': () => ({
        status: 'enrol_totp',
        server: 'chat.example.eu',
        username: 'newbie',
        secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        otpauthUri: 'otpauth://totp/Parley:newbie?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
        qrCode: 'data:image/png;base64,iVBORw0KGgo=',
      }),
    });
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'seven quiet harbour lights');
    await userEvent.click(screen.getByRole('button', { name: 'Set up and sign in' }));
    expect(await screen.findByRole('img', { name: 'QR code for your authenticator app' })).toBeTruthy();
    expect(callsOf('auth.setup')[0]?.args).toEqual({
      profile: { name: 'chat.example.eu', url: 'https://chat.example.eu' },
      remember: true,
      username: 'newbie',
      code: 'k7q2m9xd4hpab3nmx8ztqq2rk7q2m9xd4hpab3nm',
      password: 'seven quiet harbour lights',
    });
  });

  it('shows the server’s refusal of a used code and keeps what was typed', async () => {
    await openSetup({
      'auth.setup': () => ({
        status: 'signed_out',
        error: {
          code: 'invalid_code',
          message: 'This set-up code is not valid any more. Ask your administrator for a new one.',
        },
      }),
    });
    await userEvent.type(screen.getByLabelText('Repeat the password'), 'seven quiet harbour lights');
    await userEvent.click(screen.getByRole('button', { name: 'Set up and sign in' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not valid any more/);
    expect((screen.getByLabelText('Username') as HTMLInputElement).value).toBe('newbie');
  });
});
