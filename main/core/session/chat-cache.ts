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
 * The operator's open chats as last seen, in the encrypted store, plus how far the event stream has
 * been applied. Everything here can be rebuilt from the server; the outbox is what must not be lost.
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

    async replaceAll(sessionId: string, seq: number, chats: ChatSummary[]) {
      const keep = new Set(chats.map((chat) => chat.id));
      for (const { id } of await store.list('chat')) if (!keep.has(id)) await store.delete('chat', id);
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

    /** The chat was handed over or ended: it leaves the operator's open chats. */
    async removeChat(sessionId: string, seq: number, chatId: string) {
      await store.delete('chat', chatId);
      await advance(sessionId, seq);
    },

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
