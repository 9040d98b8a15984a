import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { toParleyErrorData } from '../../../../protocol/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';
import { useAuthStore } from '../login/store';
import { useConnectStore } from './store';

/** A new workspace asks for its first admin; an existing one just for the sign-in. */
export function WorkspaceForm() {
  const { t } = useTranslation();
  const exists = useConnectStore((state) => state.workspaceExists);
  const show = useConnectStore((state) => state.show);
  const run = useAuthStore((state) => state.run);
  const busy = useAuthStore((state) => state.busy);
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string>();

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!exists && password !== repeat) return setError(t('workspace.passwordsDiffer'));
    setError(undefined);
    void run(async () => {
      try {
        const profile = await window.parley.workspace.start(
          exists ? {} : { admin: { username, displayName: displayName || username, password } },
        );
        return await window.parley.auth.signIn({ profile, remember: false, username, password });
      } catch (failure) {
        setError(toParleyErrorData(failure).message);
        return window.parley.auth.state();
      }
    });
  }

  return (
    <main className="panel" aria-labelledby="workspace-title">
      <h1 id="workspace-title">{t('workspace.title')}</h1>
      <p className="lead">{exists ? t('workspace.signInLead') : t('workspace.createLead')}</p>
      <ErrorMessage error={error} />
      <form onSubmit={submit} className="form">
        <Field
          label={t('connect.username')}
          autoComplete="username"
          required
          autoFocus
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        {exists ? null : (
          <Field
            label={t('workspace.displayName')}
            autoComplete="name"
            value={displayName}
            onChange={(event) => setDisplayName(event.target.value)}
          />
        )}
        <Field
          label={t('connect.password')}
          type="password"
          autoComplete={exists ? 'current-password' : 'new-password'}
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        {exists ? null : (
          <Field
            label={t('workspace.repeatPassword')}
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(event) => setRepeat(event.target.value)}
          />
        )}
        <FormActions
          backLabel={t('connect.back')}
          onBack={() => show('choose')}
          submitLabel={exists ? t('connect.signIn') : t('workspace.create')}
          busy={busy}
        />
      </form>
      {busy ? <p role="status">{t('workspace.starting')}</p> : null}
    </main>
  );
}
