import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../protocol/ipc';
import { renderApp, renderWithI18n, resetStores } from '../support/render-app';

beforeEach(() => {
  Object.defineProperty(navigator, 'language', { value: 'en-GB', configurable: true });
});

describe('first screen', () => {
  it('offers both ways to start, as buttons with descriptions', async () => {
    await renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeTruthy();
    const choices = screen.getByRole('region', { name: 'How do you want to start?' });
    const server = within(choices).getByRole('button', { name: /Connect to a Parley server/ });
    expect(server.getAttribute('aria-describedby')).toBeTruthy();
    expect(within(choices).getByRole('button', { name: /Start a local workspace/ })).toBeTruthy();
  });

  it('switches to German and stores the choice', async () => {
    const { store } = await renderApp();
    await userEvent.selectOptions(await screen.findByLabelText('Language'), 'de');
    expect(await screen.findByRole('heading', { level: 1, name: 'Willkommen bei Parley' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Mit einem Parley-Server verbinden/ })).toBeTruthy();
    expect(screen.getByLabelText('Sprache')).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    expect(store.get('settings')).toEqual({ ...defaultSettings, language: 'de' });
  });

  it('follows a German system language while the setting says "system"', async () => {
    Object.defineProperty(navigator, 'language', { value: 'de-AT', configurable: true });
    await renderApp();
    expect(await screen.findByRole('heading', { name: 'Willkommen bei Parley' })).toBeTruthy();
  });

  it('applies the dark theme to the document', async () => {
    await renderApp();
    await userEvent.selectOptions(await screen.findByLabelText('Theme'), 'dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
  });

  it('hides the local workspace when the admin policy forbids it, and says why connections are blocked', async () => {
    await renderApp({
      'profiles.list': () => ({
        profiles: [],
        allowLocalWorkspace: false,
        policyError: 'The connection policy file at /etc/parley/policy.json is invalid',
      }),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('/etc/parley/policy.json');
    expect(screen.queryByRole('button', { name: /Start a local workspace/ })).toBeNull();
  });

  it('shows an alert when the desktop core cannot be reached', async () => {
    Object.defineProperty(window, 'parley', {
      value: {
        settings: {
          get: () =>
            Promise.reject({ code: 'internal', message: 'The connection to the Parley host was lost.' }),
        },
        auth: { state: () => new Promise(() => undefined) },
        connection: { status: () => new Promise(() => undefined) },
        app: { activity: () => Promise.resolve({}) },
        on: () => () => undefined,
      },
      configurable: true,
    });
    resetStores();
    renderWithI18n();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The connection to the Parley host was lost.',
    );
  });
});

describe('auto-lock setting', () => {
  it('lets the operator choose when Parley locks itself, or turn it off', async () => {
    const { store } = await renderApp();
    const lockAfter = await screen.findByLabelText('Lock after');
    expect((lockAfter as HTMLSelectElement).value).toBe('10');
    await userEvent.selectOptions(lockAfter, '0');
    expect(store.get('settings')).toMatchObject({ autoLockMinutes: 0 });
    expect(within(lockAfter).getByRole('option', { name: 'Never' })).toBeTruthy();
  });
});
