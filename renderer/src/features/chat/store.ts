import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { IpcArgs, PendingMessage } from '../../../../protocol/ipc';
import type { ChatSummary } from '../../../../protocol/operator-socket';

// Typing signals are live-only and may be lost with a connection: a "typing" nobody ends expires.
const typingExpiresMs = 15_000;
const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();

interface ChatStore {
  chats: ChatSummary[];
  pending: PendingMessage[];
  activeId: string | undefined;
  /** A chat to select as soon as it arrives (just accepted; chats.changed follows). */
  wantedId: string | undefined;
  /** How many messages of each chat the operator has had in front of them. */
  seen: Record<string, number>;
  /** Chats whose visitor is typing right now. */
  visitorTyping: Record<string, boolean>;
  /** Tickets made from chats in this session, to confirm in the chat's header. */
  tickets: Record<string, number>;
  error: string | undefined;
  init(): () => void;
  refresh(): Promise<void>;
  select(chatId: string): void;
  /** Selects the chat now, or as soon as chats.list has it. */
  open(chatId: string): void;
  /** Moves to the next (+1) or previous (-1) chat, wrapping around. */
  step(direction: 1 | -1): void;
  send(text: string): Promise<boolean>;
  /** Tells main which chat is in front of the operator (none while the window is in the background). */
  reportFocus(windowInFront: boolean): void;
  reportTyping(chatId: string, typing: boolean): void;
  /** The actions below throw the core's error, for the dialog that asked to show it. */
  end(chatId: string): Promise<void>;
  transfer(args: IpcArgs<'chats.transfer'>): Promise<void>;
  createTicket(chatId: string, subject: string | undefined): Promise<void>;
  /** Closes the tab of an ended chat; a refusal shows in the conversation. */
  dismiss(chatId: string): Promise<void>;
}

/** The tab that takes the place of one that went, as in a browser: the next one left, else the one before. */
function successor(before: ChatSummary[], after: ChatSummary[], goneId: string | undefined) {
  const stays = (chat: ChatSummary) => after.some((candidate) => candidate.id === chat.id);
  const index = before.findIndex((chat) => chat.id === goneId);
  const neighbour =
    index === -1
      ? undefined
      : (before.slice(index + 1).find(stays) ?? before.slice(0, index).findLast(stays));
  return (neighbour ?? after[0])?.id;
}

function markActiveSeen(chats: ChatSummary[], activeId: string | undefined, seen: Record<string, number>) {
  const active = chats.find((chat) => chat.id === activeId);
  return active ? { ...seen, [active.id]: active.messages.length } : seen;
}

export const useChatStore = create<ChatStore>()((set, get) => {
  function setVisitorTyping(chatId: string, typing: boolean) {
    clearTimeout(typingTimers.get(chatId));
    if (typing)
      typingTimers.set(
        chatId,
        setTimeout(() => setVisitorTyping(chatId, false), typingExpiresMs),
      );
    set({ visitorTyping: { ...get().visitorTyping, [chatId]: typing } });
  }

  return {
    chats: [],
    pending: [],
    activeId: undefined,
    wantedId: undefined,
    seen: {},
    visitorTyping: {},
    tickets: {},
    error: undefined,
    init() {
      void get().refresh();
      const stops = [
        window.parley.on('chats.changed', () => void get().refresh()),
        window.parley.on('chats.typing', ({ chatId, typing }) => setVisitorTyping(chatId, typing)),
      ];
      return () => stops.forEach((stop) => stop());
    },
    async refresh() {
      try {
        const { chats, pending } = await window.parley.chats.list();
        const { wantedId, activeId: shown, chats: before } = get();
        const arrived = chats.some((chat) => chat.id === wantedId);
        const current = chats.some((chat) => chat.id === shown) ? shown : successor(before, chats, shown);
        const activeId = arrived ? wantedId : current;
        set({
          chats,
          pending,
          activeId,
          wantedId: arrived ? undefined : wantedId,
          seen: markActiveSeen(chats, activeId, get().seen),
        });
      } catch (error) {
        set({ error: toParleyErrorData(error).message });
      }
    },
    select(chatId) {
      set({ activeId: chatId, wantedId: undefined, seen: markActiveSeen(get().chats, chatId, get().seen) });
    },
    open(chatId) {
      if (get().chats.some((chat) => chat.id === chatId)) get().select(chatId);
      else set({ wantedId: chatId });
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
    reportFocus(windowInFront) {
      const chatId = windowInFront ? (get().activeId ?? null) : null;
      // Best effort: a missed report only means one ring too many.
      void window.parley.chats.focus({ chatId }).catch(() => undefined);
    },
    reportTyping(chatId, typing) {
      void window.parley.chats.typing({ chatId, typing }).catch(() => undefined);
    },
    async end(chatId) {
      await window.parley.chats.end({ chatId });
      await get().refresh();
    },
    async transfer(args) {
      await window.parley.chats.transfer(args);
      await get().refresh();
    },
    async createTicket(chatId, subject) {
      const { ticketNumber } = await window.parley.chats.toTicket(
        subject === undefined ? { chatId } : { chatId, subject },
      );
      set({ tickets: { ...get().tickets, [chatId]: ticketNumber } });
    },
    async dismiss(chatId) {
      try {
        await window.parley.chats.dismiss({ chatId });
      } catch (error) {
        set({ error: toParleyErrorData(error).message });
        return;
      }
      await get().refresh();
    },
  };
});

/** Visitor messages the operator has not had in front of them yet. */
export function unreadCount(chat: ChatSummary, seen: number | undefined): number {
  return chat.messages.slice(seen ?? 0).filter((message) => message.author.kind === 'visitor').length;
}
