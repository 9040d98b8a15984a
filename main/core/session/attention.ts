import type { Attention, AttentionSettings } from '../../../protocol/ipc';
import type { QueuedChat } from '../../../protocol/operator-socket';
import type { EmitEvent } from '../app-core';
import type { AttentionNotification, AttentionPort } from '../ports';

type Kind = Attention['kind'];
type Text = Pick<AttentionNotification, 'title' | 'body'>;

/** How much of a visitor's message a notification may show. */
const excerptLength = 80;

/**
 * The one place that decides what a notification says. It shows on the lock screen and to anyone
 * near the monitor, so it carries at most the visitor's name and the start of the message.
 */
export function attentionText(kind: Kind, visitorName: string, message = ''): Text {
  if (kind === 'new_chat') return { title: 'New chat', body: visitorName };
  const text = message.replace(/\s+/g, ' ').trim();
  return {
    title: visitorName,
    body: text.length > excerptLength ? `${text.slice(0, excerptLength)}…` : text,
  };
}

interface Ringing {
  kind: Kind;
  chatId: string;
  text: Text;
  repeat: NodeJS.Timeout | undefined;
}

export interface AttentionOptions {
  port: AttentionPort;
  host: 'electron' | 'browser';
  settings: () => AttentionSettings;
  emit: EmitEvent;
}

/**
 * Never miss a chat: rings once for every new chat and every visitor message out of sight, again
 * every repeatSeconds until the operator acts, and keeps the badge at the number of things
 * waiting for them (offers, waiting chats, chats with unread visitor messages).
 */
export function createAttention(options: AttentionOptions) {
  const { port, emit } = options;
  /** What waits for the operator: `chat:<id>@<queuedAt>` (offered or waiting), `message:<id>` (unread). */
  const ringing = new Map<string, Ringing>();
  /**
   * New chats the operator has been told about, once per stay in the queue: an offer declined or
   * rung out that waits again is the same news; the same chat queued anew (handed over to the
   * group) is not. Ids only, and only for this sign-in.
   */
  const told = new Set<string>();
  let badge = 0;
  // Clicking a native notification brings its chat to the front, as clicking a web one does.
  const stopClicks = port.onClick((chatId) => emit('chats.reveal', { chatId }));

  function ring(entry: Ringing, repeat: boolean) {
    const settings = options.settings();
    const rule = entry.kind === 'new_chat' ? settings.newChat : settings.newMessage;
    const notify = rule.notify && !settings.doNotDisturb;
    if (notify) port.notify({ ...entry.text, chatId: entry.chatId });
    emit('attention', {
      kind: entry.kind,
      chatId: entry.chatId,
      ...entry.text,
      // Electron's main has just shown a native notification (port.notify above); the page only
      // plays the sound. The browser host's port cannot notify, so there the page shows it.
      notify: notify && options.host !== 'electron',
      sound: settings.doNotDisturb ? 'none' : rule.sound,
      repeat,
    });
  }

  function scheduleRepeat(key: string, entry: Ringing) {
    const seconds = options.settings().repeatSeconds;
    if (seconds === 0) return;
    entry.repeat = setTimeout(() => {
      if (ringing.get(key) !== entry) return;
      // A silent repeat tells nobody anything.
      if (!options.settings().doNotDisturb) ring(entry, true);
      scheduleRepeat(key, entry);
    }, seconds * 1000);
    entry.repeat.unref();
  }

  function start(key: string, kind: Kind, chatId: string, text: Text, announce = true) {
    stop(key);
    const entry: Ringing = { kind, chatId, text, repeat: undefined };
    ringing.set(key, entry);
    if (announce) ring(entry, false);
    scheduleRepeat(key, entry);
  }

  function stop(key: string) {
    clearTimeout(ringing.get(key)?.repeat);
    ringing.delete(key);
  }

  function updateBadge() {
    if (ringing.size === badge) return;
    badge = ringing.size;
    port.setBadge(badge);
    emit('badge', { count: badge });
  }

  return {
    /** The chats offered to me or waiting in my queue now: ring for news, stop for what is over. */
    queueChanged(chats: QueuedChat[]) {
      const keyOf = (chat: QueuedChat) => `chat:${chat.id}@${chat.queuedAt}`;
      const current = new Set(chats.map(keyOf));
      for (const [key, entry] of ringing) {
        if (entry.kind === 'new_chat' && !current.has(key)) stop(key);
      }
      for (const chat of chats) {
        const key = keyOf(chat);
        if (ringing.has(key)) continue;
        start(key, 'new_chat', chat.id, attentionText('new_chat', chat.visitorName), !told.has(key));
        told.add(key);
      }
      updateBadge();
    },

    /** A visitor wrote in one of my chats that is not in front of the operator. */
    message(chatId: string, visitorName: string, text: string) {
      start(`message:${chatId}`, 'new_message', chatId, attentionText('new_message', visitorName, text));
      updateBadge();
    },

    /** The operator looked at the chat, or it is no longer theirs: its messages wait no more. */
    seen(chatId: string) {
      stop(`message:${chatId}`);
      updateBadge();
    },

    /** After a snapshot: only these chats are still mine. */
    retainChats(chatIds: ReadonlySet<string>) {
      for (const [key, entry] of ringing) {
        if (entry.kind === 'new_message' && !chatIds.has(entry.chatId)) stop(key);
      }
      updateBadge();
    },

    close() {
      stopClicks();
      for (const key of [...ringing.keys()]) stop(key);
      updateBadge();
    },
  };
}
