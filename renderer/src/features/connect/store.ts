import { create } from 'zustand';
import type { ServerProfile } from '../../../../protocol/desktop-policy';

type View = 'choose' | 'server' | 'setup' | 'workspace';

interface ConnectStore {
  view: View;
  profiles: ServerProfile[];
  /** A saved profile chosen from the list, to prefill the server form. */
  chosen: ServerProfile | undefined;
  allowLocalWorkspace: boolean;
  policyError: string | undefined;
  workspaceExists: boolean;
  load(): Promise<void>;
  show(view: View, chosen?: ServerProfile): void;
  forget(profile: ServerProfile): Promise<void>;
}

export const useConnectStore = create<ConnectStore>()((set, get) => ({
  view: 'choose',
  profiles: [],
  chosen: undefined,
  allowLocalWorkspace: true,
  policyError: undefined,
  workspaceExists: false,
  async load() {
    const [listing, workspace] = await Promise.all([
      window.parley.profiles.list(),
      window.parley.workspace.status(),
    ]);
    set({
      profiles: listing.profiles,
      allowLocalWorkspace: listing.allowLocalWorkspace,
      policyError: listing.policyError,
      workspaceExists: workspace.exists,
    });
  },
  show(view, chosen) {
    set({ view, chosen });
  },
  async forget(profile) {
    await window.parley.profiles.remove({ id: profile.id });
    await get().load();
  },
}));
