import type { ChatOffer } from '../../../protocol/ipc';
import type { QueuedChat } from '../../../protocol/operator-socket';
import type { Logger } from '../ports';

interface Ringing {
  offer: ChatOffer;
  /** When it arrived, counted: a queue fetch may only judge offers older than itself. */
  order: number;
  expiry: NodeJS.Timeout;
}

export interface QueueViewOptions {
  /** This operator: an offer shows in the server's queue as offered to them. */
  operatorId: string;
  fetch(): Promise<QueuedChat[]>;
  /** The queue or the offers changed. */
  onChange(): void;
  log: Logger;
}

/** A burst of queue.changed events (one per group, say) costs one fetch. */
const debounceMs = 100;

const byWait = (a: ChatOffer, b: ChatOffer) => a.chat.queuedAt.localeCompare(b.chat.queuedAt);

/**
 * The chats waiting in my groups, as the server last listed them, and the chats ringing at me,
 * each until it expires or something shows it is over (accepted, declined, assigned, closed, or a
 * fresh queue list that says otherwise).
 */
export function createQueueView(options: QueueViewOptions) {
  let chats: QueuedChat[] = [];
  const offers = new Map<string, Ringing>();
  let received = 0;
  /** Groups whose queue.changed the next fetch answers. */
  let changedGroups = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  // Fetches run one after another, so an older answer never overwrites a newer one.
  let loading: Promise<void> = Promise.resolve();
  let closed = false;

  function dropOffer(chatId: string): boolean {
    const ringing = offers.get(chatId);
    if (!ringing) return false;
    clearTimeout(ringing.expiry);
    offers.delete(chatId);
    return true;
  }

  /** The offer ended on the server without telling me, e.g. it rang out a moment before my timer. */
  function contradicted(ringing: Ringing, groups: Set<string>): boolean {
    const { chat } = ringing.offer;
    const listed = chats.find((candidate) => candidate.id === chat.id);
    if (listed) return listed.state !== 'offered' || listed.offeredTo !== options.operatorId;
    // Being absent proves something only for a queue we were just told about: a chat a colleague
    // hands over from a group I am not in never appears in my list.
    return chat.groupId !== null && groups.has(chat.groupId);
  }

  async function load() {
    const before = received;
    const groups = changedGroups;
    changedGroups = new Set();
    try {
      chats = await options.fetch();
    } catch (error) {
      // Offline or refused: the list stays as it was; going online fetches it again.
      options.log.warn('could not fetch the queue', { error: String(error) });
      return;
    }
    if (closed) return;
    for (const [chatId, ringing] of offers) {
      if (ringing.order <= before && contradicted(ringing, groups)) dropOffer(chatId);
    }
    options.onChange();
  }

  return {
    /** Fetches the queue again soon; `groupId` names a group the server said changed. */
    refresh(groupId?: string) {
      if (groupId !== undefined) changedGroups.add(groupId);
      if (timer || closed) return;
      timer = setTimeout(() => {
        timer = undefined;
        loading = loading.then(load);
      }, debounceMs);
    },

    offered(offer: ChatOffer) {
      const remaining = Date.parse(offer.expiresAt) - Date.now();
      if (remaining <= 0 || closed) return; // replayed after it rang out
      dropOffer(offer.chat.id);
      const expiry = setTimeout(() => {
        if (dropOffer(offer.chat.id)) options.onChange();
      }, remaining);
      expiry.unref();
      offers.set(offer.chat.id, { offer, order: ++received, expiry });
      options.onChange();
    },

    /** Accepted, declined, assigned or closed: the chat neither rings nor waits any more. */
    gone(chatId: string) {
      const dropped = dropOffer(chatId);
      const count = chats.length;
      chats = chats.filter((chat) => chat.id !== chatId);
      if (dropped || chats.length !== count) options.onChange();
    },

    /** As the server serves them: priority, then wait. */
    chats: () => chats,

    /** Longest waiting first. */
    offers: () => [...offers.values()].map((ringing) => ringing.offer).sort(byWait),

    /** Chats nobody has, and that ring at no one; an offer to me counts as an offer only. */
    waiting: () => chats.filter((chat) => chat.state === 'waiting' && !offers.has(chat.id)),

    close() {
      closed = true;
      clearTimeout(timer);
      for (const chatId of [...offers.keys()]) dropOffer(chatId);
    },
  };
}
