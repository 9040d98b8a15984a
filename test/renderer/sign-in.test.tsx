import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AuthState } from '../../protocol/ipc';
import { operator, renderApp } from '../support/render-app';

describe('signing in', () => {
  it('sends server, remember flag and credentials, never storing the password in the profile', async () => {
    const { callsOf } = await renderApp({
      'auth.signIn': () => ({ status: 'second_factor', server: 'Support EU', username: 'anna' }),
    });
    await userEvent.click(await screen.findByRole('button', { name: /Connect to a Parley server/ }));
    await userEvent.clear(screen.getByLabelText('Server address'));
    await userEvent.type(screen.getByLabelText('Server address'), 'https://chat.example.eu');
    await userEvent.type(screen.getByLabelText('Name'), 'Support EU');
    await userEvent.type(screen.getByLabelText('Username'), 'anna');
    await userEvent.type(screen.getByLabelText('Password'), 'secret words here');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { name: 'Two-factor authentication' })).toBeTruthy();
    expect(callsOf('auth.signIn')[0]?.args).toEqual({
      profile: { name: 'Support EU', url: 'https://chat.example.eu' },
      remember: true,
      username: 'anna',
      password: 'secret words here',
    });
  });

  it('keeps the operator on the code screen with the server’s message after a wrong code', async () => {
    await renderApp({
      'auth.state': () => ({ status: 'second_factor', server: 'Support EU', username: 'anna' }),
      'auth.submitCode': () => ({
        status: 'second_factor',
        server: 'Support EU',
        username: 'anna',
        error: { code: 'invalid_code', message: 'The code is not correct.' },
      }),
    });
    await userEvent.type(await screen.findByLabelText('Authentication code'), '123456{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('The code is not correct.');
    expect(screen.getByRole('heading', { name: 'Two-factor authentication' })).toBeTruthy();
  });

  it('shows the enrolment QR code and the key, then the recovery codes once', async () => {
    const enrol: AuthState = {
      status: 'enrol_totp',
      server: 'Local workspace',
      username: 'anna',
      secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
      otpauthUri: 'otpauth://totp/Parley:anna?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Parley',
      qrCode: 'data:image/png;base64,iVBORw0KGgo=',
    };
    const { callsOf } = await renderApp({
      'auth.state': () => enrol,
      'auth.confirmEnrolment': () => ({
        status: 'recovery_codes',
        server: 'Local workspace',
        codes: ['k7q2-m9xd-4hpa', 'b3nm-x8zt-qq2r'],
      }),
      'auth.acknowledgeRecoveryCodes': () => ({
        status: 'signed_in',
        server: 'Local workspace',
        serverOrigin: 'http://127.0.0.1:8411',
        operator,
        permissions: [],
      }),
    });
    const qr = await screen.findByRole('img', { name: 'QR code for your authenticator app' });
    expect(qr.getAttribute('src')).toBe(enrol.qrCode);
    expect(screen.getByLabelText('Or enter this key by hand').textContent).toBe(
      'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
    );

    await userEvent.type(screen.getByLabelText('Authentication code'), '654321');
    await userEvent.click(screen.getByRole('button', { name: 'Turn on two-factor authentication' }));
    expect(callsOf('auth.confirmEnrolment')[0]?.args).toEqual({ code: '654321' });
    expect(await screen.findByText('k7q2-m9xd-4hpa')).toBeTruthy();

    await userEvent.click(screen.getByRole('button', { name: 'I have saved these codes' }));
    expect(
      await screen.findByRole('heading', { name: 'Signed in as Anna Berg on Local workspace' }),
    ).toBeTruthy();
    expect(screen.queryByText('k7q2-m9xd-4hpa')).toBeNull();
  });

  it('shows the connection state and since when, and follows its changes', async () => {
    const { emit } = await renderApp({
      'auth.state': () => ({
        status: 'signed_in',
        server: 'Support EU',
        serverOrigin: 'https://chat.example.eu',
        operator,
        permissions: [],
      }),
      'connection.status': () => ({ state: 'online', since: '2026-11-23T09:00:00.000Z' }),
    });
    expect((await screen.findByRole('status')).textContent).toMatch(/^Online \(since /);
    emit('connection.changed', {
      state: 'reconnecting',
      since: '2026-11-23T09:05:00.000Z',
      nextAttemptAt: '2026-11-23T09:05:04.000Z',
    });
    expect((await screen.findByRole('status')).textContent).toMatch(/Reconnecting….*next attempt/);
  });

  it('locks and unlocks with password and code', async () => {
    const { callsOf } = await renderApp({
      'auth.state': () => ({
        status: 'signed_in',
        server: 'Support EU',
        serverOrigin: 'https://chat.example.eu',
        operator,
        permissions: [],
      }),
      'auth.lock': () => ({ status: 'locked', server: 'Support EU', username: 'anna', reason: 'manual' }),
      'auth.unlock': () => ({
        status: 'signed_in',
        server: 'Support EU',
        serverOrigin: 'https://chat.example.eu',
        operator,
        permissions: [],
      }),
    });
    await userEvent.click(await screen.findByRole('button', { name: 'Lock' }));
    expect(await screen.findByRole('heading', { name: 'Parley is locked' })).toBeTruthy();
    await userEvent.type(screen.getByLabelText('Password'), 'secret words here');
    await userEvent.type(
      screen.getByLabelText('Authentication code (if your server asks for one)'),
      '111222',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(await screen.findByRole('heading', { name: /Signed in as Anna Berg/ })).toBeTruthy();
    expect(callsOf('auth.unlock')[0]?.args).toEqual({ password: 'secret words here', code: '111222' });
  });

  it('shows notices from the core until they are dismissed', async () => {
    const { emit } = await renderApp();
    await screen.findByRole('heading', { name: 'Welcome to Parley' });
    emit('notice', { kind: 'cache_rebuilt', message: 'Part of the local cache was damaged.' });
    expect((await screen.findByRole('alert')).textContent).toContain('Part of the local cache was damaged.');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
