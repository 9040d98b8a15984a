import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { Attention } from '../../../../protocol/ipc';
import { useChatStore } from '../chat/store';
import { focusQueue } from '../queue/focus';
import { playSound } from './sound';
import { useAttentionStore } from './store';

/** Brings the operator to what rang: their chat, or the queue for a chat they have not taken yet. */
function attend(attention: Attention) {
  window.focus();
  if (useChatStore.getState().chats.some((chat) => chat.id === attention.chatId)) {
    useChatStore.getState().select(attention.chatId);
  } else {
    focusQueue();
  }
}

function notify(attention: Attention) {
  if (typeof window.Notification !== 'function' || window.Notification.permission !== 'granted') return;
  // One notification per chat and kind: a repeat replaces the earlier one instead of stacking up.
  const notification = new window.Notification(attention.title, {
    body: attention.body,
    tag: `${attention.kind}:${attention.chatId}`,
  });
  notification.onclick = () => {
    attend(attention);
    notification.close();
  };
}

/** Sounds and web notifications for `attention` events, and the waiting count in the window title. */
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
