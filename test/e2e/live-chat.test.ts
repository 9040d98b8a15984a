import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { Group } from '../../server/storage/schema';
import { launchChromium, screenshotDir } from '../support/chromium';
import { visitorOnDemo } from '../support/demo-page';
import { signInOnHost } from '../support/operator-page';
import { OperatorTestSocket, signIn } from '../support/operator-client';
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, testPassword, withoutRequiredTotp } from '../support/server-fixtures';

/*
 * The whole of a live chat in Chromium: a visitor on the server's /demo page consents, fills the
 * form and writes; Olga, in the desktop's browser host, is notified, accepts, and they write both
 * ways with typing indicators; Olga hands the chat to Paul (a second operator on a raw socket), who
 * ends it; the visitor rates it. With nobody online, the offline form leaves a ticket.
 */

let browser: Browser;
let server: ParleyServer;
let host: RunningHost;
let group: Group;
let paul: OperatorTestSocket;

/** The operator page's window, as far as the notification stand-in below touches it. */
interface RecordingWindow {
  shownNotifications: { title: string; body: string | undefined }[];
}

/** Headless Chromium has nobody to grant notifications: a stand-in records what Parley shows. */
function recordNotifications() {
  const page = globalThis as unknown as RecordingWindow;
  page.shownNotifications = [];
  class RecordedNotification extends EventTarget {
    static permission = 'granted';
    static requestPermission = () => Promise.resolve('granted');
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      super();
      page.shownNotifications.push({ title, body: options?.body });
    }
    close() {}
  }
  Object.defineProperty(globalThis, 'Notification', { value: RecordedNotification, configurable: true });
}

async function rename(username: string, displayName: string) {
  await server.ctx.db
    .updateTable('operators')
    .set({ display_name: displayName })
    .where('username', '=', username)
    .execute();
}

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' } });
  await withoutRequiredTotp(server.ctx);
  group = await createGroup(server.ctx, { name: 'Kundenservice' });
  for (const [username, name] of [
    ['olga', 'Olga Berg'],
    ['paul', 'Paul Kern'],
  ] as const) {
    const operator = await addOperator(server.ctx, username);
    await addToGroup(server.ctx, operator.id, group.id);
    await rename(username, name);
  }
  host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-live-')));
  browser = await launchChromium();
  const { grant } = await signIn(server.url, 'paul', testPassword);
  paul = await OperatorTestSocket.connectWithHello(server.socketUrl, grant.token);
  // Online for transfers, but not taking new chats: the visitor's chat goes to Olga.
  await paul.request('status.set', { status: 'online', acceptingChats: false });
}, 90_000);

afterAll(async () => {
  paul?.close();
  await browser?.close();
  await host?.stop();
  await server?.close();
});

async function operatorPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  await page.addInitScript(recordNotifications);
  await signInOnHost(page, host, server.url, 'olga');
  await expect.poll(() => page.getByRole('heading', { name: /Queue/ }).count(), { timeout: 20_000 }).toBe(1);
  return page;
}

async function chatRow() {
  return server.ctx.db
    .selectFrom('chats')
    .selectAll()
    .where('visitor_name', '=', 'Vera Visitor')
    .executeTakeFirstOrThrow();
}

