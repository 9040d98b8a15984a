import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { ChatWorkspace } from '../chat/ChatWorkspace';
import { useAuthStore } from '../login/store';
import { ConnectionIndicator } from './ConnectionIndicator';

export function SessionShell({ state }: { state: Extract<AuthState, { status: 'signed_in' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);

  function forgetDevice() {
    if (window.confirm(t('session.forgetConfirm'))) {
      void run(() => window.parley.auth.signOut({ forgetDevice: true }));
    }
  }

  return (
    <main className="shell" aria-labelledby="shell-title">
      <div className="shell-bar">
        <h1 id="shell-title" className="shell-title">
          {t('session.signedInAs', { name: state.operator.displayName, server: state.server })}
        </h1>
        <ConnectionIndicator />
        <div className="actions">
          <button
            type="button"
            className="secondary"
            onClick={() => void run(() => window.parley.auth.lock())}
          >
            {t('session.lock')}
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() => void run(() => window.parley.auth.signOut({ forgetDevice: false }))}
          >
            {t('session.signOut')}
          </button>
          <button type="button" className="quiet" onClick={forgetDevice}>
            {t('session.forgetDevice')}
          </button>
        </div>
      </div>
      <ChatWorkspace />
    </main>
  );
}
