import { useTranslation } from 'react-i18next';
import type { ChatSummary } from '../../../../protocol/operator-socket';
import { Dialog } from '../../ui/Dialog';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useAction } from '../../ui/useAction';
import { useChatStore } from './store';

export function EndChatDialog({ chat, onClose }: { chat: ChatSummary; onClose(): void }) {
  const { t } = useTranslation();
  const end = useChatStore((state) => state.end);
  const { busy, error, run } = useAction();
  return (
    <Dialog title={t('chat.endTitle', { name: chat.visitorName })} onClose={onClose}>
      <p>{t('chat.endLead')}</p>
      <ErrorMessage error={error} />
      <div className="actions">
        <button type="button" className="secondary" data-autofocus onClick={onClose}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className="primary danger"
          disabled={busy}
          onClick={() => void run(() => end(chat.id)).then((ok) => ok && onClose())}
        >
          {t('chat.end')}
        </button>
      </div>
    </Dialog>
  );
}
