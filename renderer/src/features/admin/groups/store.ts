import { create } from 'zustand';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import type { IpcArgs } from '../../../../../protocol/ipc';
import type { AdminGroup } from '../../../../../protocol/operator-socket';

interface GroupsStore {
  includeArchived: boolean;
  groups: AdminGroup[];
  loaded: boolean;
  error: ParleyErrorData | undefined;
  /** Starts afresh (nothing of a previous sign-in) and fetches the groups. */
  open(): Promise<void>;
  load(): Promise<void>;
  setIncludeArchived(includeArchived: boolean): void;
  /** The group as the server has it now, or undefined when it is gone. */
  latest(groupId: string): Promise<AdminGroup | undefined>;
  // The changes throw the core's error, for the dialog that asked to show it, and reload the list.
  create(params: IpcArgs<'groups.create'>): Promise<AdminGroup>;
  update(params: IpcArgs<'groups.update'>): Promise<AdminGroup>;
  setArchived(groupId: string, archived: boolean): Promise<AdminGroup>;
}

// A toggle of "Show archived" can overtake the answer to the previous one: only the newest lands.
let listRequest = 0;

export const useGroupsStore = create<GroupsStore>()((set, get) => {
  async function changed(action: () => Promise<{ group: AdminGroup }>): Promise<AdminGroup> {
    const { group } = await action();
    await get().load();
    return group;
  }

  return {
    includeArchived: false,
    groups: [],
    loaded: false,
    error: undefined,
    open() {
      set(useGroupsStore.getInitialState(), true);
      return get().load();
    },
    async load() {
      const request = ++listRequest;
      try {
        const { groups } = await window.parley.groups.list({ includeArchived: get().includeArchived });
        if (request === listRequest) set({ groups, loaded: true, error: undefined });
      } catch (error) {
        if (request === listRequest) set({ error: toParleyErrorData(error), loaded: true });
      }
    },
    setIncludeArchived(includeArchived) {
      set({ includeArchived });
      void get().load();
    },
    async latest(groupId) {
      const { groups } = await window.parley.groups.list({ includeArchived: true });
      return groups.find((group) => group.id === groupId);
    },
    create: (params) => changed(() => window.parley.groups.create(params)),
    update: (params) => changed(() => window.parley.groups.update(params)),
    setArchived: (groupId, archived) =>
      changed(() => window.parley.groups.setArchived({ groupId, archived })),
  };
});
