import { afterAll, beforeAll, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { defaultMaskingRules, revealSeconds, type MaskingRules } from '../../protocol/masking';
import type {
  AdminGroup,
  AuditEntryInfo,
  ChatMessage,
  ChatSummary,
  QueuedChat,
  Ticket,
  VisitorInfo,
} from '../../protocol/operator-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { updateSecurityPolicy } from '../../server/policy';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { Group } from '../../server/storage/schema';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

/** What the visitor enters; every piece but the order number is masked in the group below. */
const max = {
  name: 'Maximilian Mustermann',
  email: 'max.mustermann@example.de',
  phone: '+49 170 1234512',
  company: 'Geheimfirma GmbH',
  custom: 'Order 4711',
};
/** Substrings none of which may reach an agent in any form. */
const secrets = [
  'Maximilian',
  'Mustermann',
  'max.mustermann',
  'example.de',
  '1234512',
  '170 ',
  'Geheimfirma',
];

const rules: MaskingRules = {
  name: 'partial',
  email: 'partial',
  phone: 'hidden',
  company: 'hidden',
  custom: 'show',
};

describeEachServerStorage('masking rules', (storage) => {
  let server: ParleyServer;
  let group: Group;
  const clock = fakeClock(Date.parse('2026-11-23T09:00:00Z'));
  const sockets = {} as Record<'agent' | 'lead' | 'admin', OperatorTestSocket>;
  /** Every frame the agent's socket received, as the bytes arrived. */
  const agentRaw: string[] = [];
  let agentToken = '';

  /** A socket that also keeps each frame's raw text in `raw`; `lastSeq` asks for a replay. */
  async function open(token: string, raw?: string[], lastSeq?: number) {
    const socket = OperatorTestSocket.open(server.socketUrl, token);
    if (raw) socket.on('message', (data: WebSocket.RawData) => raw.push(data.toString()));
    const client = new OperatorTestSocket(socket);
    socket.once('open', () => client.hello(lastSeq));
    await client.waitFor((frame) => frame.type === 'welcome');
    return client;
  }

  async function connect(role: 'agent' | 'lead' | 'admin', raw?: string[]) {
    const operator = await addOperator(server.ctx, `mask-${role}`, role);
    await addToGroup(server.ctx, operator.id, group.id);
    const { grant } = await signIn(server.url, `mask-${role}`, testPassword);
    if (role === 'agent') agentToken = grant.token;
    return open(grant.token, raw);
  }

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await updateSecurityPolicy(server.ctx.db, clock, { totpRequiredRoles: [] });
    group = await createGroup(server.ctx, {
      name: 'Masked',
      prechatFields: {
        name: 'required',
        email: 'optional',
        phone: 'optional',
        company: 'optional',
        custom: 'optional',
        customLabel: { en: 'Order', de: 'Bestellung' },
        visitorsMayEdit: true,
      },
      masking: rules,
    });
    sockets.agent = await connect('agent', agentRaw);
    sockets.lead = await connect('lead');
    sockets.admin = await connect('admin');
    await sockets.agent.request('status.set', { status: 'online' });
  });
  afterAll(async () => {
    for (const socket of Object.values(sockets)) socket.close();
    await server?.close();
  });

  async function result<T>(socket: OperatorTestSocket, method: string, params?: unknown): Promise<T> {
    const response = await socket.request(method, params);
    if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  async function visitorChat(fields: Partial<typeof max>) {
    const { visitor, chat } = await VisitorTestSocket.chatting(server.url, group, fields);
    return { visitor, chatId: chat.id };
  }

  let chatId: string;

  it('never sends an agent a masked value: not in the queue, chat, messages, visitor panel or ticket', async () => {
    const started = await visitorChat(max);
    chatId = started.chatId;
    const { visitor } = started;
    await visitor.call('chat.send', {
      clientMsgId: 'msg-masked-1',
      text: `Bitte an ${max.email.toUpperCase()} schreiben oder ${max.phone} anrufen.`,
    });

    const { chats: queue } = await result<{ chats: QueuedChat[] }>(sockets.agent, 'queue.list');
    expect(queue.find((entry) => entry.id === chatId)?.visitorName).toBe('M••• M•••');

    const { chat } = await result<{ chat: ChatSummary }>(sockets.agent, 'chat.accept', { chatId });
    expect(chat.visitorName).toBe('M••• M•••');
    expect(chat.messages.map((message) => message.text)).toContain(
      'Bitte an m•••@e•••.de schreiben oder ••• anrufen.',
    );

    await visitor.call('chat.send', { clientMsgId: 'msg-masked-2', text: `Ich bin ${max.name}.` });
    const live = await sockets.agent.waitFor(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'chat.message' &&
        (frame.payload as { message: ChatMessage }).message.clientMsgId === 'msg-masked-2',
    );
    expect(live).toMatchObject({
      payload: { message: { author: { kind: 'visitor', name: 'M••• M•••' }, text: 'Ich bin M••• M•••.' } },
    });

    const { message: mine } = await result<{ message: ChatMessage }>(sockets.agent, 'chat.send', {
      chatId,
      clientMsgId: 'msg-agent-01',
      text: `Danke, ${max.name}!`,
    });
    expect(mine.text).toBe('Danke, M••• M•••!');
    // The visitor reads the operator's words as written.
    await visitor.waitFor(
      (frame) => frame.type === 'event' && JSON.stringify(frame.payload).includes(`Danke, ${max.name}!`),
    );

    const info = await result<VisitorInfo>(sockets.agent, 'chat.visitor', { chatId });
    expect(info.fields).toEqual({
      name: 'M••• M•••',
      email: 'm•••@e•••.de',
      phone: null,
      company: null,
      custom: 'Order 4711',
    });
    expect(info.maskedFields).toEqual(['name', 'email', 'phone', 'company']);

    const { ticket } = await result<{ ticket: Ticket }>(sockets.agent, 'chat.toTicket', { chatId });
    expect(ticket).toMatchObject({
      subject: 'Chat with M••• M•••',
      requesterName: 'M••• M•••',
      requesterEmail: 'm•••@e•••.de',
    });

    await result(sockets.agent, 'chat.end', { chatId });
    await visitor.call('chat.rate', { rating: 5, comment: `${max.email} ist zufrieden` });
    const rated = await result<VisitorInfo>(sockets.agent, 'chat.visitor', { chatId });
    expect(rated.rating).toEqual({ rating: 5, comment: 'm•••@e•••.de ist zufrieden' });

    for (const [method, params] of [
      ['visitor.reveal', { chatId, field: 'email', reason: 'Kunde ruft an' }],
      ['privacy.search', { query: max.email }],
      ['privacy.export', { visitorIds: [], chatIds: [chatId], ticketIds: [] }],
    ] as const) {
      expect(await sockets.agent.request(method, params)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    visitor.close();

    // A fresh snapshot and a replay of every stored event carry the same masked copies.
    await result(sockets.agent, 'chats.mine');
    const replay = await open(agentToken, agentRaw, 0);
    await replay.waitFor((frame) => frame.type === 'resumed' || frame.type === 'snapshot_required');
    expect(replay.events().some((frame) => frame.event === 'chat.message')).toBe(true);
    replay.close();
    const everything = agentRaw.join('\n');
    expect(everything).toContain('m•••@e•••.de');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });

  it('lets a lead reveal one value of one chat with a reason, audits it and says when it expires', async () => {
    const masked = await result<VisitorInfo>(sockets.lead, 'chat.visitor', { chatId });
    expect(masked.fields.email).toBe('m•••@e•••.de');

    const revealed = await result<{ value: string; expiresAt: string }>(sockets.lead, 'visitor.reveal', {
      chatId,
      field: 'email',
      reason: 'Customer called about order 4711',
    });
    expect(revealed).toEqual({
      value: max.email,
      expiresAt: new Date(clock.now().getTime() + revealSeconds * 1000).toISOString(),
    });

    const { entries } = await result<{ entries: AuditEntryInfo[] }>(sockets.admin, 'audit.list', {
      action: 'visitor.revealed',
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorName: 'mask-lead',
      target: chatId,
      details: { field: 'email', reason: 'Customer called about order 4711' },
    });
    expect(JSON.stringify(entries)).not.toContain('mustermann');
    // Revealing is for one answer: the panel stays masked.
    expect((await result<VisitorInfo>(sockets.lead, 'chat.visitor', { chatId })).fields.email).toBe(
      'm•••@e•••.de',
    );
  });

  it('refuses a reveal without a reason, of an unmasked or missing value, or of another chat, and audits none', async () => {
    const { chatId: quiet, visitor } = await visitorChat({ name: 'Ida' });
    const refusals = [
      [{ chatId, field: 'email', reason: '' }, 'invalid_request'],
      [{ chatId, field: 'fax', reason: 'Customer called' }, 'invalid_request'],
      [{ chatId, field: 'custom', reason: 'Customer called' }, 'invalid_request'],
      [{ chatId: quiet, field: 'phone', reason: 'Customer called' }, 'not_found'],
      [{ chatId: 'no-such-chat', field: 'email', reason: 'Customer called' }, 'not_found'],
    ] as const;
    for (const [params, code] of refusals) {
      const response = await sockets.lead.request('visitor.reveal', params);
      expect(response, JSON.stringify(params)).toMatchObject({ ok: false, error: { code } });
    }
    const { entries } = await result<{ entries: AuditEntryInfo[] }>(sockets.admin, 'audit.list', {
      action: 'visitor.revealed',
    });
    expect(entries).toHaveLength(1);
    visitor.close();
  });

  it('refuses a rule for an unknown field, changing nothing, and applies a new rule to what is sent next', async () => {
    const { groups } = await result<{ groups: AdminGroup[] }>(sockets.admin, 'groups.list');
    const before = groups.find((candidate) => candidate.id === group.id);
    expect(before?.masking).toEqual(rules);

    const unknown = await sockets.admin.request('groups.update', {
      groupId: group.id,
      version: before?.version,
      masking: { ...rules, fax: 'hidden' },
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(JSON.stringify(unknown)).toContain('fax');
    const byLead = await sockets.lead.request('groups.update', {
      groupId: group.id,
      version: before?.version,
      masking: defaultMaskingRules,
    });
    expect(byLead).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const unchanged = await result<{ groups: AdminGroup[] }>(sockets.admin, 'groups.list');
    expect(unchanged.groups.find((candidate) => candidate.id === group.id)).toEqual(before);

    await result(sockets.admin, 'groups.update', {
      groupId: group.id,
      version: before?.version,
      masking: { ...rules, email: 'show', name: 'hidden' },
    });
    const info = await result<VisitorInfo>(sockets.agent, 'chat.visitor', { chatId });
    expect(info.fields).toMatchObject({ name: null, email: max.email });
    expect(info.maskedFields).toEqual(['name', 'phone', 'company']);
  });
});
