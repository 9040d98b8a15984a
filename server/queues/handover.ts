import { randomUUID } from 'node:crypto';
import { ParleyError } from '../../protocol/errors';
import type { ChatSummary, OperatorParams } from '../../protocol/operator-socket';
import type { VisitorFields } from '../../protocol/visitor-socket';
import { addSystemMessage, chatSummary, lockChat } from '../chats';
import type { ServerContext } from '../context';
import { transactionWithEvents } from '../events';
import type { Operator } from '../storage/schema';
import { isMember } from './groups';
import { endOffer, lockQueues, offerChat, routeAndAnnounce, routeGroupsOf } from './routing';

/*
 * A chat's way through a queue: a visitor joins it, an operator accepts (or declines) it, hands it
 * over, ends it, or the visitor leaves first. Each step takes the queue lock, then the chat's row
 * lock, and commits with its events.
 */

export interface QueueEntry {
  groupId: string;
  visitorName: string;
  /** Higher goes first; 0 unless the widget knows better. */
  priority?: number;
  /** The consenting visitor and what they entered, when the chat comes from the widget. */
  visitor?: { id: string; fields: VisitorFields; pageUrl: string | null };
}

/** A visitor joins the group's queue; the chat is offered at once if someone is available. */
export function enqueueChat(ctx: ServerContext, entry: QueueEntry): Promise<string> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const group = await tx.db
      .selectFrom('groups')
      .select('archived')
      .where('id', '=', entry.groupId)
      .executeTakeFirst();
    if (!group || group.archived) throw new ParleyError('not_found', 'There is no such group.');
    const id = randomUUID();
    const now = tx.clock.now();
    await tx.db
      .insertInto('chats')
      .values({
        id,
        status: 'open',
        operator_id: null,
        visitor_name: entry.visitorName,
        created_at: now,
        closed_at: null,
        group_id: entry.groupId,
        queue_state: 'waiting',
        priority: entry.priority ?? 0,
        queued_at: now,
        ...(entry.visitor
          ? {
              visitor_id: entry.visitor.id,
              visitor_fields: JSON.stringify(entry.visitor.fields),
              page_url: entry.visitor.pageUrl,
            }
          : {}),
      })
      .execute();
    await routeAndAnnounce(tx, events, entry.groupId, true);
    return id;
  });
}

/**
 * chat.accept: a member of the chat's group takes a waiting chat, or an operator takes the chat
 * offered to them. The chat's row lock decides between two operators accepting at once: the
 * second finds it assigned and is told it was taken.
 */
export function acceptChat(ctx: ServerContext, operator: Operator, chatId: string): Promise<ChatSummary> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    if (chat.status === 'closed') throw new ParleyError('conflict', 'This chat has ended.');
    // A retry of an accept that got through.
    if (chat.queue_state === 'assigned' && chat.operator_id === operator.id) return chatSummary(tx, chat.id);
    if (chat.queue_state === 'assigned') throw new ParleyError('conflict', 'This chat was already taken.');
    if (chat.queue_state === 'offered' && chat.offered_to !== operator.id) {
      throw new ParleyError('conflict', 'This chat is offered to a colleague.');
    }
    if (
      chat.queue_state === 'waiting' &&
      !(chat.group_id && (await isMember(tx, operator.id, chat.group_id)))
    ) {
      throw new ParleyError('forbidden', 'This chat waits in a group you are not part of.');
    }

    const now = tx.clock.now();
    await tx.db
      .updateTable('chats')
      .set({ queue_state: 'assigned', operator_id: operator.id, offered_to: null, offered_at: null })
      .where('id', '=', chat.id)
      .execute();
    // A chat picked from a manual queue was never offered: its row records the time to accept all the same.
    const decided = await tx.db
      .updateTable('chat_offers')
      .set({ outcome: 'accepted', decided_at: now })
      .where('chat_id', '=', chat.id)
      .where('operator_id', '=', operator.id)
      .where('decided_at', 'is', null)
      .executeTakeFirst();
    if (decided.numUpdatedRows === 0n) {
      await tx.db
        .insertInto('chat_offers')
        .values({
          chat_id: chat.id,
          operator_id: operator.id,
          offered_at: now,
          outcome: 'accepted',
          decided_at: now,
        })
        .execute();
    }

    const summary = await chatSummary(tx, chat.id);
    await events.toOperator(operator.id, 'chat.assigned', { chat: summary });
    events.signal({ kind: 'chat', chatId: chat.id });
    const handedOverBy = chat.operator_id;
    if (handedOverBy !== null) {
      await events.toOperator(handedOverBy, 'chat.unassigned', { chatId: chat.id });
      await routeGroupsOf(tx, events, handedOverBy);
    }
    if (chat.group_id !== null) await routeAndAnnounce(tx, events, chat.group_id, true);
    return summary;
  });
}

