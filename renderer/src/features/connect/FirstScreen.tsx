import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useAuthStore } from '../login/store';
import { ServerForm } from './ServerForm';
import { SetupForm } from './SetupForm';
import { useConnectStore } from './store';
import { WorkspaceForm } from './WorkspaceForm';

/** A large button with a one-line explanation, read out as its description. */
function ChoiceButton(props: { title: string; hint: string; onClick(): void }) {
  const hintId = useId();
  return (
    <button type="button" className="choice" aria-describedby={hintId} onClick={props.onClick}>
      <span className="choice-title">{props.title}</span>
      <span id={hintId} className="choice-hint">
        {props.hint}
      </span>
    </button>
  );
}

export function FirstScreen() {
  const { t } = useTranslation();
  const { view, profiles, allowLocalWorkspace, policyError, load, show, forget } = useConnectStore();
  const lastError = useAuthStore((state) =>
    state.auth?.status === 'signed_out' ? state.auth.error : undefined,
  );

  useEffect(() => {
    void load();
  }, [load]);

  if (view === 'server') return <ServerForm />;
  if (view === 'setup') return <SetupForm />;
  if (view === 'workspace') return <WorkspaceForm />;

  return (
    <main className="first-screen" aria-labelledby="first-screen-title">
      <h1 id="first-screen-title">{t('connect.title')}</h1>
      <p className="lead">{t('connect.lead')}</p>
      <ErrorMessage error={policyError ? t('connect.policyError', { message: policyError }) : lastError} />
      {profiles.length > 0 ? (
        <section aria-labelledby="saved-servers" className="saved">
          <h2 id="saved-servers">{t('connect.saved')}</h2>
          <ul>
            {profiles.map((profile) => (
              <li key={profile.id}>
                <button type="button" className="link" onClick={() => show('server', profile)}>
                  {t('connect.signInTo', { name: profile.name })}
                </button>
                <span className="muted">{profile.url}</span>
                <button
                  type="button"
                  className="quiet"
                  aria-label={t('connect.forget', { name: profile.name })}
                  onClick={() => void forget(profile)}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-label={t('connect.choices')} className="choices">
        <ChoiceButton
          title={t('connect.server')}
          hint={t('connect.serverHint')}
          onClick={() => show('server')}
        />
        <ChoiceButton
          title={t('connect.setup')}
          hint={t('connect.setupHint')}
          onClick={() => show('setup')}
        />
        {allowLocalWorkspace ? (
          <ChoiceButton
            title={t('connect.local')}
            hint={t('connect.localHint')}
            onClick={() => show('workspace')}
          />
        ) : null}
      </section>
    </main>
  );
}
