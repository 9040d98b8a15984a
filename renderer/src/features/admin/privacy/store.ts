import { create } from 'zustand';
import { toParleyErrorData } from '../../../../../protocol/errors';
import type { RetentionPolicy } from '../../../../../protocol/operator-socket';

interface PrivacyStore {
  retention: RetentionPolicy | undefined;
  failure: string | undefined;
  load(): Promise<void>;
  /** Throws the server's refusal, for the form that asked. */
  saveRetention(patch: Partial<RetentionPolicy>): Promise<void>;
}

export const usePrivacyStore = create<PrivacyStore>()((set) => ({
  retention: undefined,
  failure: undefined,
  async load() {
    try {
      set({ retention: await window.parley.retention.get({}), failure: undefined });
    } catch (error) {
      set({ failure: toParleyErrorData(error).message });
    }
  },
  async saveRetention(patch) {
    set({ retention: await window.parley.retention.update(patch) });
  },
}));
