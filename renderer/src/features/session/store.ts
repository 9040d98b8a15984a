import { create } from 'zustand';

export type WorkspaceDialog = 'shortcuts' | 'settings' | 'canned' | 'transfer' | 'endChat' | 'ticket';

/** The chats, or the administration screens. */
export type SessionView = 'desk' | 'admin';

/** Which view is shown, and which modal dialog is open: one at a time, so shortcuts and buttons open the same ones. */
interface SessionStore {
  view: SessionView;
  show(view: SessionView): void;
  dialog: WorkspaceDialog | undefined;
  openDialog(dialog: WorkspaceDialog): void;
  closeDialog(): void;
}

export const useSessionStore = create<SessionStore>()((set) => ({
  view: 'desk',
  show: (view) => set({ view }),
  dialog: undefined,
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: undefined }),
}));
