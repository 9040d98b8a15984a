import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { VisitorInfo } from '../../../../protocol/operator-socket';

interface VisitorStore {
  chatId: string | undefined;
  info: VisitorInfo | undefined;
  error: string | undefined;
  load(chatId: string): Promise<void>;
}

export const useVisitorStore = create<VisitorStore>()((set, get) => ({
  chatId: undefined,
  info: undefined,
  error: undefined,
  async load(chatId) {
    set({ chatId, info: undefined, error: undefined });
    try {
      const info = await window.parley.chats.visitor({ chatId });
      // The operator may have moved on while this was loading: never show another chat's visitor.
      if (get().chatId === chatId) set({ info });
    } catch (error) {
      if (get().chatId === chatId) set({ error: toParleyErrorData(error).message });
    }
  },
}));
