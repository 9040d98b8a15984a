import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';
import { useAuthStore } from './store';

export function LockScreen({ state }: { state: Extract<AuthState, { status: 'locked' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);
  const busy = useAuthStore((store) => store.busy);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    void run(() =>
      window.parley.auth.unlock({ password, ...(code.trim() ? { code: code.trim() } : {}) }),
    ).then(() => {
      setPassword('');
      setCode('');
    });
  }

  return (
    <main className="panel" aria-labelledby="lock-title">
      <h1 id="lock-title">{t('lock.title')}</h1>
      <p className="lead">
        {t(`lock.reasons.${state.reason}`)} {t('lock.lead', { username: state.username })}
      </p>
      <ErrorMessage error={state.error} />
      <form onSubmit={submit} className="form">
        <Field
          label={t('connect.password')}
          type="password"
          autoComplete="current-password"
          required
          autoFocus
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <Field
          label={t('lock.codeOptional')}
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <FormActions
          backLabel={t('lock.switchUser')}
          onBack={() => void run(() => window.parley.auth.signOut({ forgetDevice: false }))}
          submitLabel={t('lock.unlock')}
          busy={busy}
        />
      </form>
    </main>
  );
}
