import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueuedChat } from '../../../../protocol/operator-socket';
import { useVirtualRows } from '../../ui/useVirtualRows';
import { useGroupName, useTeamStore } from '../team/store';
import { WaitTime } from './WaitTime';

const rowHeight = 50;

interface QueueListProps {
  chats: QueuedChat[];
  now: number;
  busyId: string | undefined;
  onAccept(chatId: string): void;
}

/**
 * The waiting chats, virtualised: only the rows in view (plus a few) are in the DOM, each placed at
 * its fixed offset, so thousands of waiting chats scroll as smoothly as ten. One row is the tab stop
 * (roving tabindex); ↑/↓, Page Up/Down, Home and End move it, Enter accepts.
 */
export function QueueList({ chats, now, busyId, onAccept }: QueueListProps) {
  const { t } = useTranslation();
  const groupName = useGroupName();
  const operators = useTeamStore((state) => state.operators);
  const { viewportRef, onScroll, first, last, totalHeight, pageSize, scrollToIndex } = useVirtualRows({
    count: chats.length,
    rowHeight,
  });
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, chats.length - 1);
  const list = useRef<HTMLUListElement>(null);
  const focusAfterMove = useRef(false);

  useEffect(() => {
    if (!focusAfterMove.current) return;
    focusAfterMove.current = false;
    list.current?.querySelector<HTMLElement>(`[data-index="${activeIndex}"] button`)?.focus();
  }, [activeIndex]);

  function moveTo(index: number) {
    const next = Math.max(0, Math.min(chats.length - 1, index));
    setActive(next);
    scrollToIndex(next);
    focusAfterMove.current = true;
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const moves: Record<string, number> = {
      ArrowDown: activeIndex + 1,
      ArrowUp: activeIndex - 1,
      PageDown: activeIndex + pageSize,
      PageUp: activeIndex - pageSize,
      Home: 0,
      End: chats.length - 1,
    };
    const target = moves[event.key];
    if (target === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    moveTo(target);
  }

  // The focused row stays in the DOM even when scrolled away, so keyboard focus is never lost.
  const indices = new Set<number>();
  for (let index = first; index < last; index++) indices.add(index);
  if (activeIndex >= 0) indices.add(activeIndex);

  return (
    <div className="queue-scroll" ref={viewportRef} onScroll={onScroll}>
      <ul
        ref={list}
        className="queue-list"
        aria-label={t('queue.waitingList')}
        style={{ height: totalHeight }}
        onKeyDown={onKeyDown}
      >
        {[...indices]
          .sort((a, b) => a - b)
          .map((index) => {
            const chat = chats[index];
            if (!chat) return null;
            const infoId = `queue-row-${index}`;
            const ringingAt = chat.offeredTo
              ? operators.find((operator) => operator.id === chat.offeredTo)?.displayName
              : undefined;
            const details = [
              groupName(chat.groupId) ?? t('queue.noGroup'),
              chat.priority > 0 ? t('queue.priority') : undefined,
              chat.state === 'offered'
                ? ringingAt
                  ? t('queue.ringingAt', { name: ringingAt })
                  : t('queue.ringing')
                : undefined,
            ].filter((detail) => detail !== undefined);
            // Keyed by position: when a chat leaves, the focused row's button stays and keeps focus.
            return (
              <li
                key={index}
                data-index={index}
                className="queue-row"
                style={{ top: index * rowHeight, height: rowHeight }}
                aria-setsize={chats.length}
                aria-posinset={index + 1}
              >
                <span className="queue-row-info" id={infoId}>
                  <span className="queue-visitor">{chat.visitorName}</span>
                  <span className="queue-meta">
                    <WaitTime since={chat.queuedAt} now={now} />
                    <span className="queue-details">{details.join(' · ')}</span>
                  </span>
                </span>
                <button
                  type="button"
                  className="secondary small"
                  tabIndex={index === activeIndex ? 0 : -1}
                  aria-label={t('queue.acceptChat', { name: chat.visitorName })}
                  aria-describedby={infoId}
                  disabled={busyId === chat.id}
                  onFocus={() => setActive(index)}
                  onClick={() => onAccept(chat.id)}
                >
                  {t('queue.accept')}
                </button>
              </li>
            );
          })}
      </ul>
    </div>
  );
}
