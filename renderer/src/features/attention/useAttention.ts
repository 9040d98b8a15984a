import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attention } from '../../../../protocol/ipc';
import { playSound } from './sound';
import { useAttentionStore } from './store';

function notify(attention: Attention) {
  if (typeof window.Notification !== 'function' || window.Notification.permission !== 'granted') return;
  // One notification per chat and kind: a repeat replaces the earlier one instead of stacking up.
  const notification = new window.Notification(attention.title, {
    body: attention.body,
    tag: `${attention.kind}:${attention.chatId}`,
  });
  notification.onclick = () => {
    window.focus();
    useAttentionStore.getState().reveal(attention.chatId);
    notification.close();
  };
}

/**
 * Sounds and web notifications for `attention` events, the chat of a clicked native notification
 * (`chats.reveal`), and the waiting count in the window title.
 */
export function useAttention() {
  const { t } = useTranslation();
  const appName = t('app.name');
  const badge = useAttentionStore((state) => state.badge);

  useEffect(() => {
    useAttentionStore.getState().syncPermission();
    const stops = [
      window.parley.on('attention', (attention) => {
        playSound(attention.sound);
        if (attention.notify) notify(attention);
      }),
      window.parley.on('badge', ({ count }) => useAttentionStore.getState().setBadge(count)),
      // Electron has brought the window to the front for its native notification already.
      window.parley.on('chats.reveal', ({ chatId }) => useAttentionStore.getState().reveal(chatId)),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);

  useEffect(() => {
    document.title = badge > 0 ? `(${badge}) ${appName}` : appName;
    return () => {
      document.title = appName;
    };
  }, [badge, appName]);
}
