import { z } from 'zod';
import {
  chatMessageSchema,
  chatSummarySchema,
  type ChatMessage,
  type ChatSummary,
} from '../../../protocol/operator-socket';
import type { EncryptedStore } from '../cache/encrypted-store';

const syncSchema = z.strictObject({ sessionId: z.string(), lastSeq: z.number().int().nonnegative() });

/**
 * The operator's chats as last seen, in the encrypted store, plus how far the event stream has
 * been applied: the open ones, which can be rebuilt from the server, and the ended ones until the
 * operator closes their tab. The outbox is what must not be lost.
 */
export function createChatCache(store: EncryptedStore) {
  async function readChat(chatId: string): Promise<ChatSummary | undefined> {
    const parsed = chatSummarySchema.safeParse(await store.get('chat', chatId));
    return parsed.success ? parsed.data : undefined;
  }

  function advance(sessionId: string, seq: number) {
    return store.put('meta', 'sync', { sessionId, lastSeq: seq });
  }

  return {
    async syncPoint(): Promise<z.infer<typeof syncSchema> | undefined> {
      const parsed = syncSchema.safeParse(await store.get('meta', 'sync'));
      return parsed.success ? parsed.data : undefined;
    },

    /**
     * The server's open chats replace the cached ones; ended chats the operator has not closed stay,
     * since the server no longer lists them. (Another operator on this device never sees them: their
     * device key differs, so the cache is rebuilt for them.)
     */
    async replaceAll(sessionId: string, seq: number, chats: ChatSummary[]) {
      const open = new Set(chats.map((chat) => chat.id));
      for (const { id, value } of await store.list('chat')) {
        const ended = chatSummarySchema.safeParse(value).data?.status === 'closed';
        if (!open.has(id) && !ended) await store.delete('chat', id);
      }
      for (const chat of chats) await store.put('chat', chat.id, chat);
      await advance(sessionId, seq);
    },

    /**
     * Adds a message unless it is already there (a replayed event must not show twice). Returns
     * whether it was new to one of the cached chats.
     */
    async addMessage(sessionId: string, seq: number, message: ChatMessage): Promise<boolean> {
      const chat = await readChat(message.chatId);
      const added = chat !== undefined && !chat.messages.some((existing) => existing.id === message.id);
      if (added) {
        chat.messages.push(chatMessageSchema.parse(message));
        await store.put('chat', chat.id, chat);
      }
      await advance(sessionId, seq);
      return added;
    },

    /** A chat became the operator's (accepted, handed over to them): the server's copy wins. */
    async putChat(sessionId: string, seq: number, chat: ChatSummary) {
      await store.put('chat', chat.id, chatSummarySchema.parse(chat));
      await advance(sessionId, seq);
    },

    /** The chat ended: it stays, marked ended, until the operator dismisses it. */
    async closeChat(sessionId: string, seq: number, chatId: string) {
      const chat = await readChat(chatId);
      if (chat) await store.put('chat', chat.id, { ...chat, status: 'closed' });
      await advance(sessionId, seq);
    },

    /** The visitor corrected their details: the chat's new name, as the server may show it. */
    async renameVisitor(sessionId: string, seq: number, chatId: string, visitorName: string) {
      const chat = await readChat(chatId);
      if (chat) await store.put('chat', chat.id, { ...chat, visitorName });
      await advance(sessionId, seq);
    },

    /** The chat was handed over: it leaves the operator's chats. */
    async removeChat(sessionId: string, seq: number, chatId: string) {
      await store.delete('chat', chatId);
      await advance(sessionId, seq);
    },

    /** Erased on the server: every local copy goes now, whatever its state. */
    async purge(sessionId: string, seq: number, chatIds: string[]) {
      for (const chatId of chatIds) await store.delete('chat', chatId);
      await advance(sessionId, seq);
    },

    /** The ids of every chat kept here, to ask the server which of them still exist. */
    async ids(): Promise<string[]> {
      return (await store.list('chat')).map((entry) => entry.id);
    },

    /** The operator closed the tab of an ended chat. */
    dismiss: (chatId: string) => store.delete('chat', chatId),

    get: readChat,

    /** Oldest conversation first (by its first message), so tabs keep their places as chats arrive. */
    async list(): Promise<ChatSummary[]> {
      const chats: ChatSummary[] = [];
      for (const { value } of await store.list('chat')) {
        const parsed = chatSummarySchema.safeParse(value);
        if (parsed.success) chats.push(parsed.data);
      }
      const startedAt = (chat: ChatSummary) => chat.messages[0]?.createdAt ?? '\uffff';
      return chats.sort((a, b) => startedAt(a).localeCompare(startedAt(b)) || a.id.localeCompare(b.id));
    },
  };
}

export type ChatCache = ReturnType<typeof createChatCache>;
