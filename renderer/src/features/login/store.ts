import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { AuthState, ConnectionStatus, Notice } from '../../../../protocol/ipc';

interface AuthStore {
  auth: AuthState | undefined;
  connection: ConnectionStatus | undefined;
  notices: Notice[];
  busy: boolean;
  init(): Promise<void>;
  /** Runs one sign-in step; the core answers with the next state (errors included). */
  run(step: () => Promise<AuthState>): Promise<void>;
  dismissNotice(notice: Notice): void;
}

export const useAuthStore = create<AuthStore>()((set, get) => ({
  auth: undefined,
  connection: undefined,
  notices: [],
  busy: false,
  async init() {
    window.parley.on('auth.changed', (auth) => set({ auth }));
    window.parley.on('connection.changed', (connection) => set({ connection }));
    window.parley.on('notice', (notice) => set({ notices: [...get().notices, notice] }));
    const [auth, connection] = await Promise.all([
      window.parley.auth.state(),
      window.parley.connection.status(),
    ]);
    set({ auth, connection });
  },
  async run(step) {
    set({ busy: true });
    try {
      set({ auth: await step() });
    } catch (error) {
      set({ auth: { status: 'signed_out', error: toParleyErrorData(error) } });
    } finally {
      set({ busy: false });
    }
  },
  dismissNotice(notice) {
    set({ notices: get().notices.filter((candidate) => candidate !== notice) });
  },
}));
