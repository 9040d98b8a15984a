import type { IpcArgs } from '../../../../../protocol/ipc';
import { operatorMethods, type AdminOperator } from '../../../../../protocol/operator-socket';
import type { Role } from '../../../../../protocol/roles';

/** What the operator form holds: text as typed, checked later against the protocol's own rules. */
export interface OperatorDraft {
  username: string;
  displayName: string;
  role: Role;
  groupIds: string[];
  /** As typed; empty on a new operator means "their first group's default". */
  maxChats: string;
}

export type OperatorField = 'username' | 'displayName' | 'maxChats';

/** A refused field: the message key under admin.operators.invalid and what it interpolates. */
export interface Problem {
  key: string;
  values?: Record<string, number>;
}
export type Problems = Partial<Record<OperatorField, Problem>>;

// The server's own field rules, so the form refuses exactly what the server would.
const rules = operatorMethods['operators.create'].params.shape;
const maxChatsRule = rules.maxConcurrentChats.unwrap();
export const maxChatsBounds = { min: maxChatsRule.minValue ?? 1, max: maxChatsRule.maxValue ?? 50 };

export const emptyDraft: OperatorDraft = {
  username: '',
  displayName: '',
  role: 'agent',
  groupIds: [],
  maxChats: '',
};

export function draftOf(operator: AdminOperator): OperatorDraft {
  return {
    username: operator.username,
    displayName: operator.displayName,
    role: operator.role,
    groupIds: operator.groupIds,
    maxChats: String(operator.maxConcurrentChats),
  };
}

function parseMaxChats(text: string): number | undefined {
  const parsed = maxChatsRule.safeParse(text.trim() === '' ? Number.NaN : Number(text));
  return parsed.success ? parsed.data : undefined;
}

/** What is wrong with the draft; `creating` asks for a username and lets the limit stay empty. */
export function problemsOf(draft: OperatorDraft, creating: boolean): Problems {
  const problems: Problems = {};
  if (creating && !rules.username.safeParse(draft.username).success) {
    problems.username = { key: 'username' };
  }
  if (!rules.displayName.safeParse(draft.displayName).success) problems.displayName = { key: 'displayName' };
  const limitOptional = creating && draft.maxChats.trim() === '';
  if (!limitOptional && parseMaxChats(draft.maxChats) === undefined) {
    problems.maxChats = { key: 'maxChats', values: maxChatsBounds };
  }
  return problems;
}

/** The create request for a draft without problems. */
export function createParams(draft: OperatorDraft): IpcArgs<'operators.create'> {
  const maxConcurrentChats = parseMaxChats(draft.maxChats);
  return {
    username: rules.username.parse(draft.username),
    displayName: draft.displayName.trim(),
    role: draft.role,
    groupIds: draft.groupIds,
    ...(maxConcurrentChats === undefined ? {} : { maxConcurrentChats }),
  };
}

const sameMembers = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id) => b.includes(id));

/**
 * The update request for a draft without problems: only the fields that differ from `base`, the
 * version the draft was made against, or undefined when nothing changed.
 */
export function updateParams(
  base: AdminOperator,
  draft: OperatorDraft,
): IpcArgs<'operators.update'> | undefined {
  const changes: Omit<IpcArgs<'operators.update'>, 'operatorId' | 'version'> = {};
  const displayName = draft.displayName.trim();
  if (displayName !== base.displayName) changes.displayName = displayName;
  if (draft.role !== base.role) changes.role = draft.role;
  if (!sameMembers(draft.groupIds, base.groupIds)) changes.groupIds = draft.groupIds;
  const maxChats = parseMaxChats(draft.maxChats);
  if (maxChats !== undefined && maxChats !== base.maxConcurrentChats) changes.maxConcurrentChats = maxChats;
  if (Object.keys(changes).length === 0) return undefined;
  return { operatorId: base.id, version: base.version, ...changes };
}
