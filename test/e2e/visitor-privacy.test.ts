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
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';

/*
 * A visitor's own privacy controls in Chromium: during the chat they correct their email, and
 * Olga's visitor panel (the desktop's browser host) shows the new one; then they delete the chat,
 * which leaves Olga's desk and the database, and the widget is back at its start.
 */

let browser: Browser;
let server: ParleyServer;
let host: RunningHost;
let group: Group;

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' } });
  await withoutRequiredTotp(server.ctx);
  group = await createGroup(server.ctx, { name: 'Kundenservice' });
  const olga = await addOperator(server.ctx, 'olga');
  await addToGroup(server.ctx, olga.id, group.id);
  host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-privacy-')));
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
});

async function operatorPage(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
  await signInOnHost(page, host, server.url, 'olga');
  await expect.poll(() => page.getByRole('heading', { name: /Queue/ }).count(), { timeout: 20_000 }).toBe(1);
  return page;
}

describe('a visitor’s own details and their chat', () => {
  it('corrects the email for the operator to see, then deletes the chat from the desk and the database', async () => {
    const operator = await operatorPage();
    const { page: visitor, widget } = await visitorOnDemo(browser, server.url, group.id);

    await widget.getByRole('button', { name: 'Accept and continue' }).click();
    await widget.getByLabel('Name', { exact: true }).fill('Vera Visitor');
    await widget.getByLabel('Email (optional)').fill('vera@example.de');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    const accept = operator.getByRole('button', { name: 'Accept chat with Vera Visitor' });
    await expect.poll(() => accept.count(), { timeout: 15_000 }).toBe(1);
    await accept.click();
    await expect.poll(() => widget.getByText(/You are chatting with/).count()).toBe(1);
    await widget.getByLabel('Message', { exact: true }).fill('Hallo, mein Paket 4711 fehlt.');
    await widget.getByLabel('Message', { exact: true }).press('Enter');
    const panel = operator.getByRole('complementary', { name: 'Visitor' });
    await expect.poll(() => panel.textContent()).toContain('vera@example.de');

    // The visitor corrects their email; the form starts from what they entered.
    await widget.getByRole('button', { name: 'Your details' }).click();
    const email = widget.getByLabel('Email (optional)');
    expect(await email.inputValue()).toBe('vera@example.de');
    await email.fill('vera.weber@example.de');
    await visitor.screenshot({ path: join(screenshotDir, 'widget-details.png') });
    await widget.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => widget.getByText('Your details have been updated.').count()).toBe(1);
    await visitor.screenshot({ path: join(screenshotDir, 'widget-details-saved.png') });
    await expect.poll(() => panel.textContent()).toContain('vera.weber@example.de');
    expect(await panel.textContent()).not.toContain('vera@example.de');
    await operator.screenshot({ path: join(screenshotDir, 'visitor-panel-changed.png') });

    // Deleting asks first; then the chat leaves the desk and the database, and the widget starts afresh.
    const chat = await server.ctx.db
      .selectFrom('chats')
      .select('id')
      .where('visitor_name', '=', 'Vera Visitor')
      .executeTakeFirstOrThrow();
    await widget.getByRole('button', { name: 'Delete this chat' }).click();
    await expect
      .poll(() =>
        widget.getByRole('group', { name: 'This deletes the chat and its messages for good.' }).count(),
      )
      .toBe(1);
    await visitor.screenshot({ path: join(screenshotDir, 'widget-delete-confirm.png') });
    await widget.getByRole('button', { name: 'Delete chat' }).click();
    await expect.poll(() => widget.getByRole('button', { name: 'Start chat' }).count()).toBe(1);
    expect(await widget.getByLabel('Email (optional)').inputValue()).toBe('');

    const conversation = operator.getByRole('log', { name: 'Conversation with Vera Visitor' });
    await expect.poll(() => conversation.count()).toBe(0);
    await expect.poll(() => operator.getByText('You have no open chats.').count()).toBe(1);
    expect(
      await server.ctx.db.selectFrom('chat_messages').select('id').where('chat_id', '=', chat.id).execute(),
    ).toEqual([]);
    await operator.screenshot({ path: join(screenshotDir, 'desk-after-visitor-deleted.png') });

    // A chat that has ended can be deleted too, from below the rating.
    await widget.getByLabel('Name', { exact: true }).fill('Vera Weber');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    const again = operator.getByRole('button', { name: 'Accept chat with Vera Weber' });
    await expect.poll(() => again.count(), { timeout: 15_000 }).toBe(1);
    await again.click();
    await operator.getByRole('button', { name: 'End chat' }).click();
    await operator
      .getByRole('dialog', { name: 'End the chat with Vera Weber?' })
      .getByRole('button', { name: 'End chat' })
      .click();
    await expect.poll(() => widget.getByRole('heading', { name: 'The chat has ended.' }).count()).toBe(1);
    expect(await widget.getByRole('button', { name: 'Your details' }).count()).toBe(0);
    await visitor.screenshot({ path: join(screenshotDir, 'widget-ended-delete.png') });
    await widget.getByRole('button', { name: 'Delete this chat' }).click();
    await widget.getByRole('button', { name: 'Delete chat' }).click();
    await expect.poll(() => widget.getByRole('button', { name: 'Start chat' }).count()).toBe(1);
    await expect
      .poll(async () =>
        server.ctx.db.selectFrom('chats').select('id').where('visitor_name', '=', 'Vera Weber').execute(),
      )
      .toEqual([]);
    await operator.close();
    await visitor.context().close();
  });
});
