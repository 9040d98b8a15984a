import { expect, it, onTestFinished } from 'vitest';
import { startParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { onEventsStored, receiveAnnouncement } from '../../server/events';
import { silentLog } from '../../server/log';
import { describePostgres } from '../support/databases';
import { OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

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
});
