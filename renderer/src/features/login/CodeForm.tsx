import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParleyErrorData } from '../../../../protocol/errors';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { FormActions } from '../../ui/FormActions';
import { useAuthStore } from './store';

/** One code field and a submit button: shared by the second factor and TOTP enrolment. */
export function CodeForm(props: {
  label: string;
  hint?: string;
  submitLabel: string;
  error: ParleyErrorData | undefined;
  onSubmit(code: string): Promise<unknown>;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const busy = useAuthStore((state) => state.busy);
  const run = useAuthStore((state) => state.run);
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    void props.onSubmit(code.trim()).then(() => setCode(''));
  }

  return (
    <form onSubmit={submit} className="form">
      {props.children}
      <ErrorMessage error={props.error} />
      <Field
        label={props.label}
        hint={props.hint}
        inputMode="text"
        autoComplete="one-time-code"
        required
        autoFocus
        value={code}
        onChange={(event) => setCode(event.target.value)}
      />
      <FormActions
        backLabel={t('login.cancel')}
        onBack={() => void run(() => window.parley.auth.signOut({ forgetDevice: false }))}
        submitLabel={props.submitLabel}
        busy={busy}
      />
    </form>
  );
}
