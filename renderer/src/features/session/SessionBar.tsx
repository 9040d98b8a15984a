import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../../../protocol/ipc';
import { GearIcon } from '../../ui/icons';
import { useAuthStore } from '../login/store';
import { StatusControl } from '../team/StatusControl';
import { ConnectionIndicator } from './ConnectionIndicator';
import { ViewSwitch } from './ViewSwitch';
import { shortcutLabel } from './shortcuts';
import { useSessionStore } from './store';

/** The signed-in header: who and where, my status, the connection, and the session's own actions. */
export function SessionBar({ state }: { state: Extract<AuthState, { status: 'signed_in' }> }) {
  const { t } = useTranslation();
  const run = useAuthStore((store) => store.run);
  const openDialog = useSessionStore((store) => store.openDialog);

  return (
    <div className="session-bar">
      <h1
        className="shell-title"
        title={t('session.signedInAs', { name: state.operator.displayName, server: state.server })}
      >
        <span className="visually-hidden">
          {t('session.signedInAs', { name: state.operator.displayName, server: state.server })}
        </span>
        <span aria-hidden="true">
          {state.operator.displayName} <span className="muted">· {state.server}</span>
        </span>
      </h1>
      <ViewSwitch permissions={state.permissions} />
      <StatusControl />
      <ConnectionIndicator />
      <div className="actions">
        <button
          type="button"
          className="quiet icon"
          aria-label={t('settings.title')}
          title={t('settings.title')}
          onClick={() => openDialog('settings')}
        >
          <GearIcon />
        </button>
        <button
          type="button"
          className="quiet icon"
          aria-label={t('shortcuts.title')}
          title={`${t('shortcuts.title')} (${shortcutLabel('help')})`}
          onClick={() => openDialog('shortcuts')}
        >
          ?
        </button>
        <button type="button" className="secondary" onClick={() => void run(() => window.parley.auth.lock())}>
          {t('session.lock')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => void run(() => window.parley.auth.signOut({ forgetDevice: false }))}
        >
          {t('session.signOut')}
        </button>
      </div>
    </div>
  );
}
