import { create } from 'zustand';
import type { AdminSectionId } from './sections';

/** Which administration screen is open; it stays chosen while the operator goes back to the chats. */
interface AdminStore {
  section: AdminSectionId;
  choose(section: AdminSectionId): void;
}

export const useAdminStore = create<AdminStore>()((set) => ({
  section: 'operators',
  choose: (section) => set({ section }),
}));
