import { create } from 'zustand';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import type { IpcArgs } from '../../../../../protocol/ipc';
import type { AdminOperator, IpRule, SecurityPolicy } from '../../../../../protocol/operator-socket';

export type RuleDraft = Omit<IpcArgs<'ipRules.add'>, 'confirmLockout'>;

interface SecurityStore {
  status: 'loading' | 'ready' | 'failed';
  error: ParleyErrorData | undefined;
  policy: SecurityPolicy | undefined;
  rules: IpRule[];
  /** The caller's address as the server sees it: what the allowlists are checked against. */
  yourAddress: string;
  /** For the names of operators that rules are about. */
  operators: AdminOperator[];
  load(): Promise<void>;
  /** Forgets everything, so the next admin to open the screen never sees this one's data. */
  reset(): void;
  /** The following throw the server's refusal for the form that asked to show it. */
  savePolicy(patch: IpcArgs<'policy.update'>): Promise<SecurityPolicy>;
  addRule(draft: RuleDraft, confirmLockout: boolean): Promise<void>;
  removeRule(id: string, confirmLockout: boolean): Promise<void>;
}

const initial = {
  status: 'loading',
  error: undefined,
  policy: undefined,
  rules: [],
  yourAddress: '',
  operators: [],
} satisfies Partial<SecurityStore>;

// Answers to a load that a reset (or a newer load) overtook are dropped.
let generation = 0;

export const useSecurityStore = create<SecurityStore>()((set, get) => ({
  ...initial,
  async load() {
    const mine = ++generation;
    set({ status: 'loading', error: undefined });
    try {
      const [policy, allowlist, operators] = await Promise.all([
        window.parley.policy.get({}),
        window.parley.ipRules.list({}),
        window.parley.operators.list({}),
      ]);
      if (mine !== generation) return;
      set({
        status: 'ready',
        policy,
        rules: allowlist.rules,
        yourAddress: allowlist.yourAddress,
        operators: operators.operators,
      });
    } catch (error) {
      if (mine === generation) set({ status: 'failed', error: toParleyErrorData(error) });
    }
  },
  reset() {
    generation++;
    set(initial);
  },
  async savePolicy(patch) {
    const policy = await window.parley.policy.update(patch);
    set({ policy });
    return policy;
  },
  // The server's answer is the change, so the list follows without a second request that could fail.
  async addRule(draft, confirmLockout) {
    const rule = await window.parley.ipRules.add(confirmLockout ? { ...draft, confirmLockout } : draft);
    set({ rules: [...get().rules, rule] });
  },
  async removeRule(id, confirmLockout) {
    await window.parley.ipRules.remove(confirmLockout ? { id, confirmLockout } : { id });
    set({ rules: get().rules.filter((rule) => rule.id !== id) });
  },
}));
