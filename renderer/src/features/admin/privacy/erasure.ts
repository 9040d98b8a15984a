import type { IpcArgs } from '../../../../../protocol/ipc';
import { operatorMethods, type PersonData } from '../../../../../protocol/operator-socket';

// The server's own rules, so the forms refuse exactly what the server would.
const searchRule = operatorMethods['privacy.search'].params.shape.query;
const reasonRule = operatorMethods['privacy.erase'].params.shape.reason;
export const queryBounds = { min: searchRule.minLength ?? 2, max: searchRule.maxLength ?? 200 };
export const reasonBounds = { min: reasonRule.minLength ?? 3, max: reasonRule.maxLength ?? 500 };

export const queryIsValid = (query: string) => searchRule.safeParse(query).success;
export const reasonIsValid = (reason: string) => reasonRule.safeParse(reason).success;

export type RecordKind = keyof PersonData;
/** The order the groups are shown in: the person first, then what they left behind. */
export const recordKinds: readonly RecordKind[] = ['visitors', 'chats', 'tickets'];

/** The ids ticked in each group of a search's results. */
export type Selection = Record<RecordKind, ReadonlySet<string>>;

const ids = (records: readonly { id: string }[]) => new Set(records.map((record) => record.id));

/** Everything found starts ticked: the usual request is "erase all of me". */
export function selectAll(found: PersonData): Selection {
  return { visitors: ids(found.visitors), chats: ids(found.chats), tickets: ids(found.tickets) };
}

export function withTicked(
  selection: Selection,
  kind: RecordKind,
  ids: readonly string[],
  on: boolean,
): Selection {
  const next = new Set(selection[kind]);
  for (const id of ids) {
    if (on) next.add(id);
    else next.delete(id);
  }
  return { ...selection, [kind]: next };
}

export const tickedCount = (selection: Selection) =>
  selection.visitors.size + selection.chats.size + selection.tickets.size;

/** The records of `found` that are ticked, in the order they were found. */
export function ticked(found: PersonData, selection: Selection): PersonData {
  return {
    visitors: found.visitors.filter((visitor) => selection.visitors.has(visitor.id)),
    chats: found.chats.filter((chat) => selection.chats.has(chat.id)),
    tickets: found.tickets.filter((ticket) => selection.tickets.has(ticket.id)),
  };
}

/** The ids of the ticked records, as export and erasure name them. */
export function recordIds(chosen: PersonData): IpcArgs<'privacy.export'> {
  return {
    visitorIds: chosen.visitors.map((visitor) => visitor.id),
    chatIds: chosen.chats.map((chat) => chat.id),
    ticketIds: chosen.tickets.map((ticket) => ticket.id),
  };
}

export function eraseArgs(chosen: PersonData, reason: string): IpcArgs<'privacy.erase'> {
  return { ...recordIds(chosen), reason: reason.trim() };
}
