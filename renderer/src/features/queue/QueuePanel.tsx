import { useTranslation } from 'react-i18next';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { useNow } from '../../ui/useNow';
import { shortcutLabel } from '../session/shortcuts';
import { queueRegionId } from './focus';
import { OfferList } from './OfferList';
import { QueueList } from './QueueList';
import { useQueueStore } from './store';

/** Chats offered to me, then my groups' waiting chats with their ticking waits. */
export function QueuePanel() {
  const { t } = useTranslation();
  const { waiting, offers, loaded, busyId, error, nothingWaiting, accept, decline, acceptNext } =
    useQueueStore();
  const now = useNow(1000);
  const count = waiting.length + offers.length;

  return (
    <section id={queueRegionId} className="queue" aria-labelledby="queue-title">
      <div className="column-head">
        <h2 id="queue-title" tabIndex={-1}>
          {t('queue.title', { count })}
        </h2>
        <button
          type="button"
          className="secondary small"
          title={shortcutLabel('acceptNext')}
          disabled={count === 0 || busyId !== undefined}
          onClick={() => void acceptNext()}
        >
          {t('queue.acceptNext')}
        </button>
      </div>
      <ErrorMessage error={error} />
      <p className="queue-info" aria-live="polite">
        {nothingWaiting ? t('queue.nothingWaiting') : ''}
      </p>
      <OfferList
        offers={offers}
        now={now}
        busyId={busyId}
        onAccept={(chatId) => void accept(chatId)}
        onDecline={(chatId) => void decline(chatId)}
      />
      {waiting.length > 0 ? (
        <QueueList chats={waiting} now={now} busyId={busyId} onAccept={(chatId) => void accept(chatId)} />
      ) : loaded ? (
        <p className="muted queue-empty">{t('queue.empty')}</p>
      ) : null}
    </section>
  );
}
