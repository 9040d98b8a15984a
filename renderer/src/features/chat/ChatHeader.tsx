import { useTranslation } from 'react-i18next';
import type { ChatSummary } from '../../../../protocol/operator-socket';
import { useSessionStore } from '../session/store';
import { shortcutLabel } from '../session/shortcuts';
import { useGroupName } from '../team/store';
import { useChatStore } from './store';

/** Who the chat is with, and what the operator can do with it: transfer, ticket, end. */
export function ChatHeader({ chat }: { chat: ChatSummary }) {
  const { t } = useTranslation();
  const openDialog = useSessionStore((state) => state.openDialog);
  const ticket = useChatStore((state) => state.tickets[chat.id]);
  const group = useGroupName()(chat.groupId);
  const open = chat.status === 'open';

  return (
    <header className="chat-header">
      <div className="chat-title">
        <h2>{chat.visitorName}</h2>
        <span className="muted">
          {[group, open ? undefined : t('chat.ended')].filter((part) => part !== undefined).join(' · ')}
        </span>
      </div>
      <div className="chat-actions">
        {open ? (
          <button type="button" className="secondary small" onClick={() => openDialog('transfer')}>
            {t('chat.transfer')}
          </button>
        ) : null}
        <button type="button" className="secondary small" onClick={() => openDialog('ticket')}>
          {t('chat.createTicket')}
        </button>
        {open ? (
          <button
            type="button"
            className="secondary small danger"
            title={shortcutLabel('endChat')}
            onClick={() => openDialog('endChat')}
          >
            {t('chat.end')}
          </button>
        ) : null}
      </div>
      <p className="chat-outcome" aria-live="polite">
        {ticket === undefined ? '' : t('chat.ticketCreated', { number: ticket })}
      </p>
    </header>
  );
}
