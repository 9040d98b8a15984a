import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { MyStatus } from '../../../../protocol/ipc';
import type { OperatorStatus, TeamGroup, TeamMember } from '../../../../protocol/operator-socket';

/** Who is around: my own status, colleagues' statuses and the groups (transfer targets, queue labels). */
interface TeamStore {
  me: MyStatus | undefined;
  operators: TeamMember[];
  groups: TeamGroup[];
  error: string | undefined;
  init(): () => void;
  refreshTeam(): Promise<void>;
  setStatus(status: Exclude<OperatorStatus, 'offline'>): Promise<void>;
  setAcceptingChats(acceptingChats: boolean): Promise<void>;
}

export const useTeamStore = create<TeamStore>()((set, get) => {
  async function change(patch: () => Promise<MyStatus>) {
    try {
      set({ me: await patch(), error: undefined });
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    }
  }

  return {
    me: undefined,
    operators: [],
    groups: [],
    error: undefined,
    init() {
      void get().refreshTeam();
      void change(() => window.parley.status.get());
      const stops = [
        window.parley.on('team.changed', () => void get().refreshTeam()),
        window.parley.on('status.changed', (me) => set({ me })),
      ];
      return () => stops.forEach((stop) => stop());
    },
    async refreshTeam() {
      try {
        const { operators, groups } = await window.parley.team.get();
        set({ operators, groups });
      } catch (error) {
        set({ error: toParleyErrorData(error).message });
      }
    },
    setStatus(status) {
      return change(() => window.parley.status.set({ status }));
    },
    setAcceptingChats(acceptingChats) {
      const status = get().me?.status;
      // status.set needs a status; while offline there is nothing to keep, so stay reachable.
      const keep = status === undefined || status === 'offline' ? 'online' : status;
      return change(() => window.parley.status.set({ status: keep, acceptingChats }));
    },
  };
});

/** The group's name, for labels; chats without a queue have none. */
export function useGroupName() {
  const groups = useTeamStore((state) => state.groups);
  return (groupId: string | null) =>
    groupId === null ? undefined : (groups.find((group) => group.id === groupId)?.name ?? undefined);
}
