import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingMessage } from '../../../../protocol/ipc';
import type { ChatMessage, ChatSummary } from '../../../../protocol/operator-socket';

function time(iso: string, language: string) {
  return new Date(iso).toLocaleTimeString(language, { hour: '2-digit', minute: '2-digit' });
}

function Message({ message }: { message: ChatMessage }) {
  const { t, i18n } = useTranslation();
  const at = time(message.createdAt, i18n.language);
  // System notes (a transfer and its note, the chat ending) are about the chat, not part of the talk.
  if (message.author.kind === 'system') {
    return (
      <li className="message message-system">
        <span className="message-meta">
          {t('chat.systemNote')} · {at}
        </span>
        <span className="message-text">{message.text}</span>
      </li>
    );
  }
  return (
    <li className={`message message-${message.author.kind}`}>
      <span className="message-meta">
        {message.author.kind === 'operator' ? t('chat.you') : message.author.name} · {at}
      </span>
      <span className="message-text">{message.text}</span>
    </li>
  );
}

/**
 * The messages of one chat. Everything is rendered as text: a visitor's "<script>" is shown, never
 * run. Messages still in the outbox show as sending until the server has them.
 */
export function Conversation({ chat, pending }: { chat: ChatSummary; pending: PendingMessage[] }) {
  const { t } = useTranslation();
  const end = useRef<HTMLLIElement>(null);
  useEffect(() => {
    end.current?.scrollIntoView?.({ block: 'end' });
  }, [chat.id, chat.messages.length, pending.length]);

  return (
    <ol className="conversation" role="log" aria-label={t('chat.conversation', { name: chat.visitorName })}>
      {chat.messages.map((message) => (
        <Message key={message.id} message={message} />
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
