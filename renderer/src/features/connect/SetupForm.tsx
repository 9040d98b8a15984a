import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';
import { useAuthStore } from '../login/store';
import { ProfileFields, profileDraft, profileFrom } from './ProfileFields';
import { SigningInStatus } from './SigningInStatus';
import { useConnectStore } from './store';

/**
 * A new operator's first sign-in: the server, their username and the one-time code their
 * administrator handed them, and the password they choose. Two-factor enrolment follows.
 */
export function SetupForm() {
  const { t } = useTranslation();
  const show = useConnectStore((state) => state.show);
  const run = useAuthStore((state) => state.run);
  const busy = useAuthStore((state) => state.busy);
  const auth = useAuthStore((state) => state.auth);
  const serverError = auth?.status === 'signed_out' ? auth.error : undefined;
  const [draft, setDraft] = useState(() => profileDraft(undefined));
  const [username, setUsername] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [repeated, setRepeated] = useState('');
  const [mismatch, setMismatch] = useState(false);

  function submit(event: FormEvent) {
    event.preventDefault();
    // A typo in a password nobody else knows would lock the new operator out at once.
    if (password !== repeated) {
      setMismatch(true);
      return;
    }
    setMismatch(false);
    const profile = profileFrom(draft, undefined);
    void run(() => window.parley.auth.setup({ profile, remember: draft.remember, username, code, password }));
  }

  return (
    <main className="panel" aria-labelledby="setup-title">
      <h1 id="setup-title">{t('connect.setupTitle')}</h1>
      <p className="hint">{t('connect.setupLead')}</p>
      <ErrorMessage error={mismatch ? t('connect.passwordsDiffer') : serverError} />
      <form onSubmit={submit} className="form">
        <ProfileFields draft={draft} onChange={setDraft} autoFocus />
        <Field
          label={t('connect.username')}
          autoComplete="username"
          required
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
        <Field
          label={t('connect.setupCode')}
          hint={t('connect.setupCodeHint')}
          required
          spellCheck={false}
          autoComplete="one-time-code"
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
        <Field
          label={t('connect.newPassword')}
          hint={t('connect.newPasswordHint')}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <Field
          label={t('connect.repeatPassword')}
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={mismatch}
          value={repeated}
          onChange={(event) => setRepeated(event.target.value)}
        />
        <FormActions
          backLabel={t('connect.back')}
          onBack={() => show('choose')}
          submitLabel={t('connect.setupSubmit')}
          busy={busy}
        />
      </form>
      <SigningInStatus />
    </main>
  );
}
