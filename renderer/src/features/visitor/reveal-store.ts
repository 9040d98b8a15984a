import { create } from 'zustand';
import { revealSeconds } from '../../../../protocol/masking';
import type { PrechatFieldName } from '../../../../protocol/visitor-socket';

export interface RevealedValue {
  value: string;
  /** Local clock, ms: when the value leaves the screen. */
  until: number;
}

interface RevealStore {
  /** The chat in front of the operator: only its values are kept. */
  chatId: string | undefined;
  revealed: Partial<Record<PrechatFieldName, RevealedValue>>;
  /** Asks the server for one value; throws its refusal, for the dialog that asked. */
  reveal(chatId: string, field: PrechatFieldName, reason: string): Promise<void>;
  hide(field: PrechatFieldName): void;
  /** The panel shows this chat now: whatever was revealed for another goes. */
  showChat(chatId: string | undefined): void;
  /** The visitor changed their details: values revealed for this chat are out of date. */
  outdated(chatId: string): void;
  /** Drops every revealed value (the panel closing). */
  forget(): void;
}

// Timers live beside the store, not in it: they are not state anyone renders.
const timers = new Map<PrechatFieldName, ReturnType<typeof setTimeout>>();

function stopTimer(field: PrechatFieldName) {
  clearTimeout(timers.get(field));
  timers.delete(field);
}

/**
 * Revealed visitor values, in memory only: never persisted, never cached, never in localStorage,
 * and dropped when their time is up, on a chat switch or when the panel goes.
 */
export const useRevealStore = create<RevealStore>()((set, get) => ({
  chatId: undefined,
  revealed: {},
  async reveal(chatId, field, reason) {
    const { value, expiresAt } = await window.parley.chats.reveal({ chatId, field, reason });
    // The operator may have moved to another chat, or away, while the server answered.
    if (get().chatId !== chatId) return;
    // The server's clock decides, but never beyond revealSeconds from now: a desktop clock that
    // runs behind the server's must not keep the value on screen longer than the rules allow.
    const until = Math.min(Date.parse(expiresAt), Date.now() + revealSeconds * 1000);
    stopTimer(field);
    timers.set(
      field,
      setTimeout(() => get().hide(field), Math.max(0, until - Date.now())),
    );
    set({ revealed: { ...get().revealed, [field]: { value, until } } });
  },
  hide(field) {
    stopTimer(field);
    const { [field]: _gone, ...rest } = get().revealed;
    set({ revealed: rest });
  },
  showChat(chatId) {
    if (chatId === get().chatId) return;
    get().forget();
    set({ chatId });
  },
  outdated(chatId) {
    if (chatId !== get().chatId) return;
    for (const field of timers.keys()) stopTimer(field);
    set({ revealed: {} });
  },
  forget() {
    for (const field of timers.keys()) stopTimer(field);
    set({ chatId: undefined, revealed: {} });
  },
}));
