import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../../protocol/ipc';
import { Select } from '../../ui/Select';
import { useSettingsStore } from './store';

const languages: Settings['language'][] = ['system', 'en', 'de'];
const themes: Settings['theme'][] = ['system', 'light', 'dark'];
const autoLockChoices = ['0', '5', '10', '15', '30', '60'] as const;

export function AppearanceControls() {
  const { t } = useTranslation();
  const settings = useSettingsStore((state) => state.settings);
  const update = useSettingsStore((state) => state.update);
  if (!settings) return null;

  return (
    <div className="toolbar" role="group" aria-label={t('settings.label')}>
      <Select
        label={t('settings.language')}
        value={settings.language}
        options={languages.map((value) => ({ value, label: t(`settings.languages.${value}`) }))}
        onChange={(language) => void update({ language })}
      />
      <Select
        label={t('settings.theme')}
        value={settings.theme}
        options={themes.map((value) => ({ value, label: t(`settings.themes.${value}`) }))}
        onChange={(theme) => void update({ theme })}
      />
      <Select
        label={t('settings.autoLock')}
        value={String(settings.autoLockMinutes)}
        options={[...new Set([...autoLockChoices, String(settings.autoLockMinutes)])].map((value) => ({
          value,
          label: value === '0' ? t('settings.autoLockOff') : t('settings.minutes', { count: Number(value) }),
        }))}
        onChange={(minutes) => void update({ autoLockMinutes: Number(minutes) })}
      />
    </div>
  );
}
