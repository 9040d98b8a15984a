import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatSummary } from '../../../../protocol/operator-socket';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { useAction } from '../../ui/useAction';
import { useChatStore } from './store';

/** Turns the chat into a ticket with its transcript; the subject is optional. */
export function TicketDialog({ chat, onClose }: { chat: ChatSummary; onClose(): void }) {
  const { t } = useTranslation();
  const createTicket = useChatStore((state) => state.createTicket);
  const [subject, setSubject] = useState('');
  const { busy, error, run } = useAction();
  return (
    <Dialog title={t('chat.ticketTitle')} onClose={onClose}>
      <form
        className="form"
        onSubmit={(event) => {
          event.preventDefault();
          const trimmed = subject.trim();
          void run(() => createTicket(chat.id, trimmed === '' ? undefined : trimmed)).then(
            (ok) => ok && onClose(),
          );
        }}
      >
        <Field
          label={t('chat.ticketSubject')}
          hint={t('chat.ticketSubjectHint', { name: chat.visitorName })}
          value={subject}
          maxLength={200}
          onChange={(event) => setSubject(event.target.value)}
        />
        <ErrorMessage error={error} />
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('chat.createTicket')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
