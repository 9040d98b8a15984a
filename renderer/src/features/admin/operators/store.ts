import { create } from 'zustand';
import { toParleyErrorData, type ParleyErrorData } from '../../../../../protocol/errors';
import type { IpcArgs } from '../../../../../protocol/ipc';
import type { AdminGroup, AdminOperator } from '../../../../../protocol/operator-socket';

export type OperatorFilters = NonNullable<IpcArgs<'operators.list'>>;

interface OperatorsStore {
  filters: OperatorFilters;
  operators: AdminOperator[];
  /** Every group, archived ones too: an operator may still belong to one. */
  groups: AdminGroup[];
  loaded: boolean;
  error: ParleyErrorData | undefined;
  /** Starts afresh (no filters, nothing of a previous sign-in) and fetches operators and groups. */
  open(): Promise<void>;
  load(): Promise<void>;
  /** Fetches the operators again with the current filters. */
  refresh(): Promise<void>;
  setFilters(filters: OperatorFilters): void;
  /** The operator as the server has them now, or undefined when they are gone. */
  latest(operatorId: string): Promise<AdminOperator | undefined>;
  // The changes throw the core's error, for the dialog that asked to show it, and reload the list.
  create(params: IpcArgs<'operators.create'>): ReturnType<typeof window.parley.operators.create>;
  update(params: IpcArgs<'operators.update'>): Promise<AdminOperator>;
  setDisabled(operatorId: string, disabled: boolean): Promise<void>;
  resetTotp(operatorId: string): Promise<void>;
  endSessions(operatorId: string): Promise<number>;
  newSetupCode(operatorId: string): ReturnType<typeof window.parley.operators.newSetupCode>;
}

/** Leaves out the filters that are not set, so the server sees only real conditions. */
function setFiltersOnly(filters: OperatorFilters): OperatorFilters {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== ''),
  ) as OperatorFilters;
}

// Filters change with every keystroke in the search: only the newest answer may land.
let listRequest = 0;

export const useOperatorsStore = create<OperatorsStore>()((set, get) => {
  async function changed<R>(action: () => Promise<R>): Promise<R> {
    const result = await action();
    await get().refresh();
    return result;
  }

  return {
    filters: {},
    operators: [],
    groups: [],
    loaded: false,
    error: undefined,
    open() {
      set(useOperatorsStore.getInitialState(), true);
      return get().load();
    },
    async load() {
      try {
        set({ groups: (await window.parley.groups.list({ includeArchived: true })).groups });
      } catch (error) {
        set({ error: toParleyErrorData(error), loaded: true });
        return;
      }
      await get().refresh();
    },
    async refresh() {
      const request = ++listRequest;
      try {
        const { operators } = await window.parley.operators.list(setFiltersOnly(get().filters));
        if (request === listRequest) set({ operators, loaded: true, error: undefined });
      } catch (error) {
        if (request === listRequest) set({ error: toParleyErrorData(error), loaded: true });
      }
    },
    setFilters(filters) {
      set({ filters });
      void get().refresh();
    },
    async latest(operatorId) {
      const current = get().operators.find((operator) => operator.id === operatorId);
      const { operators } = await window.parley.operators.list(current ? { search: current.username } : {});
      return operators.find((operator) => operator.id === operatorId);
    },
    create: (params) => changed(() => window.parley.operators.create(params)),
    update: (params) => changed(async () => (await window.parley.operators.update(params)).operator),
    setDisabled: (operatorId, disabled) =>
      changed(async () => void (await window.parley.operators.setDisabled({ operatorId, disabled }))),
    resetTotp: (operatorId) =>
      changed(async () => void (await window.parley.operators.resetTotp({ operatorId }))),
    endSessions: (operatorId) =>
      changed(async () => (await window.parley.operators.endSessions({ operatorId })).ended),
    newSetupCode: (operatorId) => changed(() => window.parley.operators.newSetupCode({ operatorId })),
  };
});
