import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { I18nextProvider } from 'react-i18next';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { useSettingsStore } from '../../renderer/src/features/settings/store';
import { i18n } from '../../renderer/src/i18n';
import { inMemoryParley } from '../support/in-memory-parley';

let store: Map<string, unknown>;

beforeEach(async () => {
  await i18n.changeLanguage('en');
  const parley = inMemoryParley();
  store = parley.store;
  Object.defineProperty(window, 'parley', { value: parley.api, configurable: true });
  Object.defineProperty(navigator, 'language', { value: 'en-GB', configurable: true });
  useSettingsStore.setState({ settings: undefined, error: undefined });
});

function renderApp() {
  return render(
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>,
  );
}

describe('first screen', () => {
  it('offers both ways to start, as buttons with descriptions', async () => {
    renderApp();
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome to Parley' })).toBeTruthy();
    const choices = screen.getByRole('region', { name: 'How do you want to start?' });
    const server = within(choices).getByRole('button', { name: /Connect to a Parley server/ });
    expect(server.getAttribute('aria-describedby')).toBeTruthy();
    expect(within(choices).getByRole('button', { name: /Start a local workspace/ })).toBeTruthy();
  });

  it('switches to German and stores the choice', async () => {
    renderApp();
    await userEvent.selectOptions(await screen.findByLabelText('Language'), 'de');
    expect(await screen.findByRole('heading', { level: 1, name: 'Willkommen bei Parley' })).toBeTruthy();
    expect(screen.getByRole('button', { name: /Mit einem Parley-Server verbinden/ })).toBeTruthy();
    expect(screen.getByLabelText('Sprache')).toBeTruthy();
    expect(document.documentElement.lang).toBe('de');
    expect(store.get('settings')).toEqual({ language: 'de', theme: 'system' });
  });

  it('follows a German system language while the setting says "system"', async () => {
    Object.defineProperty(navigator, 'language', { value: 'de-AT', configurable: true });
    renderApp();
    expect(await screen.findByRole('heading', { name: 'Willkommen bei Parley' })).toBeTruthy();
  });

  it('applies the dark theme to the document', async () => {
    renderApp();
    await userEvent.selectOptions(await screen.findByLabelText('Theme'), 'dark');
    expect(document.documentElement.dataset['theme']).toBe('dark');
  });

  it('shows an alert when the desktop core cannot be reached', async () => {
    Object.defineProperty(window, 'parley', {
      value: {
        settings: {
          get: () =>
            Promise.reject({ code: 'internal', message: 'The connection to the Parley host was lost.' }),
        },
        on: () => () => undefined,
      },
      configurable: true,
    });
    renderApp();
    expect((await screen.findByRole('alert')).textContent).toContain(
      'The connection to the Parley host was lost.',
    );
  });
});
