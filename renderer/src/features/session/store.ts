import { create } from 'zustand';

export type WorkspaceDialog = 'shortcuts' | 'settings' | 'canned' | 'transfer' | 'endChat' | 'ticket';

/** Which modal dialog is open: one at a time, so shortcuts and buttons open the same ones. */
interface SessionStore {
  dialog: WorkspaceDialog | undefined;
  openDialog(dialog: WorkspaceDialog): void;
  closeDialog(): void;
}

export const useSessionStore = create<SessionStore>()((set) => ({
  dialog: undefined,
  openDialog: (dialog) => set({ dialog }),
  closeDialog: () => set({ dialog: undefined }),
}));