/** chat.decline: the chat offered to the operator moves on (and comes back to them only last). */
export function declineChat(ctx: ServerContext, operator: Operator, chatId: string): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    if (chat.queue_state !== 'offered' || chat.offered_to !== operator.id) {
      throw new ParleyError('conflict', 'This chat is not offered to you.');
    }
    await endOffer(tx, events, chat, 'declined', tx.clock.now());
    if (chat.group_id !== null) await routeAndAnnounce(tx, events, chat.group_id, true);
  });
}

/** Leads and admins may move any chat, e.g. one whose operator went home. */
function mayHandOver(operator: Operator, assignee: string | null): boolean {
  return assignee === operator.id || operator.role !== 'agent';
}

/**
 * chat.transfer: to an operator the chat is offered, and stays with the current assignee until
 * accepted (so the visitor is never left alone); to a group it joins that group's queue at once.
 */
export function transferChat(
  ctx: ServerContext,
  operator: Operator,
  params: OperatorParams<'chat.transfer'>,
): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, params.chatId);
    if (chat.status === 'closed') throw new ParleyError('conflict', 'This chat has ended.');
    if (!mayHandOver(operator, chat.operator_id)) {
      throw new ParleyError('forbidden', 'Only the operator the chat is assigned to can hand it over.');
    }
    if (chat.queue_state !== 'assigned') {
      throw new ParleyError('conflict', 'This chat is not assigned to anyone to hand it over from.');
    }
    const note = params.note ? params.note : null;
    const now = tx.clock.now();

    if ('operatorId' in params.to) {
      const target = await tx.db
        .selectFrom('operators')
        .select(['id', 'display_name', 'disabled'])
        .where('id', '=', params.to.operatorId)
        .executeTakeFirst();
      if (!target || target.disabled) throw new ParleyError('not_found', 'There is no such operator.');
      if (target.id === chat.operator_id)
        throw new ParleyError('invalid_request', 'The chat is already theirs.');
      await addSystemMessage(tx, events, chat, transferText(operator, target.display_name, note));
      const queued = await tx.db
        .updateTable('chats')
        .set({ queued_at: now })
        .where('id', '=', chat.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      await offerChat(tx, events, queued, target.id, note);
      if (chat.group_id !== null) await routeAndAnnounce(tx, events, chat.group_id, true);
      return;
    }

    const group = await tx.db
      .selectFrom('groups')
      .select(['id', 'name', 'archived'])
      .where('id', '=', params.to.groupId)
      .executeTakeFirst();
    if (!group || group.archived) throw new ParleyError('not_found', 'There is no such group.');
    await addSystemMessage(tx, events, chat, transferText(operator, group.name, note));
    await tx.db
      .updateTable('chats')
      .set({ operator_id: null, group_id: group.id, queue_state: 'waiting', queued_at: now })
      .where('id', '=', chat.id)
      .execute();
    if (chat.operator_id !== null) {
      await events.toOperator(chat.operator_id, 'chat.unassigned', { chatId: chat.id });
    }
    events.signal({ kind: 'chat', chatId: chat.id });
    await routeAndAnnounce(tx, events, group.id, true);
    if (chat.operator_id !== null) await routeGroupsOf(tx, events, chat.operator_id);
  });
}

