import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';
import { useAuthStore } from '../login/store';
import { ProfileFields, profileDraft, profileFrom } from './ProfileFields';
import { SigningInStatus } from './SigningInStatus';
import { useConnectStore } from './store';

export function ServerForm() {
  const { t } = useTranslation();
  const chosen = useConnectStore((state) => state.chosen);
  const show = useConnectStore((state) => state.show);
  const run = useAuthStore((state) => state.run);
  const busy = useAuthStore((state) => state.busy);
  const auth = useAuthStore((state) => state.auth);
  const error = auth?.status === 'signed_out' ? auth.error : undefined;
  const [draft, setDraft] = useState(() => profileDraft(chosen));
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    const profile = profileFrom(draft, chosen);
    void run(() => window.parley.auth.signIn({ profile, remember: draft.remember, username, password }));
  }

  return (
    <main className="panel" aria-labelledby="server-title">
      <h1 id="server-title">{t('connect.serverTitle')}</h1>
      <ErrorMessage error={error} />
      <form onSubmit={submit} className="form">
        <ProfileFields draft={draft} onChange={setDraft} autoFocus={!chosen} />
        <Field
          label={t('connect.username')}
          autoComplete="username"
          required
          autoFocus={Boolean(chosen)}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <Field
          label={t('connect.password')}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <FormActions
          backLabel={t('connect.back')}
          onBack={() => show('choose')}
          submitLabel={t('connect.signIn')}
          busy={busy}
        />
      </form>
      <SigningInStatus />
    </main>
  );
}
