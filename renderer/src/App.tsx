import { useEffect, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { FirstScreen } from './features/connect/FirstScreen';
import { AppearanceControls } from './features/settings/AppearanceControls';
import { useSettingsStore } from './features/settings/store';
import { i18n, resolveLanguage } from './i18n';

const darkQuery = '(prefers-color-scheme: dark)';

function subscribeToColorScheme(onChange: () => void) {
  const query = window.matchMedia(darkQuery);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

function useSystemPrefersDark(): boolean {
  return useSyncExternalStore(subscribeToColorScheme, () => window.matchMedia(darkQuery).matches);
}

export function App() {
  const { t } = useTranslation();
  const settings = useSettingsStore((state) => state.settings);
  const error = useSettingsStore((state) => state.error);
  const load = useSettingsStore((state) => state.load);
  const prefersDark = useSystemPrefersDark();

  useEffect(() => {
    void load();
  }, [load]);

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
        <AppearanceControls />
      </header>
      {error ? (
        <p role="alert" className="notice notice-error">
          {t('app.unavailable', { message: error })}
        </p>
      ) : null}
      {settings ? <FirstScreen /> : <p className="loading">{t('app.loading')}</p>}
    </div>
  );
}