function transferText(operator: Operator, to: string, note: string | null): string {
  const line = `${operator.display_name} transferred the chat to ${to}`;
  return note === null ? `${line}.` : `${line}: ${note}`;
}

/** chat.end: the assigned operator closes the chat as answered, which frees a place for the next. */
export function endChat(ctx: ServerContext, operator: Operator, chatId: string): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    if (chat.status === 'closed') throw new ParleyError('conflict', 'This chat has ended.');
    if (chat.operator_id !== operator.id) {
      throw new ParleyError('forbidden', 'Only the operator the chat is assigned to can end it.');
    }
    if (chat.queue_state !== 'assigned') {
      throw new ParleyError('conflict', 'Wait until the transfer is answered.');
    }
    await tx.db
      .updateTable('chats')
      .set({ status: 'closed', closed_at: tx.clock.now(), queue_state: 'closed', outcome: 'answered' })
      .where('id', '=', chat.id)
      .execute();
    await events.toOperator(operator.id, 'chat.closed', { chatId: chat.id, outcome: 'answered' });
    events.signal({ kind: 'chat', chatId: chat.id });
    await routeGroupsOf(tx, events, operator.id);
  });
}

/**
 * The visitor closes the chat: abandoned while it waits, otherwise ended, with a note for the
 * operator. Returns false when it had ended already.
 */
export async function visitorLeaves(ctx: ServerContext, chatId: string): Promise<boolean> {
  if (await abandonChat(ctx, chatId)) return true;
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    if (chat.status === 'closed') return false;
    await addSystemMessage(tx, events, chat, 'The visitor left the chat.');
    await tx.db
      .updateTable('chats')
      .set({ status: 'closed', closed_at: tx.clock.now(), queue_state: 'closed', outcome: 'answered' })
      .where('id', '=', chat.id)
      .execute();
    // A transfer still ringing at a colleague stops too.
    const told = new Set([chat.operator_id, chat.offered_to].filter((id): id is string => id !== null));
    for (const operatorId of told) {
      await events.toOperator(operatorId, 'chat.closed', { chatId: chat.id, outcome: 'answered' });
    }
    await tx.db
      .updateTable('chat_offers')
      .set({ decided_at: tx.clock.now() })
      .where('chat_id', '=', chat.id)
      .where('decided_at', 'is', null)
      .execute();
    events.signal({ kind: 'chat', chatId: chat.id });
    for (const operatorId of told) await routeGroupsOf(tx, events, operatorId);
    return true;
  });
}

/**
 * The visitor left before anyone accepted: the chat closes as abandoned and any ringing stops.
 * Returns false (and changes nothing) for a chat that is not waiting in a queue: leaving a
 * conversation that an operator has is not abandoning it.
 */
export function abandonChat(ctx: ServerContext, chatId: string): Promise<boolean> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    const queued = chat.queue_state === 'waiting' || chat.queue_state === 'offered';
    if (!queued || chat.operator_id !== null) return false;
    const now = tx.clock.now();
    await tx.db
      .updateTable('chats')
      .set({
        status: 'closed',
        closed_at: now,
        queue_state: 'closed',
        outcome: 'abandoned',
        offered_to: null,
        offered_at: null,
      })
      .where('id', '=', chat.id)
      .execute();
    // Withdrawn: decided without an outcome, so it counts neither as missed nor as accepted.
    await tx.db
      .updateTable('chat_offers')
      .set({ decided_at: now })
      .where('chat_id', '=', chat.id)
      .where('decided_at', 'is', null)
      .execute();
    if (chat.offered_to !== null) {
      await events.toOperator(chat.offered_to, 'chat.closed', { chatId: chat.id, outcome: 'abandoned' });
    }
    events.signal({ kind: 'chat', chatId: chat.id });
    if (chat.group_id !== null) await routeAndAnnounce(tx, events, chat.group_id, true);
    return true;
  });
}
