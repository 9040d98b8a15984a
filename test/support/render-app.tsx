import { render, waitFor } from '@testing-library/react';
import { expect } from 'vitest';
import type { StoreApi, UseBoundStore } from 'zustand';
import { I18nextProvider } from 'react-i18next';
import { App } from '../../renderer/src/App';
import { usePrivacyStore } from '../../renderer/src/features/admin/privacy/store';
import { useAdminStore } from '../../renderer/src/features/admin/store';
import { useAttentionStore } from '../../renderer/src/features/attention/store';
import { useCannedStore } from '../../renderer/src/features/canned/store';
import { useChatStore } from '../../renderer/src/features/chat/store';
import { useConnectStore } from '../../renderer/src/features/connect/store';
import { useAuthStore } from '../../renderer/src/features/login/store';
import { useQueueStore } from '../../renderer/src/features/queue/store';
import { useSessionStore } from '../../renderer/src/features/session/store';
import { useSettingsStore } from '../../renderer/src/features/settings/store';
import { useTeamStore } from '../../renderer/src/features/team/store';
import { useRevealStore } from '../../renderer/src/features/visitor/reveal-store';
import { useVisitorStore } from '../../renderer/src/features/visitor/store';
import { i18n } from '../../renderer/src/i18n';
import type { IpcHandlers } from '../../main/core/ipc-router';
import type { OperatorProfile } from '../../protocol/auth';
import type { Permission } from '../../protocol/roles';
import { inMemoryParley, type WorkspaceState } from './in-memory-parley';

/** The signed-in operator the renderer tests script. */
export const operator: OperatorProfile = {
  id: 'o1',
  username: 'anna',
  displayName: 'Anna Berg',
  role: 'agent',
  groupIds: [],
  totpEnabled: true,
};

function reset<S>(store: UseBoundStore<StoreApi<S>>) {
  store.setState(store.getInitialState(), true);
}

export function resetStores() {
  reset(useSettingsStore);
  reset(useAuthStore);
  reset(useConnectStore);
  reset(useChatStore);
  reset(useQueueStore);
  reset(useTeamStore);
  reset(useCannedStore);
  reset(useVisitorStore);
  useRevealStore.getState().forget(); // stops its expiry timers too
  reset(useRevealStore);
  reset(useSessionStore);
  reset(useAttentionStore);
  reset(useAdminStore);
  reset(usePrivacyStore);
}

export function renderWithI18n() {
  return render(
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>,
  );
}

/** Renders the whole app against a scripted window.parley, with every store reset. */
export async function renderApp(script: Partial<IpcHandlers> = {}, workspace: Partial<WorkspaceState> = {}) {
  await i18n.changeLanguage('en');
  const parley = inMemoryParley(script, workspace);
  Object.defineProperty(window, 'parley', { value: parley.api, configurable: true });
  resetStores();
  const view = render(
    <I18nextProvider i18n={i18n}>
      <App />
    </I18nextProvider>,
  );
  return { ...parley, view };
}

/** Renders the app signed in as `operator`, with `workspace` as the server's state, once the queue has loaded. */
export async function renderWorkspace(
  workspace: Partial<WorkspaceState> = {},
  options: { script?: Partial<IpcHandlers>; permissions?: Permission[] } = {},
) {
  const app = await renderApp(
    {
      'auth.state': () => ({
        status: 'signed_in',
        server: 'Support EU',
        serverOrigin: 'https://chat.example.eu',
        operator,
        permissions: options.permissions ?? ['chat.handle', 'tickets.work'],
      }),
      ...options.script,
    },
    workspace,
  );
  await waitFor(() => {
    expect(useTeamStore.getState().me).toBeDefined();
    expect(useQueueStore.getState().loaded).toBe(true);
  });
  return app;
}
