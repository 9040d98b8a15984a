import { expect, it, onTestFinished } from 'vitest';
import { startParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { onEventsStored, receiveAnnouncement } from '../../server/events';
import { silentLog } from '../../server/log';
import { describePostgres } from '../support/databases';
import { OperatorTestSocket, signIn } from '../support/operator-client';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { VisitorChat } from '../../protocol/visitor-socket';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

describePostgres('several server instances on one PostgreSQL', (postgres) => {
  async function twoInstances() {
    const connectionString = await postgres().createDatabase();
    const first = await startParleyServer({
      storage: { kind: 'postgres', connectionString },
      log: silentLog,
    });
    const second = await startParleyServer({
      storage: { kind: 'postgres', connectionString },
      log: silentLog,
    });
    onTestFinished(async () => {
      await first.close();
      await second.close();
    });
    return { first, second };
  }

  it('delivers an event stored by one instance live to an operator connected to the other', async () => {
    const { first, second } = await twoInstances();
    await withoutRequiredTotp(first.ctx);
    const operator = await addOperator(first.ctx, 'split');
    const { grant } = await signIn(first.url, 'split', testPassword);
    const chatId = await openChat(first.ctx, { visitorName: 'Vera', operatorId: operator.id });
    const socket = await OperatorTestSocket.connectWithHello(first.socketUrl, grant.token, 0);

    await postVisitorMessage(second.ctx, chatId, 'written through the other instance');
    const frame = await socket.waitFor(
      (candidate) => candidate.type === 'event' && candidate.event === 'chat.message',
    );
    expect(frame).toMatchObject({
      seq: 1,
      payload: { message: { text: 'written through the other instance' } },
    });
    socket.close();
  });

  it('ignores its own announcements and malformed ones', async () => {
    const { first } = await twoInstances();
    const delivered: unknown[] = [];
    const stop = onEventsStored(first.ctx.db, (events) => delivered.push(...events));
    await receiveAnnouncement(first.ctx, 'not json');
    await receiveAnnouncement(first.ctx, JSON.stringify({ instance: 'x', pairs: [['no-such-session', 1]] }));
    stop();
    expect(delivered).toEqual([]);
  });

  it('keeps an operator online while any instance holds one of their sockets', async () => {
    const { first, second } = await twoInstances();
    await withoutRequiredTotp(first.ctx);
    const operator = await addOperator(first.ctx, 'twice');
    const { grant } = await signIn(first.url, 'twice', testPassword);
    const onFirst = await OperatorTestSocket.connectWithHello(first.socketUrl, grant.token);
    const onSecond = await OperatorTestSocket.connectWithHello(second.socketUrl, grant.token);
    await onFirst.request('status.set', { status: 'online' });
    const status = async () =>
      (
        await first.ctx.db
          .selectFrom('operators')
          .select('status')
          .where('id', '=', operator.id)
          .executeTakeFirstOrThrow()
      ).status;

    onFirst.close();
    await onFirst.closed;
    // The second instance still has a socket: the first one's close must not take the operator offline.
    await expect
      .poll(
        async () =>
          (
            await first.ctx.db
              .selectFrom('operator_presence')
              .select('instance_id')
              .where('operator_id', '=', operator.id)
              .execute()
          ).length,
      )
      .toBe(1);
    expect(await status()).toBe('online');
    onSecond.close();
    await expect.poll(status).toBe('offline');
  });

  it('takes the operators of an instance that shuts down offline at once', async () => {
    const { first, second } = await twoInstances();
    await withoutRequiredTotp(first.ctx);
    const operator = await addOperator(first.ctx, 'leaving');
    const { grant } = await signIn(first.url, 'leaving', testPassword);
    const socket = await OperatorTestSocket.connectWithHello(second.socketUrl, grant.token);
    await socket.request('status.set', { status: 'online' });

    await second.close();
    const row = await first.ctx.db
      .selectFrom('operators')
      .select('status')
      .where('id', '=', operator.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('offline');
  });

  it('carries a visitor chat between a widget on one instance and an operator on the other', async () => {
    const { first, second } = await twoInstances();
    await withoutRequiredTotp(first.ctx);
    const group = await createGroup(first.ctx, { name: 'Support' });
    const operator = await addOperator(first.ctx, 'far');
    await addToGroup(first.ctx, operator.id, group.id);
    const { grant } = await signIn(first.url, 'far', testPassword);
    const desk = await OperatorTestSocket.connectWithHello(first.socketUrl, grant.token);
    await desk.request('status.set', { status: 'online' });

    const widget = await VisitorTestSocket.connect(second.url);
    await widget.call('session.consent', { groupId: group.id, noticeVersion: '1', language: 'en' });
    const { chat } = await widget.call<{ chat: VisitorChat }>('chat.start', { fields: { name: 'Vera' } });
    await desk.waitFor((frame) => frame.type === 'event' && frame.event === 'chat.offered');
    await desk.request('chat.accept', { chatId: chat.id });
    await desk.request('chat.typing', { chatId: chat.id, typing: true });
    await desk.request('chat.send', {
      chatId: chat.id,
      clientMsgId: 'operator-msg-1',
      text: 'Hello from afar',
    });

    await widget.waitFor((frame) => frame.type === 'event' && frame.event === 'typing');
    await widget.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'message' &&
        (frame.payload as { message: { text: string } }).message.text === 'Hello from afar',
    );
    await widget.call('chat.typing', { typing: true });
    await desk.waitFor((frame) => frame.type === 'signal' && frame.signal === 'visitor.typing');
    widget.close();
    desk.close();
  });
});
