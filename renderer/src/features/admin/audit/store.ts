import { create } from 'zustand';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import type { AdminOperator, AuditEntryInfo } from '../../../../../protocol/operator-socket';
import type { AuditQuery } from './filters';

export const auditPageSize = 100;

interface AuditStore {
  /** The filters of the entries shown: the downloads export exactly these. */
  query: AuditQuery;
  status: 'loading' | 'ready' | 'failed';
  error: ParleyErrorData | undefined;
  entries: AuditEntryInfo[];
  /** Older entries exist from this cursor on; null once the oldest is shown. */
  nextCursor: string | null;
  loadingOlder: boolean;
  olderError: ParleyErrorData | undefined;
  /** For the actor filter; the log names actors itself, so the screen works without them. */
  operators: AdminOperator[];
  show(query: AuditQuery): Promise<void>;
  loadOlder(): Promise<void>;
  loadOperators(): Promise<void>;
  reset(): void;
}

const initial = {
  query: {},
  status: 'loading',
  error: undefined,
  entries: [],
  nextCursor: null,
  loadingOlder: false,
  olderError: undefined,
  operators: [],
} satisfies Partial<AuditStore>;

// A page asked for under filters that have changed since (or before a reset) is dropped.
let generation = 0;

export const useAuditStore = create<AuditStore>()((set, get) => ({
  ...initial,
  async show(query) {
    const mine = ++generation;
    set({ ...initial, query, operators: get().operators });
    try {
      const page = await window.parley.audit.list({ ...query, limit: auditPageSize });
      if (mine === generation) set({ status: 'ready', entries: page.entries, nextCursor: page.nextCursor });
    } catch (error) {
      if (mine === generation) set({ status: 'failed', error: toParleyErrorData(error) });
    }
  },
  async loadOlder() {
    const { query, nextCursor, loadingOlder } = get();
    if (nextCursor === null || loadingOlder) return;
    const mine = generation;
    set({ loadingOlder: true, olderError: undefined });
    try {
      const page = await window.parley.audit.list({ ...query, before: nextCursor, limit: auditPageSize });
      if (mine !== generation) return;
      set({ entries: [...get().entries, ...page.entries], nextCursor: page.nextCursor, loadingOlder: false });
    } catch (error) {
      if (mine === generation) set({ loadingOlder: false, olderError: toParleyErrorData(error) });
    }
  },
  async loadOperators() {
    try {
      const { operators } = await window.parley.operators.list({});
      set({ operators: [...operators].sort((a, b) => a.displayName.localeCompare(b.displayName)) });
    } catch {
      // Without them the actor filter offers "anyone" only; the log itself still loads.
    }
  },
  reset() {
    generation++;
    set(initial);
  },
}));
