import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { totpCode } from '../../server/auth/totp';
import { launchChromium, screenshotDir } from '../support/chromium';
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, testPassword } from '../support/server-fixtures';
import { signIn as signInOverHttp } from '../support/operator-client';

let browser: Browser;
const stops: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  await browser?.close();
});

async function openHost(): Promise<{ host: RunningHost; page: Page }> {
  const host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-')));
  stops.push(() => host.stop());
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, colorScheme: 'light' });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  stops.push(async () => expect(problems).toEqual([]));
  await page.goto(host.launchUrl);
  return { host, page };
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 });
/** The signed-in bar shows name and server; its heading's accessible name says the whole sentence. */
const headingNamed = (page: Page, name: string) => page.getByRole('heading', { level: 1, name, exact: true });

describe('signing in from the desktop (browser host)', () => {
  it('starts a local workspace, enrols TOTP with the QR code, then locks and unlocks', async () => {
    const { page } = await openHost();
    await page.getByRole('button', { name: /Start a local workspace/ }).click();
    await page.getByLabel('Username').fill('chef');
    await page.getByLabel('Your name').fill('Charlotte Chef');
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByLabel('Repeat the password').fill(testPassword);
    await page.getByRole('button', { name: 'Create and sign in' }).click();

    await expect
      .poll(() => heading(page).textContent(), { timeout: 30_000 })
      .toBe('Set up two-factor authentication');
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    expect(await qr.isVisible()).toBe(true);
    // naturalWidth is only set once the browser has decoded the image
    expect(
      await qr.evaluate((image) => (image as unknown as { naturalWidth: number }).naturalWidth),
    ).toBeGreaterThan(100);
    await page.screenshot({ path: join(screenshotDir, 'enrol-totp.png') });

    const secret = ((await page.getByLabel('Or enter this key by hand').textContent()) ?? '').replace(
      /\s/g,
      '',
    );
    await page.getByLabel('Authentication code').fill(totpCode(secret, Date.now()));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Save your recovery codes');
    expect(await page.getByRole('listitem').count()).toBe(10);
    await page.screenshot({ path: join(screenshotDir, 'recovery-codes.png') });
    await page.getByRole('button', { name: 'I have saved these codes' }).click();

    await expect
      .poll(() => headingNamed(page, 'Signed in as Charlotte Chef on Local workspace').count())
      .toBe(1);
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 15_000 }).toMatch(/^Online/);
    await page.screenshot({ path: join(screenshotDir, 'signed-in.png') });

    await page.getByRole('button', { name: 'Lock' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Parley is locked');
    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Unlock' }).click();
    expect(await page.getByRole('alert').textContent()).toContain('code from your authenticator app');
    await page.screenshot({ path: join(screenshotDir, 'locked.png') });

    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    // The enrolment used this 30-second step; the next one is within the accepted drift and not a replay.
    await page.getByLabel(/Authentication code/).fill(totpCode(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Unlock' }).click();
    await expect
      .poll(() => headingNamed(page, 'Signed in as Charlotte Chef on Local workspace').count())
      .toBe(1);
    await page.close();
  });

  it('signs in to a Parley server with password and code, and remembers the server but not the password', async () => {
    const server: ParleyServer = await startParleyServer({ storage: { kind: 'pglite' } });
    stops.push(() => server.close());
    await addOperator(server.ctx, 'sam', 'agent');
    const { secret } = await signInOverHttp(server.url, 'sam', testPassword); // enrols TOTP once

    const { page } = await openHost();
    await page.getByRole('button', { name: /Connect to a Parley server/ }).click();
    await page.getByLabel('Server address').fill(server.url);
    await page.getByLabel('Name', { exact: true }).fill('Support EU');
    await page.getByLabel('Username').fill('sam');
    await page.getByLabel('Password', { exact: true }).fill('a wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('username or password is not correct');
    expect(await page.getByLabel('Username').inputValue()).toBe('sam'); // nothing typed is lost
    await page.screenshot({ path: join(screenshotDir, 'wrong-password.png') });

    await page.getByLabel('Password', { exact: true }).fill(testPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Two-factor authentication');
    await page.screenshot({ path: join(screenshotDir, 'second-factor.png') });
    await page.getByLabel('Authentication code').fill(totpCode(secret ?? '', Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => headingNamed(page, 'Signed in as sam on Support EU').count()).toBe(1);

    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Welcome to Parley');
    // The saved servers are read after the first screen appears.
    await expect
      .poll(() => page.getByRole('button', { name: 'Sign in to Support EU' }).isVisible())
      .toBe(true);
    await page.screenshot({ path: join(screenshotDir, 'saved-server.png') });
    expect(await page.locator('body').innerText()).not.toContain(testPassword);
    await page.close();
  });
});
