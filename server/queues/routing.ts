import { sql } from 'kysely';
import type { QueuedChat } from '../../protocol/operator-socket';
import type { VisitorMask } from '../../protocol/masking';
import { addSystemMessage } from '../chats';
import { maskOf } from '../privacy/masking';
import type { ServerContext } from '../context';
import { transactionWithEvents, type EventWriter } from '../events';
import type { Chat } from '../storage/schema';
import { groupIdsOf, memberIdsOf } from './groups';

/*
 * Routing: which operator a waiting chat is offered to, and what happens to offers that ring out.
 * Every function here runs inside a transaction that holds the queue lock (see lockQueues).
 */

/** Arbitrary, but fixed: the advisory lock every queue change takes. */
const queueLockKey = 5_036_155;

/** For chats handed over without a queue: they have no group to take the ring timeout from. */
const defaultRingTimeoutSeconds = 30;

/**
 * Serialises every change to queues, offers and operator availability until the transaction ends.
 * Routing reads loads and statuses across groups (an operator can be in several), so two routings
 * running side by side could each offer the same operator a chat past their limit; one lock for
 * all queues rules that out. Queue changes are rare next to messages, which don't take it.
 */
export async function lockQueues(tx: ServerContext): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(queueLockKey)})`.execute(tx.db);
}

/** A queue entry as operators see it: the visitor's name as the group's masking rules allow. */
export function toQueuedChat(chat: Chat, mask: VisitorMask): QueuedChat {
  return {
    id: chat.id,
    groupId: chat.group_id,
    visitorName: mask.displayName,
    priority: chat.priority,
    queuedAt: (chat.queued_at ?? chat.created_at).toISOString(),
    state: chat.queue_state === 'offered' ? 'offered' : 'waiting',
    offeredTo: chat.offered_to,
  };
}

interface Candidate {
  id: string;
  /** Open chats assigned to or ringing at the operator: an offer counts until it is decided. */
  load: number;
  limit: number;
  /** When the operator last accepted a chat (0 when never): the longest idle goes first on a tie. */
  lastAcceptedAt: number;
}

/** Members of the group who are online and accepting chats, with their current load. */
async function availableMembers(tx: ServerContext, groupId: string): Promise<Candidate[]> {
  const rows = await tx.db
    .selectFrom('operators')
    .innerJoin('operator_groups', 'operator_groups.operator_id', 'operators.id')
    .where('operator_groups.group_id', '=', groupId)
    .where('operators.status', '=', 'online')
    .where('operators.accepting_chats', '=', true)
    .where('operators.disabled', '=', false)
    .select((eb) => [
      'operators.id',
      'operators.max_concurrent_chats',
      eb
        .selectFrom('chats')
        .where('chats.status', '=', 'open')
        .where((inner) =>
          inner.or([
            inner('chats.operator_id', '=', inner.ref('operators.id')),
            inner('chats.offered_to', '=', inner.ref('operators.id')),
          ]),
        )
        .select((inner) => inner.fn.countAll<string>().as('load'))
        .as('load'),
      eb
        .selectFrom('chat_offers')
        .whereRef('chat_offers.operator_id', '=', 'operators.id')
        .where('chat_offers.outcome', '=', 'accepted')
        .select((inner) => inner.fn.max('chat_offers.decided_at').as('last'))
        .as('last_accepted_at'),
    ])
    .execute();
  return rows.map((row) => ({
    id: row.id,
    load: Number(row.load ?? 0),
    limit: row.max_concurrent_chats,
    lastAcceptedAt: row.last_accepted_at ? new Date(row.last_accepted_at).getTime() : 0,
  }));
}

type Refusal = 'missed' | 'declined';

/** Who already let each chat ring out or turned it down. */
async function refusalsOf(tx: ServerContext, chatIds: string[]): Promise<Map<string, Map<string, Refusal>>> {
  const rows = await tx.db
    .selectFrom('chat_offers')
    .select(['chat_id', 'operator_id', 'outcome'])
    .where('chat_id', 'in', chatIds)
    .where('outcome', 'in', ['missed', 'declined'])
    .execute();
  const refusals = new Map<string, Map<string, Refusal>>();
  for (const row of rows) {
    const ofChat = refusals.get(row.chat_id) ?? new Map<string, Refusal>();
    // A decline is final; a miss (maybe away from the desk) only puts the operator last in line.
    if (ofChat.get(row.operator_id) !== 'declined') ofChat.set(row.operator_id, row.outcome as Refusal);
    refusals.set(row.chat_id, ofChat);
  }
  return refusals;
}

/** The least-loaded candidate under their limit; those who missed this chat only if no one else can. */
function pickOperator(
  candidates: Candidate[],
  refusals: Map<string, Refusal> | undefined,
): Candidate | undefined {
  const missed = (candidate: Candidate) => (refusals?.get(candidate.id) === 'missed' ? 1 : 0);
  return candidates
    .filter((candidate) => candidate.load < candidate.limit && refusals?.get(candidate.id) !== 'declined')
    .sort(
      (a, b) =>
        missed(a) - missed(b) ||
        a.load - b.load ||
        a.lastAcceptedAt - b.lastAcceptedAt ||
        a.id.localeCompare(b.id),
    )[0];
}

async function ringTimeoutSeconds(tx: ServerContext, groupId: string | null): Promise<number> {
  if (groupId === null) return defaultRingTimeoutSeconds;
  const group = await tx.db
    .selectFrom('groups')
    .select('ring_timeout_seconds')
    .where('id', '=', groupId)
    .executeTakeFirst();
  return group?.ring_timeout_seconds ?? defaultRingTimeoutSeconds;
}

/** Rings the chat at the operator: records the offer and tells the operator when it runs out. */
export async function offerChat(
  tx: ServerContext,
  events: EventWriter,
  chat: Chat,
  operatorId: string,
  transferNote: string | null,
): Promise<void> {
  const now = tx.clock.now();
  const offered = await tx.db
    .updateTable('chats')
    .set({ queue_state: 'offered', offered_to: operatorId, offered_at: now })
    .where('id', '=', chat.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tx.db
    .insertInto('chat_offers')
    .values({ chat_id: chat.id, operator_id: operatorId, offered_at: now })
    .execute();
  const timeout = await ringTimeoutSeconds(tx, chat.group_id);
  await events.toOperator(operatorId, 'chat.offered', {
    chat: toQueuedChat(offered, await maskOf(tx, offered)),
    expiresAt: new Date(now.getTime() + timeout * 1000).toISOString(),
    transferNote,
  });
}

/**
 * An offer that was missed or declined: the chat goes back where it came from, to the queue or,
 * when a colleague was handing it over, to that colleague, who is told in the chat.
 */
export async function endOffer(
  tx: ServerContext,
  events: EventWriter,
  chat: Chat,
  outcome: Refusal,
  at: Date,
): Promise<void> {
  if (chat.offered_to === null) return;
  await tx.db
    .updateTable('chat_offers')
    .set({ outcome, decided_at: at })
    .where('chat_id', '=', chat.id)
    .where('operator_id', '=', chat.offered_to)
    .where('decided_at', 'is', null)
    .execute();
  const returned = await tx.db
    .updateTable('chats')
    .set({
      queue_state: chat.operator_id === null ? 'waiting' : 'assigned',
      offered_to: null,
      offered_at: null,
    })
    .where('id', '=', chat.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  if (chat.operator_id !== null) {
    const offeree = await tx.db
      .selectFrom('operators')
      .select('display_name')
      .where('id', '=', chat.offered_to)
      .executeTakeFirst();
    const who = offeree?.display_name ?? 'The colleague';
    const text =
      outcome === 'declined' ? `${who} declined the transfer.` : `${who} did not answer the transfer.`;
    await addSystemMessage(tx, events, returned, text);
  }
}

/**
 * Offers the group's waiting chats, most urgent first, each to the least-loaded available member
 * (longest idle on a tie). Manual groups are left alone: their members pick. Returns whether
 * anything was offered.
 */
async function routeWaitingChats(tx: ServerContext, events: EventWriter, groupId: string): Promise<boolean> {
  const group = await tx.db
    .selectFrom('groups')
    .select(['routing_mode', 'archived'])
    .where('id', '=', groupId)
    .executeTakeFirst();
  if (!group || group.archived || group.routing_mode === 'manual') return false;
  const waiting = await tx.db
    .selectFrom('chats')
    .selectAll()
    .where('group_id', '=', groupId)
    .where('queue_state', '=', 'waiting')
    .orderBy('priority', 'desc')
    .orderBy('queued_at')
    .orderBy('id')
    .execute();
  if (waiting.length === 0) return false;
  const candidates = await availableMembers(tx, groupId);
  if (candidates.length === 0) return false;
  const refusals = await refusalsOf(
    tx,
    waiting.map((chat) => chat.id),
  );
  let offered = false;
  for (const chat of waiting) {
    const operator = pickOperator(candidates, refusals.get(chat.id));
    if (!operator) continue;
    operator.load += 1;
    await offerChat(tx, events, chat, operator.id, null);
    offered = true;
  }
  return offered;
}

/**
 * Routes the group and tells its members to refetch the queue if it changed, by routing or by the
 * caller's own change (`changed`).
 */
export async function routeAndAnnounce(
  tx: ServerContext,
  events: EventWriter,
  groupId: string,
  changed: boolean,
): Promise<void> {
  const routed = await routeWaitingChats(tx, events, groupId);
  if (!changed && !routed) return;
  events.signal({ kind: 'queue', groupId });
  for (const member of await memberIdsOf(tx, groupId)) {
    await events.toOperator(member, 'queue.changed', { groupId });
  }
}

/** The operator has room now (came online, ended or handed over a chat): route their groups. */
export async function routeGroupsOf(
  tx: ServerContext,
  events: EventWriter,
  operatorId: string,
): Promise<void> {
  for (const groupId of await groupIdsOf(tx, operatorId)) {
    await routeAndAnnounce(tx, events, groupId, false);
  }
}

/** Routes one group now, e.g. after its members or settings changed. */
export function routeGroup(ctx: ServerContext, groupId: string): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    await routeAndAnnounce(tx, events, groupId, false);
  });
}

/**
 * Offers that rang longer than their group's timeout count as missed for the operator and the
 * chats move on, to someone else first. The socket layer's timer calls this; returns how many expired.
 */
export function expireOffers(ctx: ServerContext, now: Date): Promise<number> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const offered = await tx.db
      .selectFrom('chats')
      .leftJoin('groups', 'groups.id', 'chats.group_id')
      .selectAll('chats')
      .select('groups.ring_timeout_seconds')
      .where('chats.queue_state', '=', 'offered')
      .execute();
    const expired = offered.filter((chat) => {
      const timeoutMs = (chat.ring_timeout_seconds ?? defaultRingTimeoutSeconds) * 1000;
      return chat.offered_at !== null && chat.offered_at.getTime() + timeoutMs <= now.getTime();
    });
    const groups = new Set<string>();
    for (const chat of expired) {
      await endOffer(tx, events, chat, 'missed', now);
      if (chat.group_id !== null) groups.add(chat.group_id);
    }
    for (const groupId of groups) await routeAndAnnounce(tx, events, groupId, true);
    return expired.length;
  });
}
