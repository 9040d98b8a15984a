import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { openChat, postVisitorMessage } from '../../server/chats';
import { launchChromium, screenshotDir } from '../support/chromium';
import { signInOnHost } from '../support/operator-page';
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';

let browser: Browser;
let server: ParleyServer;
let host: RunningHost;

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' } });
  host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-chat-')));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await server?.close();
});

describe('the operator’s chats (browser host)', () => {
  it('shows visitor messages live, sends replies with Enter, and stores each reply once', async () => {
    await withoutRequiredTotp(server.ctx);
    const operator = await addOperator(server.ctx, 'olga', 'agent');
    const vera = await openChat(server.ctx, { visitorName: 'Vera Visitor', operatorId: operator.id });
    const otto = await openChat(server.ctx, { visitorName: 'Otto Other', operatorId: operator.id });
    await postVisitorMessage(server.ctx, vera, 'Hello, my order 4711 has not arrived.');

    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('dialog', (dialog) => problems.push(`dialog: ${dialog.message()}`));
    await signInOnHost(page, host, server.url, 'olga');

    const log = page.getByRole('log', { name: 'Conversation with Vera Visitor' });
    await expect.poll(() => log.textContent(), { timeout: 15_000 }).toContain('order 4711');

    await postVisitorMessage(server.ctx, vera, '<img src=x onerror=alert(1)> still waiting');
    await expect.poll(() => log.textContent()).toContain('<img src=x onerror=alert(1)> still waiting');
    expect(await log.locator('img').count()).toBe(0);

    const composer = page.getByLabel('Message to Vera Visitor');
    await composer.fill('Sorry about that! Let me check.');
    await composer.press('Enter');
    await expect.poll(() => log.textContent()).toContain('Sorry about that! Let me check.');
    await expect.poll(() => page.getByText('You · Sending…').count()).toBe(0);

    await postVisitorMessage(server.ctx, otto, 'Hi, quick question');
    const ottoTab = page.getByRole('tab', { name: /Otto Other/ });
    await expect.poll(() => ottoTab.getByLabel('1 unread').count()).toBe(1);
    await page.screenshot({ path: join(screenshotDir, 'chat-conversation.png') });

    await composer.press('Alt+ArrowDown');
    await expect.poll(() => ottoTab.getAttribute('aria-selected')).toBe('true');
    expect(await ottoTab.getByLabel('1 unread').count()).toBe(0);

    const replies = await server.ctx.db
      .selectFrom('chat_messages')
      .select('text')
      .where('chat_id', '=', vera)
      .where('author_kind', '=', 'operator')
      .execute();
    expect(replies.map((row) => row.text)).toEqual(['Sorry about that! Let me check.']);
    expect(problems).toEqual([]);
    await page.close();
  });
});
