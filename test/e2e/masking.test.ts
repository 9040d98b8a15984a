import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { listAudit } from '../../server/audit';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { addToGroup, createGroup } from '../../server/queues/groups';
import type { Group } from '../../server/storage/schema';
import { launchChromium, screenshotDir } from '../support/chromium';
import { signInOnHost } from '../support/operator-page';
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';
import { VisitorTestSocket } from '../support/visitor-client';

/*
 * Masking in Chromium: Ada, an admin at the desktop's browser host, sets the group's rules on the
 * Privacy screen; a visitor's chat then reaches her desk with the name and email shortened and the
 * phone hidden, and she reveals the email for a reason, which the audit log records.
 */

let browser: Browser;
let server: ParleyServer;
let host: RunningHost;
let group: Group;

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' } });
  await withoutRequiredTotp(server.ctx);
  group = await createGroup(server.ctx, {
    name: 'Kundenservice',
    routingMode: 'manual',
    prechatFields: {
      name: 'required',
      email: 'optional',
      phone: 'optional',
      company: 'hidden',
      custom: 'hidden',
      customLabel: { en: '', de: '' },
      visitorsMayEdit: true,
    },
  });
  const ada = await addOperator(server.ctx, 'ada', 'admin');
  await addToGroup(server.ctx, ada.id, group.id);
  host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-masking-')));
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
});

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(screenshotDir, `masking-${name}.png`) });

describe('masking rules from the admin screen to the operator’s visitor panel', () => {
  it('masks what the rules say on the desk, and reveals one value for a reason, audited', async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await signInOnHost(page, host, server.url, 'ada');
    await expect
      .poll(() => page.getByRole('heading', { name: /Queue/ }).count(), { timeout: 20_000 })
      .toBe(1);

    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByRole('tab', { name: 'Privacy', exact: true }).click();
    for (const [field, mode] of [
      ['Name', 'Partly'],
      ['Email', 'Partly'],
      ['Phone', 'Hide'],
    ] as const) {
      await page.getByLabel(`${field} in Kundenservice`).selectOption({ label: mode });
    }
    await page.getByRole('button', { name: 'Save masking rules for Kundenservice' }).click();
    await expect.poll(() => page.getByText('Masking rules for Kundenservice saved.').count()).toBe(1);
    await shot(page, 'rules');

    await page.getByRole('button', { name: 'Chats' }).click();
    const visitor = await VisitorTestSocket.connect(server.url);
    await visitor.call('session.consent', { groupId: group.id, noticeVersion: '1', language: 'de' });
    await visitor.call('chat.start', {
      fields: { name: 'Vera Weber', email: 'vera.weber@example.de', phone: '+49 170 1234512' },
    });
    await visitor.call('chat.send', { clientMsgId: 'msg-e2e-mask', text: 'Ruft mich an: +49 170 1234512' });

    const accept = page.getByRole('button', { name: 'Accept chat with V••• W•••' });
    await expect.poll(() => accept.count(), { timeout: 15_000 }).toBe(1);
    await accept.click();
    const panel = page.getByRole('complementary', { name: 'Visitor' });
    await expect.poll(() => panel.textContent()).toContain('v•••@e•••.de');
    await expect.poll(() => page.getByText('Ruft mich an: •••').count()).toBe(1);
    const body = (await page.locator('body').textContent()) ?? '';
    for (const secret of ['Vera', 'Weber', 'vera.weber', '1234512']) expect(body).not.toContain(secret);
    await shot(page, 'panel');

    await panel.getByRole('button', { name: 'Reveal email' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reveal email' });
    await dialog.getByLabel('Reason').fill('Customer asked for the invoice by email');
    await shot(page, 'reveal-dialog');
    await dialog.getByRole('button', { name: 'Reveal' }).click();
    await expect.poll(() => panel.textContent()).toContain('vera.weber@example.de');
    expect(await panel.textContent()).toMatch(/Shown until/);
    await shot(page, 'revealed');

    const [entry] = (await listAudit(server.ctx.db, { action: 'visitor.revealed', limit: 5 })).entries;
    expect(entry).toMatchObject({
      actorName: 'ada',
      details: { field: 'email', reason: 'Customer asked for the invoice by email' },
    });
    await panel.getByRole('button', { name: 'Hide email' }).click();
    expect(await panel.textContent()).not.toContain('vera.weber');
    expect(problems).toEqual([]);
    visitor.close();
  });
});
