import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CannedResponse, Ticket } from '../../protocol/operator-socket';
import type { Role } from '../../protocol/roles';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { silentLog } from '../../server/log';
import { addToGroup, createGroup } from '../../server/queues/groups';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

describeEachServerStorage('canned responses, tickets from chats and the team', (storage) => {
  let server: ParleyServer;
  let counter = 0;

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog });
    await withoutRequiredTotp(server.ctx);
  });
  afterAll(() => server?.close());

  async function connected(role: Role = 'agent', displayName?: string) {
    const username = `op${++counter}`;
    const operator = await addOperator(server.ctx, username, role);
    if (displayName) {
      await server.ctx.db
        .updateTable('operators')
        .set({ display_name: displayName })
        .where('id', '=', operator.id)
        .execute();
    }
    const { grant } = await signIn(server.url, username, testPassword);
    return { operator, socket: await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token) };
  }

  async function result<T>(socket: OperatorTestSocket, method: string, params?: unknown): Promise<T> {
    const response = await socket.request(method, params);
    if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  it('keeps personal responses to their owner and lets only leads and admins change shared ones', async () => {
    const agent = await connected('agent');
    const colleague = await connected('agent');
    const lead = await connected('lead');

    const mine = await result<CannedResponse>(agent.socket, 'canned.save', {
      shortcut: 'thanks',
      title: 'Thanks',
      text: 'Thank you for waiting!',
      shared: false,
    });
    expect(mine).toMatchObject({ shared: false, editable: true });
    const refused = await agent.socket.request('canned.save', {
      shortcut: 'hours',
      title: 'Opening hours',
      text: 'Mon–Fri 9–17',
      shared: true,
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const shared = await result<CannedResponse>(lead.socket, 'canned.save', {
      shortcut: 'hours',
      title: 'Opening hours',
      text: 'Mon–Fri 9–17',
      shared: true,
    });

    const seenByAgent = await result<{ responses: CannedResponse[] }>(agent.socket, 'canned.list');
    expect(seenByAgent.responses.map((r) => [r.shortcut, r.shared, r.editable])).toEqual([
      ['thanks', false, true],
      ['hours', true, false],
    ]);
    const seenByColleague = await result<{ responses: CannedResponse[] }>(colleague.socket, 'canned.list');
    expect(seenByColleague.responses.map((r) => r.shortcut)).toEqual(['hours']);

    expect(await colleague.socket.request('canned.remove', { id: mine.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    expect(await agent.socket.request('canned.remove', { id: shared.id })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const duplicate = await agent.socket.request('canned.save', {
      shortcut: 'thanks',
      title: 'Again',
      text: 'Thanks again',
      shared: false,
    });
    expect(duplicate).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'The shortcut /thanks is already in use.' },
    });
    const badShortcut = await agent.socket.request('canned.save', {
      shortcut: 'Two Words',
      title: 'x',
      text: 'x',
      shared: false,
    });
    expect(badShortcut).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    await result(agent.socket, 'canned.save', {
      id: mine.id,
      shortcut: 'ty',
      title: 'Thanks',
      text: 'Thank you!',
      shared: false,
    });
    await result(agent.socket, 'canned.remove', { id: mine.id });
    expect(
      (await result<{ responses: CannedResponse[] }>(agent.socket, 'canned.list')).responses,
    ).toHaveLength(1);
  });

  it('turns a chat into a ticket with its transcript, once', async () => {
    const { operator, socket } = await connected('agent', 'Olga');
    const chatId = await openChat(server.ctx, { visitorName: 'Vera', operatorId: operator.id });
    await postVisitorMessage(server.ctx, chatId, 'My order 4711 is missing');
    await result(socket, 'chat.send', {
      chatId,
      clientMsgId: 'operator-msg-1',
      text: 'I will open a ticket.',
    });

    const { ticket } = await result<{ ticket: Ticket }>(socket, 'chat.toTicket', { chatId });
    expect(ticket).toMatchObject({ subject: 'Chat with Vera', source: 'chat', chatId, status: 'open' });
    const body = await server.ctx.db
      .selectFrom('tickets')
      .select('body')
      .where('id', '=', ticket.id)
      .executeTakeFirstOrThrow();
    expect(body.body).toMatch(/Vera: My order 4711 is missing\n.*Olga: I will open a ticket\./);
    const again = await socket.request('chat.toTicket', { chatId });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `This chat is already ticket #${ticket.number}.` },
    });

    const other = await connected('agent');
    const foreign = await other.socket.request('chat.toTicket', { chatId });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('shows colleagues in the same groups with their status, and every open group', async () => {
    const support = await createGroup(server.ctx, { name: `Support ${++counter}` });
    const sales = await createGroup(server.ctx, { name: `Sales ${++counter}` });
    const ada = await connected('agent', 'Ada');
    const bea = await connected('agent', 'Bea');
    const stranger = await connected('agent', 'Stranger');
    await addToGroup(server.ctx, ada.operator.id, support.id);
    await addToGroup(server.ctx, bea.operator.id, support.id);
    await addToGroup(server.ctx, stranger.operator.id, sales.id);
    await result(bea.socket, 'status.set', { status: 'busy' });

    const team = await result<{
      operators: { displayName: string; status: string; groupIds: string[] }[];
      groups: { id: string; name: string }[];
    }>(ada.socket, 'team.get');
    expect(team.operators.map((o) => [o.displayName, o.status, o.groupIds])).toEqual([
      ['Ada', 'offline', [support.id]],
      ['Bea', 'busy', [support.id]],
    ]);
    expect(team.groups.map((g) => g.id)).toEqual(expect.arrayContaining([support.id, sales.id]));
  });
});
