import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, screenshotDir } from '../support/chromium';
import { startBuiltHost, type RunningHost } from '../support/processes';

let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  host = await startBuiltHost();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('first screen in the browser host', () => {
  it('opens, offers both ways to start, switches to German and remembers it', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 }, colorScheme: 'light' });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });

    await page.goto(host.launchUrl);
    expect(new URL(page.url()).search).toBe(''); // the token does not stay in the address bar
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Welcome to Parley');
    expect(await page.getByRole('button', { name: /Connect to a Parley server/ }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: /Start a local workspace/ }).isVisible()).toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'first-screen-en.png') });

    await page.getByLabel('Language', { exact: true }).selectOption('de');
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Willkommen bei Parley');
    expect(await page.getByRole('button', { name: /Lokalen Arbeitsbereich starten/ }).isVisible()).toBe(true);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');

    await page.getByLabel('Design', { exact: true }).selectOption('dark');
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.screenshot({ path: join(screenshotDir, 'first-screen-de-dark.png') });

    await page.reload();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Willkommen bei Parley');
    expect(await page.getByLabel('Sprache', { exact: true }).inputValue()).toBe('de');
    expect(problems, problems.join('\n')).toEqual([]);
    await page.close();
  });

  it('refuses a browser that did not open the one-time link', async () => {
    const stranger = await browser.newPage();
    const response = await stranger.goto(host.origin);
    expect(response?.status()).toBe(401);
    expect(await stranger.textContent('body')).toContain('link printed in the terminal');
    const reused = await stranger.goto(host.launchUrl);
    expect(reused?.status()).toBe(401);
    await stranger.close();
  });
});
