import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { ChatHeader } from './ChatHeader';
import { chatPanelId, chatTabId } from './ChatTabs';
import { Composer } from './Composer';
import { Conversation } from './Conversation';
import { useChatStore } from './store';
import { TypingIndicator } from './TypingIndicator';

/** Closes an ended chat's tab; the button goes with it, so the keyboard lands on the tab now in front. */
async function closeChat(chatId: string) {
  await useChatStore.getState().dismiss(chatId);
  const { activeId } = useChatStore.getState();
  if (activeId !== undefined) document.getElementById(chatTabId(activeId))?.focus();
}

/** The chat in front of the operator: header, messages, the visitor typing, the composer. */
export function ChatView() {
  const { t } = useTranslation();
  const { chats, pending, activeId, error } = useChatStore();
  const active = chats.find((chat) => chat.id === activeId);
  if (!active) {
    return (
      <section className="chat-panel chat-panel-empty" aria-label={t('chat.noneSelected')}>
        <p className="empty">{t('session.empty')}</p>
      </section>
    );
  }
  return (
    <section id={chatPanelId} role="tabpanel" aria-labelledby={chatTabId(active.id)} className="chat-panel">
      <ChatHeader chat={active} />
      <Conversation chat={active} pending={pending.filter((message) => message.chatId === active.id)} />
      <TypingIndicator chatId={active.id} visitorName={active.visitorName} />
      <ErrorMessage error={error} />
      {active.status === 'open' ? (
        <Composer key={active.id} chatId={active.id} visitorName={active.visitorName} />
      ) : (
        <div className="chat-ended">
          <p>{t('chat.endedNote')}</p>
          <button
            type="button"
            className="secondary small"
            aria-label={t('chat.close', { name: active.visitorName })}
            onClick={() => void closeChat(active.id)}
          >
            {t('common.close')}
          </button>
        </div>
      )}
    </section>
  );
}
