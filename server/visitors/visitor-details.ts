import { ParleyError } from '../../protocol/errors';
import type { VisitorFields } from '../../protocol/visitor-socket';
import { recordAudit } from '../audit';
import { lockChat } from '../chats';
import type { ServerContext } from '../context';
import { transactionWithEvents } from '../events';
import { readSecurityPolicy } from '../policy';
import { eraseRecords } from '../privacy/erasure';
import { maskOf } from '../privacy/masking';
import { lockQueues, routeAndAnnounce, routeGroupsOf } from '../queues/routing';
import { openGroup } from './visitor-sessions';
import { chatNameOf, collectFields } from './visitor-fields';

/*
 * What visitors may do with their own data from the widget: correct the details they gave for
 * the chat they are in, and delete a chat for good. Both take the queue lock first, like every
 * change that moves a queue or frees an operator.
 */

/**
 * details.update: the open chat's fields and name, checked like the pre-chat form of the chat's
 * group (which may forbid it). Operators learn of it only as the masking rules show it.
 */
export function updateVisitorDetails(
  ctx: ServerContext,
  chatId: string,
  input: VisitorFields,
): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    if (chat.status !== 'open' || chat.group_id === null) {
      throw new ParleyError('not_found', 'This chat has ended, so its details can no longer be changed.');
    }
    const group = await openGroup(tx, chat.group_id);
    if (group.prechat_fields.visitorsMayEdit === false) {
      throw new ParleyError('forbidden', 'The details of this chat cannot be changed.');
    }
    const fields = collectFields(group.prechat_fields, input);
    const updated = await tx.db
      .updateTable('chats')
      .set({ visitor_fields: JSON.stringify(fields), visitor_name: chatNameOf(fields) })
      .where('id', '=', chat.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    events.signal({ kind: 'chat', chatId: chat.id });
    if (chat.operator_id !== null) {
      const { displayName } = await maskOf(tx, updated);
      await events.toOperator(chat.operator_id, 'chat.visitorChanged', {
        chatId: chat.id,
        visitorName: displayName,
      });
    }
    // Still in line: the queue lists show the visitor's name.
    if (chat.queue_state === 'waiting' || chat.queue_state === 'offered') {
      await routeAndAnnounce(tx, events, chat.group_id, true);
    }
  });
}

/**
 * chat.delete: the visitor's chat and the tickets made from it go for good, as with an admin's
 * erasure but audited without an actor; the visitor and their consent stay. Whoever had the chat
 * (or had it ringing) has room again.
 */
export function deleteVisitorChat(ctx: ServerContext, chatId: string): Promise<void> {
  return transactionWithEvents(ctx, async (tx, events) => {
    await lockQueues(tx);
    const chat = await lockChat(tx, chatId);
    const { erasureId, ...counts } = await eraseRecords(tx, events, null, {
      visitorIds: [],
      chatIds: [chat.id],
      ticketIds: [],
    });
    const policy = await readSecurityPolicy(tx.db);
    await recordAudit(tx.db, tx.clock, policy.addressPolicy, {
      action: 'chat.deletedByVisitor',
      target: erasureId,
      details: counts,
    });
    if (chat.status === 'closed') return;
    for (const operatorId of new Set([chat.operator_id, chat.offered_to])) {
      if (operatorId !== null) await routeGroupsOf(tx, events, operatorId);
    }
  });
}
