import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AdminGroup, BusinessHours } from '../../protocol/operator-socket';
import type { Role } from '../../protocol/roles';
import type { WidgetConfig } from '../../protocol/visitor-socket';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { silentLog } from '../../server/log';
import { addToGroup } from '../../server/queues/groups';
import { describeEachServerStorage, OperatorTestSocket, signIn } from '../support/operator-client';
import { addOperator, fakeClock, testPassword, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

const noticeText = { en: 'We keep chats for 30 days.', de: 'Wir speichern Chats 30 Tage.' };

describeEachServerStorage('group administration', (storage) => {
  let server: ParleyServer;
  let counter = 0;
  // Monday 23 November 2026, 10:00 in Berlin.
  const clock = fakeClock(Date.parse('2026-11-23T09:00:00Z'));

  beforeAll(async () => {
    server = await startParleyServer({ storage: await storage(), log: silentLog, clock });
    await withoutRequiredTotp(server.ctx);
  });
  afterAll(() => server?.close());

  async function connected(role: Role) {
    const username = `op${++counter}`;
    const operator = await addOperator(server.ctx, username, role);
    const { grant } = await signIn(server.url, username, testPassword, { now: () => clock.now().getTime() });
    return { operator, socket: await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token) };
  }

  async function result<T>(socket: OperatorTestSocket, method: string, params?: unknown): Promise<T> {
    const response = await socket.request(method, params);
    if (!response.ok) throw new Error(`${method}: ${response.error.code} ${response.error.message}`);
    return response.result as T;
  }

  async function create(socket: OperatorTestSocket, params: Record<string, unknown> = {}) {
    const { group } = await result<{ group: AdminGroup }>(socket, 'groups.create', {
      name: `Group ${++counter}`,
      ...params,
    });
    return group;
  }

  async function listed(socket: OperatorTestSocket, includeArchived = false) {
    return (await result<{ groups: AdminGroup[] }>(socket, 'groups.list', { includeArchived })).groups;
  }

  async function widgetConfig(groupId: string) {
    const response = await fetch(`${server.url}/widget/config?group=${groupId}`);
    return { status: response.status, body: (await response.json()) as WidgetConfig };
  }

  async function auditOf(groupId: string) {
    return server.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id', 'details'])
      .where('target', '=', groupId)
      .orderBy('id')
      .execute();
  }

  /** An operator of the group, online with a socket. */
  async function onlineMember(groupId: string) {
    const member = await connected('agent');
    await addToGroup(server.ctx, member.operator.id, groupId);
    await result(member.socket, 'status.set', { status: 'online' });
    return member;
  }

  async function consentedVisitor(groupId: string, noticeVersion: string) {
    const visitor = await VisitorTestSocket.connect(server.url);
    await visitor.call('session.consent', { groupId, noticeVersion, language: 'en' });
    return visitor;
  }

  it('lets agents do nothing, leads only look, and admins manage groups', async () => {
    const agent = await connected('agent');
    const lead = await connected('lead');
    const admin = await connected('admin');
    const group = await create(admin.socket);
    const calls = [
      ['groups.list', {}],
      ['groups.create', { name: `Matrix ${++counter}` }],
      ['groups.update', { groupId: group.id, version: group.version, ringTimeoutSeconds: 45 }],
      ['groups.setArchived', { groupId: group.id, archived: false }],
    ] as const;
    const allowed: Record<Role, string[]> = {
      agent: [],
      lead: ['groups.list'],
      admin: calls.map(([method]) => method),
    };
    for (const [role, { socket }] of [
      ['agent', agent],
      ['lead', lead],
      ['admin', admin],
    ] as const) {
      for (const [method, params] of calls) {
        const response = await socket.request(method, params);
        if (allowed[role].includes(method)) expect(response, `${role} ${method}`).toMatchObject({ ok: true });
        else expect(response, `${role} ${method}`).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
    }
    // Only the admin's update went through.
    const [stored] = (await listed(admin.socket)).filter((g) => g.id === group.id);
    expect(stored).toMatchObject({ ringTimeoutSeconds: 45, version: group.version + 1 });
  });

  it('creates, updates, archives and restores a group, and audits each step', async () => {
    const { operator, socket } = await connected('admin');
    const name = `Returns ${++counter}`;
    const group = await create(socket, { name: `  ${name} `, privacyNoticeText: noticeText });
    expect(group).toMatchObject({
      name,
      archived: false,
      routingMode: 'automatic',
      ringTimeoutSeconds: 30,
      defaultMaxChats: 3,
      businessHours: null,
      privacyNotice: { version: '1', text: noticeText },
      version: 1,
    });
    expect(group.prechatFields).toMatchObject({ name: 'required' });
    expect(group.widget).toMatchObject({ color: expect.stringMatching(/^#/) });

    const { group: updated } = await result<{ group: AdminGroup }>(socket, 'groups.update', {
      groupId: group.id,
      version: group.version,
      ringTimeoutSeconds: 60,
      widget: { ...group.widget, color: '#123456' },
      // Unchanged: neither listed as a change nor a new notice version.
      privacyNoticeText: noticeText,
    });
    expect(updated).toMatchObject({
      ringTimeoutSeconds: 60,
      widget: { color: '#123456' },
      privacyNotice: { version: '1' },
      version: 2,
    });
    expect((await listed(socket)).find((g) => g.id === group.id)).toEqual(updated);

    const { group: archived } = await result<{ group: AdminGroup }>(socket, 'groups.setArchived', {
      groupId: group.id,
      archived: true,
    });
    expect(archived).toMatchObject({ archived: true, version: 3 });
    expect((await listed(socket)).map((g) => g.id)).not.toContain(group.id);
    expect((await listed(socket, true)).map((g) => g.id)).toContain(group.id);
    expect((await widgetConfig(group.id)).status).toBe(404);
    const visitor = await VisitorTestSocket.connect(server.url);
    expect(
      await visitor.request('session.consent', { groupId: group.id, noticeVersion: '1', language: 'en' }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    visitor.close();

    const { group: restored } = await result<{ group: AdminGroup }>(socket, 'groups.setArchived', {
      groupId: group.id,
      archived: false,
    });
    expect(restored).toMatchObject({ archived: false, version: 4 });
    expect((await widgetConfig(group.id)).status).toBe(200);

    const entries = await auditOf(group.id);
    expect(entries.map((entry) => entry.action)).toEqual([
      'group.created',
      'group.updated',
      'group.archived',
      'group.unarchived',
    ]);
    expect(entries.every((entry) => entry.actor_id === operator.id)).toBe(true);
    expect(entries[1]?.details).toMatchObject({ changed: ['ringTimeoutSeconds', 'widget'] });
  });

  it('refuses a name an open group already has, in any case, also when restoring', async () => {
    const { socket } = await connected('admin');
    const name = `Billing ${++counter}`;
    const first = await create(socket, { name });
    const duplicate = await socket.request('groups.create', { name: name.toUpperCase() });
    expect(duplicate).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: `There is already a group called “${name}”.` },
    });
    const other = await create(socket);
    expect(
      await socket.request('groups.update', { groupId: other.id, version: other.version, name: ` ${name} ` }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });

    // An archived group's name is free again, but it cannot come back while the new one is open.
    await result(socket, 'groups.setArchived', { groupId: first.id, archived: true });
    await create(socket, { name: name.toLowerCase() });
    expect(await socket.request('groups.setArchived', { groupId: first.id, archived: false })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect((await listed(socket, true)).find((g) => g.id === first.id)).toMatchObject({ archived: true });
  });

  it('refuses an update made from an old version and saves none of it', async () => {
    const { socket } = await connected('admin');
    const group = await create(socket);
    await result(socket, 'groups.update', {
      groupId: group.id,
      version: group.version,
      ringTimeoutSeconds: 40,
    });
    const stale = await socket.request('groups.update', {
      groupId: group.id,
      version: group.version,
      name: `Renamed ${++counter}`,
      routingMode: 'manual',
      privacyNoticeText: noticeText,
    });
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: 'Someone else changed this group. Reload and try again.' },
    });
    expect((await listed(socket)).find((g) => g.id === group.id)).toMatchObject({
      name: group.name,
      routingMode: 'automatic',
      ringTimeoutSeconds: 40,
      privacyNotice: group.privacyNotice,
      version: group.version + 1,
    });
    expect(
      await socket.request('groups.update', { groupId: 'no-such-group', version: 1, ringTimeoutSeconds: 40 }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses unknown time zones, impossible intervals and limits below one, changing nothing', async () => {
    const { socket } = await connected('admin');
    const group = await create(socket);
    const week = (day: BusinessHours['days'][number]): BusinessHours['days'] => [day, [], [], [], [], [], []];
    const refusals: [Record<string, unknown>, RegExp][] = [
      [
        { businessHours: { timeZone: 'Europe/Atlantis', days: week([]) } },
        /time zone called "Europe\/Atlantis"/,
      ],
      [
        { businessHours: { timeZone: 'Europe/Berlin', days: week([{ from: '17:00', to: '09:00' }]) } },
        /^Monday: 17:00–09:00 ends before it starts/,
      ],
      [
        {
          businessHours: {
            timeZone: 'Europe/Berlin',
            days: week([
              { from: '09:00', to: '13:00' },
              { from: '12:00', to: '17:00' },
            ]),
          },
        },
        /^Monday: 09:00–13:00 overlaps 12:00–17:00/,
      ],
      [{ defaultMaxChats: 0 }, /defaultMaxChats/],
      [{ ringTimeoutSeconds: -5 }, /ringTimeoutSeconds/],
    ];
    for (const [change, message] of refusals) {
      const updated = await socket.request('groups.update', {
        groupId: group.id,
        version: group.version,
        name: `Half-saved ${++counter}`,
        ...change,
      });
      expect(updated).toMatchObject({ ok: false, error: { code: 'invalid_request', message } });
      const created = await socket.request('groups.create', { name: `Refused ${++counter}`, ...change });
      expect(created).toMatchObject({ ok: false, error: { code: 'invalid_request', message } });
    }
    expect((await listed(socket)).find((g) => g.id === group.id)).toEqual(group);
    expect((await listed(socket)).map((g) => g.name)).not.toContain(expect.stringMatching(/^Refused/));
  });

  it('gives a new privacy notice text a new version that visitors must consent to', async () => {
    const { socket } = await connected('admin');
    const group = await create(socket);
    expect(group.privacyNotice.version).toBe('1');
    const early = await VisitorTestSocket.connect(server.url);

    const { group: updated } = await result<{ group: AdminGroup }>(socket, 'groups.update', {
      groupId: group.id,
      version: group.version,
      privacyNoticeText: noticeText,
    });
    expect(updated.privacyNotice).toEqual({ version: '2', text: noticeText });
    expect((await widgetConfig(group.id)).body.privacyNotice).toEqual({ version: '2', text: noticeText.en });

    // A widget that loaded the old notice cannot consent to it any more.
    expect(
      await early.request('session.consent', { groupId: group.id, noticeVersion: '1', language: 'en' }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await early.call('session.consent', { groupId: group.id, noticeVersion: '2', language: 'en' });
    early.close();
    expect((await auditOf(group.id)).at(-1)?.details).toMatchObject({ changed: ['privacyNoticeText'] });
  });

  it('offers a waiting chat to an online member once routing turns automatic', async () => {
    const { socket } = await connected('admin');
    const group = await create(socket, { routingMode: 'manual' });
    const member = await onlineMember(group.id);
    const visitor = await consentedVisitor(group.id, group.privacyNotice.version);
    const { chat } = await visitor.call<{ chat: { id: string } }>('chat.start', { fields: { name: 'Vera' } });
    expect(member.socket.events().some((frame) => frame.event === 'chat.offered')).toBe(false);

    await result(socket, 'groups.update', {
      groupId: group.id,
      version: group.version,
      routingMode: 'automatic',
    });
    const offered = await member.socket.waitFor(
      (frame) => frame.type === 'event' && frame.event === 'chat.offered',
    );
    expect(offered).toMatchObject({ payload: { chat: { id: chat.id } } });
    visitor.close();
    member.socket.close();
  });

  it('is offline outside its business hours: the widget offers the form and chats are refused', async () => {
    const { socket } = await connected('admin');
    const officeHours = [{ from: '09:00', to: '17:00' }];
    // Tuesday to Friday: closed on this Monday, though someone is online.
    const group = await create(socket, {
      businessHours: {
        timeZone: 'Europe/Berlin',
        days: [[], officeHours, officeHours, officeHours, officeHours, [], []],
      },
    });
    const member = await onlineMember(group.id);
    expect((await widgetConfig(group.id)).body.online).toBe(false);
    const visitor = await consentedVisitor(group.id, group.privacyNotice.version);
    expect(await visitor.request('chat.start', { fields: { name: 'Vera' } })).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringContaining('Nobody is available') },
    });
    expect(
      await server.ctx.db.selectFrom('chats').select('id').where('group_id', '=', group.id).execute(),
    ).toEqual([]);

    // Open on Mondays from 09:00 Berlin time: it is 10:00 there now.
    await result(socket, 'groups.update', {
      groupId: group.id,
      version: group.version,
      businessHours: { timeZone: 'Europe/Berlin', days: [officeHours, [], [], [], [], [], []] },
    });
    expect((await widgetConfig(group.id)).body.online).toBe(true);
    await visitor.call('chat.start', { fields: { name: 'Vera' } });
    visitor.close();
    member.socket.close();
  });
});
