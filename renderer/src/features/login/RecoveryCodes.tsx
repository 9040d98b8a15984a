import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { useAuthStore } from './store';

export function RecoveryCodes({ state }: { state: Extract<AuthState, { status: 'recovery_codes' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);
  return (
    <main className="panel" aria-labelledby="recovery-title">
      <h1 id="recovery-title">{t('login.recoveryTitle')}</h1>
      <p className="lead">{t('login.recoveryLead')}</p>
      <ol className="codes" aria-labelledby="recovery-title">
        {state.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button
          type="button"
          className="primary"
          autoFocus
          onClick={() => void run(() => window.parley.auth.acknowledgeRecoveryCodes())}
        >
          {t('login.recoverySaved')}
        </button>
      </div>
    </main>
  );
}
