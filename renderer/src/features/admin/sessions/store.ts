import { create } from 'zustand';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import type { SessionInfo } from '../../../../../protocol/operator-socket';

interface SessionsStore {
  /** 'loading' only until the first answer: a refresh keeps showing the list it replaces. */
  status: 'loading' | 'ready' | 'failed';
  refreshing: boolean;
  error: ParleyErrorData | undefined;
  sessions: SessionInfo[];
  load(): Promise<void>;
  reset(): void;
  /** Throws the server's refusal for the dialog that asked. */
  revoke(sessionId: string): Promise<void>;
}

const initial = {
  status: 'loading',
  refreshing: false,
  error: undefined,
  sessions: [],
} satisfies Partial<SessionsStore>;

// Answers to a load that a reset (or a newer load) overtook are dropped.
let generation = 0;

export const useSessionsStore = create<SessionsStore>()((set, get) => ({
  ...initial,
  async load() {
    const mine = ++generation;
    set({ refreshing: true, error: undefined });
    try {
      const { sessions } = await window.parley.sessions.list({ all: true });
      if (mine === generation) set({ status: 'ready', refreshing: false, sessions });
    } catch (error) {
      if (mine === generation) set({ status: 'failed', refreshing: false, error: toParleyErrorData(error) });
    }
  },
  reset() {
    generation++;
    set(initial);
  },
  async revoke(sessionId) {
    await window.parley.sessions.revoke({ sessionId });
    set({ sessions: get().sessions.filter((session) => session.id !== sessionId) });
  },
}));

/** Sessions whose operator's name contains the search, ignoring case. */
export function filterSessions(sessions: SessionInfo[], search: string): SessionInfo[] {
  const needle = search.trim().toLocaleLowerCase();
  if (needle === '') return sessions;
  return sessions.filter((session) => session.operatorName.toLocaleLowerCase().includes(needle));
}
