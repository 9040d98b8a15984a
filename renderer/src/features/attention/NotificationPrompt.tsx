import { useTranslation } from 'react-i18next';
import { useSettingsStore } from '../settings/store';
import { useAttentionStore } from './store';

/**
 * Asks for notification permission politely: a dismissible note with a button, shown only while
 * the browser has not been asked yet and the operator wants notifications at all.
 */
export function NotificationPrompt() {
  const { t } = useTranslation();
  const { permission, promptDismissed, requestPermission, dismissPrompt } = useAttentionStore();
  const attention = useSettingsStore((state) => state.settings?.attention);
  const wanted =
    attention !== undefined &&
    !attention.doNotDisturb &&
    (attention.newChat.notify || attention.newMessage.notify);
  if (permission !== 'default' || promptDismissed || !wanted) return null;
  return (
    <div className="prompt" role="region" aria-label={t('attention.promptLabel')}>
      <span>{t('attention.prompt')}</span>
      <button type="button" className="secondary" onClick={() => void requestPermission()}>
        {t('attention.allow')}
      </button>
      <button type="button" className="quiet" onClick={dismissPrompt}>
        {t('attention.notNow')}
      </button>
    </div>
  );
}
