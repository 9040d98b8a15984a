import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { App } from '../../renderer/src/App';
import { useConnectStore } from '../../renderer/src/features/connect/store';
import { useAuthStore } from '../../renderer/src/features/login/store';
import { useSettingsStore } from '../../renderer/src/features/settings/store';
import { i18n } from '../../renderer/src/i18n';
import type { IpcHandlers } from '../../main/core/ipc-router';
import type { OperatorProfile } from '../../protocol/auth';
import { inMemoryParley } from './in-memory-parley';

/** The signed-in operator the renderer tests script. */
export const operator: OperatorProfile = {
  id: 'o1',
  username: 'anna',
  displayName: 'Anna Berg',
  role: 'agent',
  groupIds: [],
  totpEnabled: true,
};

export function resetStores() {
  useSettingsStore.setState({ settings: undefined, error: undefined });
  useAuthStore.setState({ auth: undefined, connection: undefined, notices: [], busy: false });
  useConnectStore.setState({ view: 'choose', profiles: [], chosen: undefined, policyError: undefined });
}

export function renderWithI18n() {
  return render(
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>,
  );
}

/** Renders the whole app against a scripted window.parley, with every store reset. */
export async function renderApp(script: Partial<IpcHandlers> = {}) {
  await i18n.changeLanguage('en');
  const parley = inMemoryParley(script);
  Object.defineProperty(window, 'parley', { value: parley.api, configurable: true });
  resetStores();
  const view = render(
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>,
  );
  return { ...parley, view };
}
