import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingMessage } from '../../../../protocol/ipc';
import type { ChatSummary } from '../../../../protocol/operator-socket';

function time(iso: string, language: string) {
  return new Date(iso).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
}

/**
 * The messages of one chat. Everything is rendered as text: a visitor's "<script>" is shown, never
 * run. Messages still in the outbox show as sending until the server has them.
 */
export function Conversation({ chat, pending }: { chat: ChatSummary; pending: PendingMessage[] }) {
  const { t, i18n } = useTranslation();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [chat.messages.length, pending.length]);

  return (
    <ol className="conversation" role="log" aria-label={t('chat.conversation', { name: chat.visitorName })}>
      {chat.messages.map((message) => (
        <li key={message.id} className={`message message-${message.author.kind}`}>
          <span className="message-meta">
            {message.author.kind === 'operator' ? t('chat.you') : message.author.name} ·{' '}
            {time(message.createdAt, i18n.language)}
          </span>
          <span className="message-text">{message.text}</span>
        </li>
      ))}
      {pending.map((message) => (
        <li key={message.clientMsgId} className="message message-operator message-pending">
          <span className="message-meta">
            {t('chat.you')} · {t('chat.sending')}
          </span>
          <span className="message-text">{message.text}</span>
        </li>
      ))}
      <li ref={end} aria-hidden="true" className="conversation-end" />
    </ol>
  );
}
