import { useTranslation } from 'react-i18next';
import { Dialog } from '../../ui/Dialog';
import { Select } from '../../ui/Select';
import { AppearanceControls } from './AppearanceControls';
import { AttentionSettings } from './AttentionSettings';
import { useSettingsStore } from './store';

const autoAwayChoices = ['0', '2', '5', '10', '15', '30'] as const;

export function SettingsDialog({ onForgetDevice, onClose }: { onForgetDevice(): void; onClose(): void }) {
  const { t } = useTranslation();
  const settings = useSettingsStore((state) => state.settings);
  const update = useSettingsStore((state) => state.update);
  if (!settings) return null;
  return (
    <Dialog title={t('settings.title')} onClose={onClose} wide>
      <div className="settings">
        <section aria-labelledby="settings-appearance">
          <h3 id="settings-appearance">{t('settings.label')}</h3>
          <AppearanceControls />
        </section>
        <section aria-labelledby="settings-away">
          <h3 id="settings-away">{t('settings.presence')}</h3>
          <Select
            label={t('settings.autoAway')}
            value={String(settings.autoAwayMinutes)}
            options={[...new Set([...autoAwayChoices, String(settings.autoAwayMinutes)])].map((value) => ({
              value,
              label:
                value === '0' ? t('settings.autoAwayOff') : t('settings.minutes', { count: Number(value) }),
            }))}
            onChange={(minutes) => void update({ autoAwayMinutes: Number(minutes) })}
          />
        </section>
        <section aria-labelledby="settings-attention" className="settings-wide">
          <h3 id="settings-attention">{t('settings.attention')}</h3>
          <AttentionSettings />
        </section>
        <section aria-labelledby="settings-device" className="settings-wide">
          <h3 id="settings-device">{t('settings.device')}</h3>
          <button type="button" className="secondary danger" onClick={onForgetDevice}>
            {t('session.forgetDevice')}
          </button>
        </section>
      </div>
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </Dialog>
  );
}
