import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { CodeForm } from './CodeForm';
import { useAuthStore } from './store';

export function SecondFactor({ state }: { state: Extract<AuthState, { status: 'second_factor' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);
  return (
    <main className="panel" aria-labelledby="code-title">
      <h1 id="code-title">{t('login.codeTitle')}</h1>
      <p className="lead">{t('login.codeLead', { username: state.username, server: state.server })}</p>
      <CodeForm
        label={t('login.code')}
        hint={t('login.codeHint')}
        submitLabel={t('login.verify')}
        error={state.error}
        onSubmit={(code) => run(() => window.parley.auth.submitCode({ code }))}
      />
    </main>
  );
}
