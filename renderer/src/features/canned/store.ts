import { create } from 'zustand';
import { toParleyErrorData } from '../../../../protocol/errors';
import type { IpcArgs } from '../../../../protocol/ipc';
import type { CannedResponse } from '../../../../protocol/operator-socket';

export type CannedDraft = IpcArgs<'canned.save'>;

interface CannedStore {
  responses: CannedResponse[];
  error: string | undefined;
  load(): Promise<void>;
  /** Throws the core's error, for the form that asked to show it. */
  save(draft: CannedDraft): Promise<CannedResponse>;
  remove(id: string): Promise<void>;
}

export const useCannedStore = create<CannedStore>()((set, get) => ({
  responses: [],
  error: undefined,
  async load() {
    try {
      set({ responses: (await window.parley.canned.list()).responses, error: undefined });
    } catch (error) {
      set({ error: toParleyErrorData(error).message });
    }
  },
  async save(draft) {
    const saved = await window.parley.canned.save(draft);
    await get().load();
    return saved;
  },
  async remove(id) {
    await window.parley.canned.remove({ id });
    await get().load();
  },
}));

/**
 * The responses matching what follows "/": shortcut or title, shortcut prefixes first, an exact
 * shortcut before everything, and my own before shared ones with the same rank.
 */
export function matchCanned(responses: CannedResponse[], query: string): CannedResponse[] {
  const needle = query.toLowerCase();
  const rank = (response: CannedResponse) => {
    const shortcut = response.shortcut.toLowerCase();
    const base = shortcut === needle ? 0 : shortcut.startsWith(needle) ? 2 : 4;
    return base + (response.shared ? 1 : 0);
  };
  return responses
    .filter(
      (response) =>
        response.shortcut.toLowerCase().includes(needle) || response.title.toLowerCase().includes(needle),
    )
    .map((response) => ({ response, rank: rank(response) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ response }) => response);
}

/** The response an exact "/shortcut" stands for: my own wins over a shared one. */
export function findByShortcut(responses: CannedResponse[], shortcut: string): CannedResponse | undefined {
  return matchCanned(responses, shortcut).find((response) => response.shortcut === shortcut);
}
