import { expect, it } from 'vitest';
import { openChat } from '../../server/chats';
import type { ServerContext } from '../../server/context';
import { setStatus } from '../../server/operator-status';
import { addToGroup, createGroup, type NewGroup } from '../../server/queues/groups';
import {
  abandonChat,
  acceptChat,
  declineChat,
  endChat,
  enqueueChat,
  transferChat,
} from '../../server/queues/handover';
import { listQueue, queuePosition } from '../../server/queues/queue-view';
import { expireOffers } from '../../server/queues/routing';
import type { Operator } from '../../server/storage/schema';
import { describeEachDatabase } from '../support/databases';
import {
  addOperator,
  addSession,
  contextFor,
  fakeClock,
  storedEvents,
  withoutRequiredTotp,
} from '../support/server-fixtures';

describeEachDatabase('queues and routing', (fresh) => {
  async function setup() {
    const clock = fakeClock();
    const ctx = contextFor(await fresh(), clock);
    await withoutRequiredTotp(ctx);
    return { ctx, clock };
  }

  /** An operator in the group with a live session (so events are stored), online unless told otherwise. */
  async function member(ctx: ServerContext, groupId: string, username: string, online = true) {
    const operator = await addOperator(ctx, username);
    await addSession(ctx, operator.id);
    await addToGroup(ctx, operator.id, groupId);
    if (online) await setStatus(ctx, operator.id, { status: 'online' });
    return operator;
  }

  function group(ctx: ServerContext, settings: Partial<NewGroup> = {}) {
    return createGroup(ctx, { name: 'Support', ...settings });
  }

  async function chatRow(ctx: ServerContext, chatId: string) {
    return ctx.db.selectFrom('chats').selectAll().where('id', '=', chatId).executeTakeFirstOrThrow();
  }

  async function offers(ctx: ServerContext, chatId: string) {
    return ctx.db
      .selectFrom('chat_offers')
      .select(['operator_id', 'outcome'])
      .where('chat_id', '=', chatId)
      .orderBy('id')
      .execute();
  }

  async function eventNames(ctx: ServerContext, operator: Operator) {
    return (await storedEvents(ctx, operator.id)).map((event) => event.event);
  }

  it('offers a new chat to the least-loaded available member, the longest idle on a tie', async () => {
    const { ctx, clock } = await setup();
    const { id: groupId } = await group(ctx);
    const ada = await member(ctx, groupId, 'ada');
    const bea = await member(ctx, groupId, 'bea');
    const cy = await member(ctx, groupId, 'cy');
    await openChat(ctx, { visitorName: 'A1', operatorId: ada.id });
    await openChat(ctx, { visitorName: 'A2', operatorId: ada.id });
    await openChat(ctx, { visitorName: 'C1', operatorId: cy.id });

    const first = await enqueueChat(ctx, { groupId, visitorName: 'Visitor 1' });
    expect(await chatRow(ctx, first)).toMatchObject({ queue_state: 'offered', offered_to: bea.id });
    const offered = (await storedEvents(ctx, bea.id)).find((event) => event.event === 'chat.offered');
    expect(offered?.payload).toEqual({
      chat: {
        id: first,
        groupId,
        visitorName: 'Visitor 1',
        priority: 0,
        queuedAt: clock.now().toISOString(),
        state: 'offered',
        offeredTo: bea.id,
      },
      expiresAt: new Date(clock.now().getTime() + 30_000).toISOString(),
      transferNote: null,
    });
    expect(await eventNames(ctx, ada)).toContain('queue.changed');

    // bea and cy now carry one chat each; bea has just accepted one, so cy has been idle longer.
    clock.advanceSeconds(5);
    await acceptChat(ctx, bea, first);
    const second = await enqueueChat(ctx, { groupId, visitorName: 'Visitor 2' });
    expect(await chatRow(ctx, second)).toMatchObject({ queue_state: 'offered', offered_to: cy.id });
  });

  it('offers nothing to members who are away, busy, not accepting or at their limit', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx);
    const away = await member(ctx, groupId, 'away');
    const busy = await member(ctx, groupId, 'busy');
    const finishing = await member(ctx, groupId, 'finishing');
    const full = await member(ctx, groupId, 'full');
    await member(ctx, groupId, 'offline', false);
    await setStatus(ctx, away.id, { status: 'away' });
    await setStatus(ctx, busy.id, { status: 'busy' });
    await setStatus(ctx, finishing.id, { status: 'online', acceptingChats: false });
    await ctx.db
      .updateTable('operators')
      .set({ max_concurrent_chats: 1 })
      .where('id', '=', full.id)
      .execute();
    await openChat(ctx, { visitorName: 'Busy', operatorId: full.id });

    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'waiting', offered_to: null });
    expect(await offers(ctx, chatId)).toEqual([]);

    // Coming back from away is what gets the waiting chat offered.
    await setStatus(ctx, away.id, { status: 'online' });
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'offered', offered_to: away.id });
  });

  it('offers nothing in a manual group: members pick, others may not', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx, { routingMode: 'manual' });
    const ada = await member(ctx, groupId, 'ada');
    const outsider = await addOperator(ctx, 'outsider');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'waiting', offered_to: null });
    expect(await listQueue(ctx, ada.id)).toMatchObject([{ id: chatId, state: 'waiting' }]);
    expect(await listQueue(ctx, outsider.id)).toEqual([]);

    await expect(acceptChat(ctx, outsider, chatId)).rejects.toMatchObject({ code: 'forbidden' });
    const summary = await acceptChat(ctx, ada, chatId);
    expect(summary).toEqual({ id: chatId, status: 'open', visitorName: 'Visitor', groupId, messages: [] });
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'assigned', operator_id: ada.id });
    expect(await offers(ctx, chatId)).toEqual([{ operator_id: ada.id, outcome: 'accepted' }]);
    expect(await storedEvents(ctx, ada.id)).toContainEqual({
      event: 'chat.assigned',
      payload: { chat: summary },
    });
    expect(await listQueue(ctx, ada.id)).toEqual([]);
  });

  it('lets exactly one of two operators accepting at once have the chat', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx, { routingMode: 'manual' });
    const ada = await member(ctx, groupId, 'ada');
    const bea = await member(ctx, groupId, 'bea');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });

    const results = await Promise.allSettled([acceptChat(ctx, ada, chatId), acceptChat(ctx, bea, chatId)]);

    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const [refused] = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(refused).toMatchObject({ code: 'conflict', message: 'This chat was already taken.' });
    const winner = results[0].status === 'fulfilled' ? ada.id : bea.id;
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'assigned', operator_id: winner });
    expect(await offers(ctx, chatId)).toEqual([{ operator_id: winner, outcome: 'accepted' }]);
  });

  it('counts an offer that rings out as missed and offers the chat to someone else first', async () => {
    const { ctx, clock } = await setup();
    const { id: groupId } = await group(ctx, { ringTimeoutSeconds: 20 });
    const ada = await member(ctx, groupId, 'ada');
    const bea = await member(ctx, groupId, 'bea');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    const first = (await chatRow(ctx, chatId)).offered_to;
    const [firstOperator, secondOperator] = first === ada.id ? [ada, bea] : [bea, ada];

    clock.advanceSeconds(19);
    expect(await expireOffers(ctx, clock.now())).toBe(0);
    clock.advanceSeconds(1);
    expect(await expireOffers(ctx, clock.now())).toBe(1);
    expect(await chatRow(ctx, chatId)).toMatchObject({
      queue_state: 'offered',
      offered_to: secondOperator.id,
    });

    // With everyone having missed it, it rings again at the first one rather than wait unseen.
    clock.advanceSeconds(20);
    expect(await expireOffers(ctx, clock.now())).toBe(1);
    expect(await chatRow(ctx, chatId)).toMatchObject({ offered_to: firstOperator.id });
    expect(await offers(ctx, chatId)).toEqual([
      { operator_id: firstOperator.id, outcome: 'missed' },
      { operator_id: secondOperator.id, outcome: 'missed' },
      { operator_id: firstOperator.id, outcome: null },
    ]);
  });

  it('offers a declined chat to someone else, and never again to whoever declined it', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx);
    const ada = await member(ctx, groupId, 'ada');
    const bea = await member(ctx, groupId, 'bea');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    const first = (await chatRow(ctx, chatId)).offered_to === ada.id ? ada : bea;
    const second = first === ada ? bea : ada;

    await expect(declineChat(ctx, second, chatId)).rejects.toMatchObject({ code: 'conflict' });
    await declineChat(ctx, first, chatId);
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'offered', offered_to: second.id });
    await declineChat(ctx, second, chatId);
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'waiting', offered_to: null });
  });

  it('hands a chat to a colleague with the note, keeping it with the sender until accepted', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx, { routingMode: 'manual' });
    const ada = await member(ctx, groupId, 'ada');
    const bea = await member(ctx, groupId, 'bea');
    const cy = await member(ctx, groupId, 'cy');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });
    await acceptChat(ctx, ada, chatId);

    await expect(
      transferChat(ctx, cy, { chatId, to: { operatorId: bea.id }, note: 'Mine now' }),
    ).rejects.toMatchObject({ code: 'forbidden' });
    await transferChat(ctx, ada, { chatId, to: { operatorId: bea.id }, note: 'Billing question' });
    expect(await chatRow(ctx, chatId)).toMatchObject({
      queue_state: 'offered',
      offered_to: bea.id,
      operator_id: ada.id,
    });
    const offered = (await storedEvents(ctx, bea.id)).find((event) => event.event === 'chat.offered');
    expect(offered?.payload).toMatchObject({ chat: { id: chatId }, transferNote: 'Billing question' });
    // Until bea answers, ada cannot end it.
    await expect(endChat(ctx, ada, chatId)).rejects.toMatchObject({ code: 'conflict' });

    const summary = await acceptChat(ctx, bea, chatId);
    expect(summary.messages.map((message) => [message.author.kind, message.text])).toEqual([
      ['system', 'ada transferred the chat to bea: Billing question'],
    ]);
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'assigned', operator_id: bea.id });
    expect(await storedEvents(ctx, ada.id)).toContainEqual({
      event: 'chat.unassigned',
      payload: { chatId },
    });

    // A transfer that is declined comes back to the sender, with a word in the chat.
    await transferChat(ctx, bea, { chatId, to: { operatorId: cy.id } });
    await declineChat(ctx, cy, chatId);
    expect(await chatRow(ctx, chatId)).toMatchObject({ queue_state: 'assigned', operator_id: bea.id });
    const texts = (await acceptChat(ctx, bea, chatId)).messages.map((message) => message.text);
    expect(texts.slice(-2)).toEqual(['bea transferred the chat to cy.', 'cy declined the transfer.']);
  });

  it('hands a chat to another group, where it waits and is offered to a member', async () => {
    const { ctx } = await setup();
    const { id: supportId } = await group(ctx, { routingMode: 'manual' });
    const billing = await group(ctx, { name: 'Billing' });
    const ada = await member(ctx, supportId, 'ada');
    const bill = await member(ctx, billing.id, 'bill');
    const chatId = await enqueueChat(ctx, { groupId: supportId, visitorName: 'Visitor' });
    await acceptChat(ctx, ada, chatId);

    await transferChat(ctx, ada, { chatId, to: { groupId: billing.id }, note: 'Refund' });

    expect(await chatRow(ctx, chatId)).toMatchObject({
      group_id: billing.id,
      operator_id: null,
      queue_state: 'offered',
      offered_to: bill.id,
    });
    expect(await storedEvents(ctx, ada.id)).toContainEqual({
      event: 'chat.unassigned',
      payload: { chatId },
    });
    const messages = await ctx.db
      .selectFrom('chat_messages')
      .select(['author_kind', 'text'])
      .where('chat_id', '=', chatId)
      .execute();
    expect(messages).toEqual([
      { author_kind: 'system', text: 'ada transferred the chat to Billing: Refund' },
    ]);
  });

  it('ends a chat as answered, which makes room for the next one', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx);
    const ada = await member(ctx, groupId, 'ada');
    await ctx.db.updateTable('operators').set({ max_concurrent_chats: 1 }).where('id', '=', ada.id).execute();
    const first = await enqueueChat(ctx, { groupId, visitorName: 'First' });
    await acceptChat(ctx, ada, first);
    const second = await enqueueChat(ctx, { groupId, visitorName: 'Second' });
    expect(await chatRow(ctx, second)).toMatchObject({ queue_state: 'waiting' });

    await endChat(ctx, ada, first);

    expect(await chatRow(ctx, first)).toMatchObject({
      status: 'closed',
      queue_state: 'closed',
      outcome: 'answered',
      closed_at: expect.any(Date),
    });
    expect(await storedEvents(ctx, ada.id)).toContainEqual({
      event: 'chat.closed',
      payload: { chatId: first, outcome: 'answered' },
    });
    expect(await chatRow(ctx, second)).toMatchObject({ queue_state: 'offered', offered_to: ada.id });
    await expect(endChat(ctx, ada, first)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('records a visitor who leaves while waiting as abandoned, and stops the ringing', async () => {
    const { ctx } = await setup();
    const { id: groupId } = await group(ctx);
    const ada = await member(ctx, groupId, 'ada');
    const chatId = await enqueueChat(ctx, { groupId, visitorName: 'Visitor' });

    expect(await abandonChat(ctx, chatId)).toBe(true);

    expect(await chatRow(ctx, chatId)).toMatchObject({
      status: 'closed',
      queue_state: 'closed',
      outcome: 'abandoned',
      offered_to: null,
    });
    expect(await offers(ctx, chatId)).toEqual([{ operator_id: ada.id, outcome: null }]);
    expect(await storedEvents(ctx, ada.id)).toContainEqual({
      event: 'chat.closed',
      payload: { chatId, outcome: 'abandoned' },
    });
    // Leaving a conversation an operator has is not abandoning the queue.
    const talking = await openChat(ctx, { visitorName: 'Talking', operatorId: ada.id });
    expect(await abandonChat(ctx, talking)).toBe(false);
    expect(await chatRow(ctx, talking)).toMatchObject({ status: 'open', queue_state: 'assigned' });
  });

  it('tells visitors their place in the queue and a wait estimate from recent accepts', async () => {
    const { ctx, clock } = await setup();
    const { id: groupId } = await group(ctx, { routingMode: 'manual' });
    const ada = await member(ctx, groupId, 'ada');
    const early = await enqueueChat(ctx, { groupId, visitorName: 'Early' });
    clock.advanceSeconds(10);
    const late = await enqueueChat(ctx, { groupId, visitorName: 'Late' });
    const urgent = await enqueueChat(ctx, { groupId, visitorName: 'Urgent', priority: 5 });

    // No accepts yet: 60 s per chat ahead, shared by the one available operator.
    expect(await queuePosition(ctx, urgent)).toEqual({ position: 1, estimatedWaitSeconds: 60 });
    expect(await queuePosition(ctx, early)).toEqual({ position: 2, estimatedWaitSeconds: 120 });
    expect(await queuePosition(ctx, late)).toEqual({ position: 3, estimatedWaitSeconds: 180 });

    // Urgent waited 110 s to be accepted; a second available operator halves the estimate.
    clock.advanceSeconds(110);
    await acceptChat(ctx, ada, urgent);
    await member(ctx, groupId, 'bea');
    expect(await queuePosition(ctx, early)).toEqual({ position: 1, estimatedWaitSeconds: 55 });
    expect(await queuePosition(ctx, late)).toEqual({ position: 2, estimatedWaitSeconds: 110 });
    await expect(queuePosition(ctx, urgent)).rejects.toMatchObject({ code: 'conflict' });
  });
});
