import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Composer } from './Composer';
import { Conversation } from './Conversation';
import { unreadCount, useChatStore } from './store';

/** My chats as tabs (with unread counts), the open conversation and the composer. */
export function ChatWorkspace() {
  const { t } = useTranslation();
  const { chats, pending, activeId, seen, error, init, select, step } = useChatStore();

  useEffect(() => init(), [init]);

  // Alt+↓ / Alt+↑ move between chats from anywhere, including the composer.
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (!event.altKey || (event.key !== 'ArrowDown' && event.key !== 'ArrowUp')) return;
      event.preventDefault();
      step(event.key === 'ArrowDown' ? 1 : -1);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [step]);

  const active = chats.find((chat) => chat.id === activeId);
  if (!active) return <p className="empty">{t('session.empty')}</p>;

  return (
    <div className="workspace">
      <div role="tablist" aria-label={t('chat.tabs')} aria-orientation="vertical" className="chat-tabs">
        {chats.map((chat) => {
          const unread = chat.id === activeId ? 0 : unreadCount(chat, seen[chat.id]);
          return (
            <button
              key={chat.id}
              type="button"
              role="tab"
              id={`chat-tab-${chat.id}`}
              aria-selected={chat.id === activeId}
              aria-controls="chat-panel"
              tabIndex={chat.id === activeId ? 0 : -1}
              className="chat-tab"
              onClick={() => select(chat.id)}
            >
              <span>{chat.visitorName}</span>
              {unread > 0 ? (
                <span className="badge" aria-label={t('chat.unread', { count: unread })}>
                  {unread}
                </span>
              ) : null}
            </button>
          );
        })}
      </div>
      <section
        id="chat-panel"
        role="tabpanel"
        aria-labelledby={`chat-tab-${active.id}`}
        className="chat-panel"
      >
        <Conversation chat={active} pending={pending.filter((message) => message.chatId === active.id)} />
        <ErrorMessage error={error} />
        <Composer key={active.id} visitorName={active.visitorName} />
      </section>
    </div>
  );
}