describe('live chat from the demo page to the operator and back', () => {
  it('consents, queues, is accepted, chats both ways with typing, is handed over, ends and is rated', async () => {
    const operator = await operatorPage();
    const { page: visitor, widget } = await visitorOnDemo(browser, server.url, group.id);

    await widget.getByRole('button', { name: 'Accept and continue' }).click();
    await widget.getByLabel('Name', { exact: true }).fill('Vera Visitor');
    await widget.getByLabel('Email (optional)').fill('vera@example.de');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await expect.poll(() => widget.getByText(/in line/).count()).toBeGreaterThan(0);

    // Olga hears of it: the offer rings in her queue, with a notification.
    const accept = operator.getByRole('button', { name: 'Accept chat with Vera Visitor' });
    await expect.poll(() => accept.count(), { timeout: 15_000 }).toBe(1);
    await expect
      .poll(() => operator.evaluate(() => (globalThis as unknown as RecordingWindow).shownNotifications))
      .toContainEqual({ title: 'New chat', body: 'Vera Visitor' });
    await operator.screenshot({ path: join(screenshotDir, 'live-chat-queue.png') });
    await accept.click();
    await expect.poll(() => widget.getByText('You are chatting with Olga Berg').count()).toBe(1);

    // The visitor writes; Olga sees the typing first, then the message.
    const visitorComposer = widget.getByLabel('Message', { exact: true });
    await visitorComposer.pressSequentially('Hallo, wo ist mein Paket 4711?');
    await expect.poll(() => operator.getByText('Vera Visitor is typing…').count()).toBe(1);
    await visitorComposer.press('Enter');
    const log = operator.getByRole('log', { name: 'Conversation with Vera Visitor' });
    await expect.poll(() => log.textContent()).toContain('Hallo, wo ist mein Paket 4711?');

    // Olga answers; the visitor sees her typing, her message, and their own marked read.
    const composer = operator.getByLabel('Message to Vera Visitor');
    await composer.pressSequentially('Ich schaue sofort nach.');
    await expect.poll(() => widget.getByText('Olga Berg is typing…').count()).toBe(1);
    await composer.press('Enter');
    await expect.poll(() => widget.getByRole('log').textContent()).toContain('Ich schaue sofort nach.');
    await expect.poll(() => widget.getByText('Read').count()).toBeGreaterThan(0);
    await operator.screenshot({ path: join(screenshotDir, 'live-chat-conversation.png') });
    await visitor.screenshot({ path: join(screenshotDir, 'widget-chat.png') });

    // Handed over to Paul with a note the visitor never sees.
    await operator.getByRole('button', { name: 'Transfer' }).click();
    const dialog = operator.getByRole('dialog');
    await dialog.getByRole('radio', { name: /Paul Kern/ }).check();
    await dialog.getByLabel('Note for the colleague (optional)').fill('Parcel 4711, check the carrier');
    await dialog.getByRole('button', { name: 'Transfer' }).click();
    const { id: chatId } = await chatRow();
    await paul.waitFor((frame) => frame.type === 'event' && frame.event === 'chat.offered');
    expect((await paul.request('chat.accept', { chatId })).ok).toBe(true);
    await expect.poll(() => widget.getByText('You are chatting with Paul Kern').count()).toBe(1);
    await expect.poll(() => log.count()).toBe(0);
    expect(await widget.getByRole('log').textContent()).not.toContain('Parcel 4711, check the carrier');

    await paul.request('chat.send', { chatId, clientMsgId: 'paul-msg-0001', text: 'Es kommt morgen an.' });
    await expect.poll(() => widget.getByRole('log').textContent()).toContain('Es kommt morgen an.');
    expect((await paul.request('chat.end', { chatId })).ok).toBe(true);

    await widget.getByRole('radio', { name: '4 stars' }).check();
    await widget.getByLabel('Comment (optional)').fill('Schnell und freundlich');
    await visitor.screenshot({ path: join(screenshotDir, 'widget-rating.png') });
    await widget.getByRole('button', { name: 'Send rating' }).click();
    await expect.poll(async () => (await chatRow()).rating).toBe(4);
    expect(await chatRow()).toMatchObject({ rating_comment: 'Schnell und freundlich', outcome: 'answered' });

    // Olga steps away: from now on nobody in the group takes chats.
    await operator.getByLabel('Status', { exact: true }).selectOption('away');
    await expect
      .poll(
        async () =>
          (
            await server.ctx.db
              .selectFrom('operators')
              .select('status')
              .where('username', '=', 'olga')
              .executeTakeFirstOrThrow()
          ).status,
      )
      .toBe('away');
    await operator.close();
    await visitor.context().close();
  });

  it('turns the offline form into a ticket when nobody is online', async () => {
    await paul.request('status.set', { status: 'away' });
    const { page, widget } = await visitorOnDemo(browser, server.url, group.id);
    await widget.getByRole('button', { name: 'Accept and continue' }).click();
    await expect.poll(() => widget.getByText(/Nobody is available right now/).count()).toBe(1);
    await widget.getByLabel('Name', { exact: true }).fill('Otto Offline');
    await widget.getByLabel('Email', { exact: true }).fill('otto@example.de');
    await widget
      .getByLabel('Message', { exact: true })
      .fill('Bitte rufen Sie mich wegen der Rücksendung an.');
    await widget.getByRole('button', { name: 'Send message' }).click();
    await expect.poll(() => widget.getByText(/Your message is ticket #\d+/).count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'widget-offline-ticket.png') });
    const ticket = await server.ctx.db
      .selectFrom('tickets')
      .selectAll()
      .where('source', '=', 'offline_form')
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({
      group_id: group.id,
      body: 'Bitte rufen Sie mich wegen der Rücksendung an.',
      requester_fields: { name: 'Otto Offline', email: 'otto@example.de' },
    });
    await page.context().close();
  });
});
