import { useTranslation } from 'react-i18next';
import type { ChatOffer } from '../../../../protocol/ipc';
import { formatDuration } from '../../ui/duration';
import { useGroupName } from '../team/store';

interface OfferListProps {
  offers: ChatOffer[];
  now: number;
  busyId: string | undefined;
  onAccept(chatId: string): void;
  onDecline(chatId: string): void;
}

/** Chats ringing at me: accept or decline before the countdown runs out and they move on. */
export function OfferList({ offers, now, busyId, onAccept, onDecline }: OfferListProps) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  if (offers.length === 0) return null;
  return (
    <section className="offers" aria-labelledby="offers-title">
      <h3 id="offers-title">{t('queue.offered')}</h3>
      <ul>
        {offers.map(({ chat, expiresAt, transferNote }) => {
          const name = chat.visitorName;
          const busy = busyId === chat.id;
          return (
            <li key={chat.id} className="offer">
              <div className="offer-head">
                <strong>{name}</strong>
                <span className="muted">{groupName(chat.groupId) ?? t('queue.noGroup')}</span>
              </div>
              {transferNote ? (
                <p className="offer-note">
                  <span className="muted">{t('queue.transferNote')}</span> {transferNote}
                </p>
              ) : null}
              <div className="offer-actions">
                <span className="countdown">
                  {t('queue.expiresIn', { time: formatDuration(Date.parse(expiresAt) - now) })}
                </span>
                <button
                  type="button"
                  className="quiet small"
                  disabled={busy}
                  aria-label={t('queue.declineChat', { name })}
                  onClick={() => onDecline(chat.id)}
                >
                  {t('queue.decline')}
                </button>
                <button
                  type="button"
                  className="primary small"
                  disabled={busy}
                  aria-label={t('queue.acceptChat', { name })}
                  onClick={() => onAccept(chat.id)}
                >
                  {t('queue.accept')}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
