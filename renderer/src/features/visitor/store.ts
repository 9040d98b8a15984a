import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { ParleyApi } from '../../../../protocol/ipc';
import type { VisitorInfo } from '../../../../protocol/operator-socket';
import { useRevealStore } from './reveal-store';

interface VisitorStore {
  chatId: string | undefined;
  info: VisitorInfo | undefined;
  error: string | undefined;
  load(chatId: string): Promise<void>;
}

/** The bridges already told to report corrected details (one per window; tests swap it). */
const listening = new WeakSet<ParleyApi>();

export const useVisitorStore = create<VisitorStore>()((set, get) => {
  async function fetchInfo(chatId: string) {
    try {
      const info = await window.parley.chats.visitor({ chatId });
      // The operator may have moved on while this was loading: never show another chat's visitor.
      if (get().chatId === chatId) set({ info, error: undefined });
    } catch (error) {
      if (get().chatId === chatId) set({ error: toParleyErrorData(error).message });
    }
  }

  /** The panel shown keeps up with a visitor who corrects their details; the old ones stay until then. */
  function listen() {
    if (listening.has(window.parley)) return;
    listening.add(window.parley);
    window.parley.on('chats.visitorChanged', ({ chatId }) => {
      useRevealStore.getState().outdated(chatId);
      if (get().chatId === chatId) void fetchInfo(chatId);
    });
  }

  return {
    chatId: undefined,
    info: undefined,
    error: undefined,
    async load(chatId) {
      listen();
      set({ chatId, info: undefined, error: undefined });
      await fetchInfo(chatId);
    },
  };
});
