import { create } from 'zustand';
import { useChatStore } from '../chat/store';
import { focusQueue } from '../queue/focus';
import { useSessionStore } from '../session/store';

type Permission = NotificationPermission | 'unsupported';

const currentPermission = (): Permission =>
  typeof window.Notification === 'function' ? window.Notification.permission : 'unsupported';

/** Whether Parley may show web notifications, and whether the operator said "not now" to asking. */
interface AttentionStore {
  permission: Permission;
  promptDismissed: boolean;
  /** How many chats wait for me to act, as main counts them for the dock/taskbar. */
  badge: number;
  setBadge(count: number): void;
  /** Re-reads the permission: the operator may have changed it in the browser's settings. */
  syncPermission(): void;
  /** Asks the browser once, from the operator's click, never unprompted. */
  requestPermission(): Promise<void>;
  dismissPrompt(): void;
  /**
   * The operator clicked a notification (a web one, or a native one in Electron): their chat comes
   * to the front, or the queue for a chat they have not taken yet.
   */
  reveal(chatId: string): void;
}

export const useAttentionStore = create<AttentionStore>()((set) => ({
  permission: currentPermission(),
  promptDismissed: false,
  badge: 0,
  setBadge: (badge) => set({ badge }),
  syncPermission: () => set({ permission: currentPermission() }),
  async requestPermission() {
    if (typeof window.Notification !== 'function') return;
    set({ permission: await window.Notification.requestPermission() });
  },
  dismissPrompt: () => set({ promptDismissed: true }),
  reveal(chatId) {
    useSessionStore.getState().show('desk');
    const chats = useChatStore.getState();
    if (chats.chats.some((chat) => chat.id === chatId)) chats.select(chatId);
    else focusQueue();
  },
}));
