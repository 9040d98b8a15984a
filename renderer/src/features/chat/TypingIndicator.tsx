import { useTranslation } from 'react-i18next';
import { useChatStore } from './store';

/** "Vera is typing…": polite, so it never interrupts what a screen reader is saying. */
export function TypingIndicator({ chatId, visitorName }: { chatId: string; visitorName: string }) {
  const { t } = useTranslation();
  const typing = useChatStore((state) => state.visitorTyping[chatId] === true);
  return (
    <p className="typing" aria-live="polite">
      {typing ? t('chat.typing', { name: visitorName }) : ''}
    </p>
  );
}
