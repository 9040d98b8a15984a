import { useTranslation } from 'react-i18next';
import { soundSchema, type AttentionSettings as Attention, type Sound } from '../../../../protocol/ipc';
import { Checkbox } from '../../ui/Checkbox';
import { Select } from '../../ui/Select';
import { playSound } from '../attention/sound';
import { useAttentionStore } from '../attention/store';
import { useSettingsStore } from './store';

const events = ['newChat', 'newMessage'] as const;
const repeats = ['0', '15', '30', '60'] as const;

/** Per event a notification and a sound (with a preview), ringing again, and do-not-disturb. */
export function AttentionSettings() {
  const { t } = useTranslation();
  const attention = useSettingsStore((state) => state.settings?.attention);
  const update = useSettingsStore((state) => state.update);
  const blocked = useAttentionStore((state) => state.permission === 'denied');
  if (!attention) return null;
  const change = (patch: Partial<Attention>) => void update({ attention: { ...attention, ...patch } });

  return (
    <>
      {events.map((event) => {
        const rule = attention[event];
        return (
          <fieldset key={event} className="attention-rule">
            <legend>{t(`settings.events.${event}`)}</legend>
            <Checkbox
              label={t('settings.notify')}
              checked={rule.notify}
              onChange={(notify) => change({ [event]: { ...rule, notify } })}
            />
            <Select<Sound>
              label={t('settings.sound')}
              value={rule.sound}
              options={soundSchema.options.map((sound) => ({
                value: sound,
                label: t(`settings.sounds.${sound}`),
              }))}
              onChange={(sound) => change({ [event]: { ...rule, sound } })}
            />
            <button
              type="button"
              className="secondary small"
              disabled={rule.sound === 'none'}
              aria-label={t('settings.play', { event: t(`settings.events.${event}`) })}
              onClick={() => playSound(rule.sound)}
            >
              {t('settings.playShort')}
            </button>
          </fieldset>
        );
      })}
      <Select
        label={t('settings.repeat')}
        value={String(attention.repeatSeconds) as (typeof repeats)[number]}
        options={repeats.map((value) => ({
          value,
          label:
            value === '0' ? t('settings.repeatOff') : t('settings.repeatEvery', { count: Number(value) }),
        }))}
        onChange={(value) => change({ repeatSeconds: Number(value) as Attention['repeatSeconds'] })}
      />
      <Checkbox
        label={t('settings.doNotDisturb')}
        checked={attention.doNotDisturb}
        onChange={(doNotDisturb) => change({ doNotDisturb })}
      />
      <p className="hint">{t('settings.doNotDisturbHint')}</p>
      {blocked ? <p className="hint">{t('settings.notificationsBlocked')}</p> : null}
    </>
  );
}
