import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { PendingMessage } from '../../../../protocol/ipc';
import type { ChatSummary } from '../../../../protocol/operator-socket';

interface ChatStore {
  chats: ChatSummary[];
  pending: PendingMessage[];
  activeId: string | undefined;
  /** How many messages of each chat the operator has had in front of them. */
  seen: Record<string, number>;
  error: string | undefined;
  init(): () => void;
  refresh(): Promise<void>;
  select(chatId: string): void;
  /** Moves to the next (+1) or previous (-1) chat, wrapping around. */
  step(direction: 1 | -1): void;
  send(text: string): Promise<boolean>;
}

function markActiveSeen(chats: ChatSummary[], activeId: string | undefined, seen: Record<string, number>) {
  const active = chats.find((chat) => chat.id === activeId);
  return active ? { ...seen, [active.id]: active.messages.length } : seen;
}

export const useChatStore = create<ChatStore>()((set, get) => ({
  chats: [],
  pending: [],
  activeId: undefined,
  seen: {},
  error: undefined,
  init() {
    void get().refresh();
    return window.parley.on('chats.changed', () => void get().refresh());
  },
  async refresh() {
    try {
      const { chats, pending } = await window.parley.chats.list();
      const activeId = chats.some((chat) => chat.id === get().activeId) ? get().activeId : chats[0]?.id;
      set({ chats, pending, activeId, seen: markActiveSeen(chats, activeId, get().seen) });
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    }
  },
  select(chatId) {
    set({ activeId: chatId, seen: markActiveSeen(get().chats, chatId, get().seen) });
  },
  step(direction) {
    const { chats, activeId } = get();
    if (chats.length === 0) return;
    const index = chats.findIndex((chat) => chat.id === activeId);
    const next = chats[(index + direction + chats.length) % chats.length];
    if (next) get().select(next.id);
  },
  async send(text) {
    const chatId = get().activeId;
    if (!chatId) return false;
    try {
      await window.parley.chats.send({ chatId, text });
      set({ error: undefined });
      return true;
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
      return false;
    }
  },
}));

/** Visitor messages the operator has not had in front of them yet. */
export function unreadCount(chat: ChatSummary, seen: number | undefined): number {
  return chat.messages.slice(seen ?? 0).filter((message) => message.author.kind === 'visitor').length;
}
