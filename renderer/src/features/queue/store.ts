import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { ChatOffer } from '../../../../protocol/ipc';
import type { QueuedChat } from '../../../../protocol/operator-socket';
import { useChatStore } from '../chat/store';

interface QueueStore {
  /** Waiting chats of my groups, in the server's order (priority, then wait); offers to me excluded. */
  waiting: QueuedChat[];
  offers: ChatOffer[];
  loaded: boolean;
  /** The chat being accepted or declined, so its buttons cannot fire twice. */
  busyId: string | undefined;
  error: string | undefined;
  /** Accept next found nothing to accept. */
  nothingWaiting: boolean;
  init(): () => void;
  refresh(): Promise<void>;
  accept(chatId: string): Promise<void>;
  decline(chatId: string): Promise<void>;
  acceptNext(): Promise<void>;
}

export const useQueueStore = create<QueueStore>()((set, get) => {
  /** Runs one queue action; whatever the outcome the queue has changed, so it is fetched again. */
  async function act(chatId: string | undefined, action: () => Promise<void>) {
    set({ busyId: chatId, error: undefined, nothingWaiting: false });
    try {
      await action();
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    } finally {
      set({ busyId: undefined });
      await get().refresh();
    }
  }

  return {
    waiting: [],
    offers: [],
    loaded: false,
    busyId: undefined,
    error: undefined,
    nothingWaiting: false,
    init() {
      void get().refresh();
      return window.parley.on('queue.changed', () => void get().refresh());
    },
    async refresh() {
      try {
        const { chats, offers } = await window.parley.queue.list();
        const offered = new Set(offers.map((offer) => offer.chat.id));
        set({ waiting: chats.filter((chat) => !offered.has(chat.id)), offers, loaded: true });
      } catch (error) {
        set({ error: toParleyErrorData(error).message });
      }
    },
    accept(chatId) {
      return act(chatId, async () => {
        await window.parley.chats.accept({ chatId });
        useChatStore.getState().open(chatId);
        await useChatStore.getState().refresh();
      });
    },
    decline(chatId) {
      return act(chatId, async () => {
        await window.parley.chats.decline({ chatId });
      });
    },
    acceptNext() {
      return act(undefined, async () => {
        const { chatId } = await window.parley.chats.acceptNext();
        if (chatId === null) {
          set({ nothingWaiting: true });
          return;
        }
        useChatStore.getState().open(chatId);
        await useChatStore.getState().refresh();
      });
    },
  };
});
