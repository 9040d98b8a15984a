import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuthState } from '../../protocol/ipc';
import { FirstScreen } from './features/connect/FirstScreen';
import { useConnectStore } from './features/connect/store';
import { EnrolTotp } from './features/login/EnrolTotp';
import { LockScreen } from './features/login/LockScreen';
import { RecoveryCodes } from './features/login/RecoveryCodes';
import { SecondFactor } from './features/login/SecondFactor';
import { useAuthStore } from './features/login/store';
import { SessionBar } from './features/session/SessionBar';
import { SessionShell } from './features/session/SessionShell';
import { AppearanceControls } from './features/settings/AppearanceControls';
import { useSettingsStore } from './features/settings/store';
import { i18n, resolveLanguage } from './i18n';
import { Notices } from './ui/Notices';

const darkQuery = '(prefers-color-scheme: dark)';
const activityEveryMs = 15_000;

function subscribeToColorScheme(onChange: () => void) {
  const query = window.matchMedia(darkQuery);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function useSystemPrefersDark(): boolean {
  return useSyncExternalStore(subscribeToColorScheme, () => window.matchMedia(darkQuery).matches);
}

/** Tells the core about input now and then: the browser host has no system idle clock. */
function useActivityReports() {
  useEffect(() => {
    let last = 0;
    const report = () => {
      if (Date.now() - last < activityEveryMs) return;
      last = Date.now();
      void window.parley.app.activity().catch(() => undefined);
    };
    window.addEventListener('keydown', report, true);
    window.addEventListener('pointerdown', report, true);
    return () => {
      window.removeEventListener('keydown', report, true);
      window.removeEventListener('pointerdown', report, true);
    };
  }, []);
}

function Screen({ auth }: { auth: AuthState }) {
  switch (auth.status) {
    case 'signed_out':
    case 'signing_in': // the form stays, so nothing typed is lost if the sign-in fails
      return <FirstScreen />;
    case 'second_factor':
      return <SecondFactor state={auth} />;
    case 'enrol_totp':
      return <EnrolTotp state={auth} />;
    case 'recovery_codes':
      return <RecoveryCodes state={auth} />;
    case 'signed_in':
      return <SessionShell state={auth} />;
    case 'locked':
      return <LockScreen state={auth} />;
  }
}

export function App() {
  const { t } = useTranslation();
  const settings = useSettingsStore((state) => state.settings);
  const error = useSettingsStore((state) => state.error);
  const loadSettings = useSettingsStore((state) => state.load);
  const auth = useAuthStore((state) => state.auth);
  const initAuth = useAuthStore((state) => state.init);
  const prefersDark = useSystemPrefersDark();
  const showConnectView = useConnectStore((state) => state.show);
  useActivityReports();

  // After a sign-in, signing out should start from the choices again, not the last form.
  const signedIn = auth?.status === 'signed_in';
  useEffect(() => {
    if (signedIn) showConnectView('choose');
  }, [signedIn, showConnectView]);

  useEffect(() => {
    void loadSettings();
    void initAuth().catch(() => undefined);
  }, [loadSettings, initAuth]);

  useEffect(() => {
    if (!settings) return;
    const language = resolveLanguage(settings.language, navigator.language);
    void i18n.changeLanguage(language);
    document.documentElement.lang = language;
  }, [settings]);

  const theme = settings?.theme === 'system' || !settings ? (prefersDark ? 'dark' : 'light') : settings.theme;
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  return (
    <div className="app">
      <header className="app-bar">
        <span className="brand">{t('app.name')}</span>
        {/* Signed in, appearance moves into Settings to make room for the session's controls. */}
        {auth?.status === 'signed_in' ? <SessionBar state={auth} /> : <AppearanceControls />}
      </header>
      {error ? (
        <p role="alert" className="notice notice-error">
          {t('app.unavailable', { message: error })}
        </p>
      ) : null}
      <Notices />
      {settings && auth ? <Screen auth={auth} /> : <p className="loading">{t('app.loading')}</p>}
    </div>
  );
}
