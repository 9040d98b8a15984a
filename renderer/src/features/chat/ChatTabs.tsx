import { useTranslation } from 'react-i18next';
import { unreadCount, useChatStore } from './store';

export const chatPanelId = 'chat-panel';
export const chatTabId = (chatId: string) => `chat-tab-${chatId}`;

/** My chats as vertical tabs with unread counts; Alt+↑/↓ moves between them from anywhere. */
export function ChatTabs() {
  const { t } = useTranslation();
  const { chats, activeId, seen, select } = useChatStore();
  return (
    <section className="my-chats" aria-labelledby="my-chats-title">
      <div className="column-head">
        <h2 id="my-chats-title">{t('chat.mine', { count: chats.length })}</h2>
      </div>
      {chats.length === 0 ? (
        <p className="muted column-empty">{t('chat.none')}</p>
      ) : (
        <div role="tablist" aria-label={t('chat.tabs')} aria-orientation="vertical" className="chat-tabs">
          {chats.map((chat) => {
            const unread = chat.id === activeId ? 0 : unreadCount(chat, seen[chat.id]);
            return (
              <button
                key={chat.id}
                type="button"
                role="tab"
                id={chatTabId(chat.id)}
                aria-selected={chat.id === activeId}
                aria-controls={chatPanelId}
                tabIndex={chat.id === activeId ? 0 : -1}
                className={chat.status === 'closed' ? 'chat-tab chat-tab-closed' : 'chat-tab'}
                onClick={() => select(chat.id)}
              >
                <span className="chat-tab-name">{chat.visitorName}</span>
                {chat.status === 'closed' ? <span className="muted">{t('chat.ended')}</span> : null}
                {unread > 0 ? (
                  <span className="badge" aria-label={t('chat.unread', { count: unread })}>
                    {unread}
                  </span>
                ) : null}
              </button>
            );
          })}
        </div>
      )}
    </section>
  );
}
