import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { CodeForm } from './CodeForm';
import { useAuthStore } from './store';

/** The secret in groups of four, as authenticator apps show it, so it can be typed without losing place. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

export function EnrolTotp({ state }: { state: Extract<AuthState, { status: 'enrol_totp' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);
  return (
    <main className="panel" aria-labelledby="enrol-title">
      <h1 id="enrol-title">{t('login.enrolTitle')}</h1>
      <p className="lead">{t('login.enrolLead')}</p>
      <CodeForm
        label={t('login.code')}
        submitLabel={t('login.enrol')}
        error={state.error}
        onSubmit={(code) => run(() => window.parley.auth.confirmEnrolment({ code }))}
      >
        <div className="enrol">
          <img src={state.qrCode} alt={t('login.qrAlt')} width={220} height={220} />
          <div>
            <p className="muted">{t('login.secret')}</p>
            <code className="secret" aria-label={t('login.secret')}>
              {grouped(state.secret)}
            </code>
          </div>
        </div>
      </CodeForm>
    </main>
  );
}
