import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../server/app';
import { totpCode } from '../../server/auth/totp';
import { updateSecurityPolicy } from '../../server/policy';
import { createGroup } from '../../server/queues/groups';
import { launchChromium, screenshotDir } from '../support/chromium';
import { signInOnHost } from '../support/operator-page';
import { startBuiltHost, type RunningHost } from '../support/processes';
import { addOperator, withoutRequiredTotp } from '../support/server-fixtures';

/*
 * Administration in Chromium, as two people at two desktops: Ada, the admin, creates Nora's account;
 * Nora sets it up with the one-time code, chooses her password, enrols TOTP and signs in; Ada adds an
 * allowlist rule that excludes Nora's address, and Nora's next connection is refused with the reason.
 * The audit log then shows every step. Both desktops are browser hosts of their own.
 */

const noraPassword = 'seven quiet harbour lights';

let browser: Browser;
let server: ParleyServer;
const hosts: RunningHost[] = [];

beforeAll(async () => {
  server = await startParleyServer({ storage: { kind: 'pglite' } });
  await withoutRequiredTotp(server.ctx);
  // Agents must use two-factor sign-in; Ada's own TOTP is not what this test is about.
  await updateSecurityPolicy(server.ctx.db, server.ctx.clock, { totpRequiredRoles: ['agent'] });
  await addOperator(server.ctx, 'ada', 'admin');
  await createGroup(server.ctx, { name: 'Support' });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const host of hosts) await host.stop();
  await server?.close();
});

/** A desktop of its own (browser host and page); `problems` collects the page's uncaught errors. */
async function desktop(): Promise<{ host: RunningHost; page: Page; problems: string[] }> {
  const host = await startBuiltHost(mkdtempSync(join(tmpdir(), 'parley-e2e-admin-')));
  hosts.push(host);
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  return { host, page, problems };
}
const signedInHeading = (page: Page, name: string) =>
  page.getByRole('heading', { level: 1, name: `Signed in as ${name} on Support EU`, exact: true });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotDir, `admin-${name}.png`) });
}

async function openScreen(page: Page, name: string) {
  await page.getByRole('tab', { name, exact: true }).click();
  await expect
    .poll(() => page.getByRole('tabpanel').getByRole('heading', { level: 2 }).textContent())
    .toBe(name);
}

describe('administration from the desktop (browser host)', () => {
  it('creates an operator who sets up their account, then an allowlist shuts them out, all audited', async () => {
    const { host: adaHost, page: ada, problems: adaProblems } = await desktop();
    await signInOnHost(ada, adaHost, server.url, 'ada');
    await expect.poll(() => signedInHeading(ada, 'ada').count(), { timeout: 20_000 }).toBe(1);
    await ada.getByRole('button', { name: 'Administration' }).click();
    await openScreen(ada, 'Operators');

    // Ada creates Nora; the set-up code is shown once.
    await ada.getByRole('button', { name: 'New operator' }).click();
    const form = ada.getByRole('dialog', { name: 'New operator' });
    await form.getByLabel('Username').fill('nora');
    await form.getByLabel('Display name').fill('Nora Neumann');
    await form.getByRole('checkbox', { name: 'Support' }).check();
    await form.getByRole('button', { name: 'Create operator' }).click();
    const codeDialog = ada.getByRole('dialog', { name: 'Set-up code for Nora Neumann' });
    const setupCode = await codeDialog.getByLabel('Set-up code', { exact: true }).inputValue();
    expect(setupCode).toMatch(/^[\w-]{43,}$/);
    await shot(ada, 'setup-code');
    await codeDialog.getByRole('button', { name: 'Done' }).click();
    const table = ada.getByRole('table', { name: 'Operators' });
    await expect
      .poll(() => table.getByRole('row', { name: /Nora Neumann/ }).textContent())
      .toMatch(/Set-up pending/);
    await shot(ada, 'operators');

    // Nora, at her own desktop, sets up her account with the code and enrols TOTP.
    const { host: noraHost, page: nora, problems: noraProblems } = await desktop();
    await nora.goto(noraHost.launchUrl);
    await nora.getByRole('button', { name: /Set up my account/ }).click();
    await nora.getByLabel('Server address').fill(server.url);
    await nora.getByLabel('Name', { exact: true }).fill('Support EU');
    await nora.getByLabel('Username').fill('nora');
    await nora.getByLabel('Set-up code').fill(setupCode);
    await nora.getByLabel('Choose a password').fill(noraPassword);
    await nora.getByLabel('Repeat the password').fill(noraPassword);
    await nora.screenshot({ path: join(screenshotDir, 'admin-account-setup.png') });
    await nora.getByRole('button', { name: 'Set up and sign in' }).click();
    const key = nora.getByLabel('Or enter this key by hand');
    await expect.poll(() => key.count(), { timeout: 20_000 }).toBe(1);
    const secret = ((await key.textContent()) ?? '').replace(/\s/g, '');
    await nora.getByLabel('Authentication code').fill(totpCode(secret, Date.now()));
    await nora.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await nora.getByRole('button', { name: 'I have saved these codes' }).click();
    await expect.poll(() => signedInHeading(nora, 'Nora Neumann').count(), { timeout: 20_000 }).toBe(1);

    // She signs out and in again, now with her password and a code, as every day from now on.
    await nora.getByRole('button', { name: 'Sign out' }).click();
    await nora.getByRole('button', { name: 'Sign in to Support EU' }).click();
    await nora.getByLabel('Username').fill('nora');
    await nora.getByLabel('Password', { exact: true }).fill(noraPassword);
    await nora.getByRole('button', { name: 'Sign in' }).click();
    // The next step's code: the one used for enrolment may not be used twice.
    await nora.getByLabel('Authentication code').fill(totpCode(secret, Date.now() + 30_000));
    await nora.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => signedInHeading(nora, 'Nora Neumann').count(), { timeout: 20_000 }).toBe(1);
    await table.getByRole('row', { name: /Nora Neumann/ }).waitFor();
    await ada.getByRole('tab', { name: 'Groups', exact: true }).click();
    await ada.getByRole('tab', { name: 'Operators', exact: true }).click();
    await expect
      .poll(() => table.getByRole('row', { name: /Nora Neumann/ }).textContent())
      .not.toMatch(/Set-up pending/);

    // Ada restricts Nora to the office network. A global rule would shut Ada out too: she is warned.
    await openScreen(ada, 'Security');
    const cidr = ada.getByLabel('Address or network');
    await cidr.fill('10.0.0.0/8');
    const lockoutWarning = ada.getByRole('alert').filter({ hasText: /would no longer be allowed/ });
    await expect.poll(() => lockoutWarning.count()).toBe(1);
    await lockoutWarning.scrollIntoViewIfNeeded();
    await shot(ada, 'lockout-warning');
    await ada.getByLabel('List', { exact: true }).selectOption({ label: 'By operator' });
    await ada.getByLabel('Operator', { exact: true }).selectOption({ label: 'Nora Neumann' });
    await expect.poll(() => lockoutWarning.count()).toBe(0);
    await ada.getByRole('button', { name: 'Add rule' }).click();
    await expect.poll(() => ada.getByText('Rule for 10.0.0.0/8 added.').count()).toBe(1);
    await shot(ada, 'security');

    // Nora's next connection (she locks, then unlocks) is refused, and she is told why.
    await nora.getByRole('button', { name: 'Lock' }).click();
    await nora.getByLabel('Password', { exact: true }).fill(noraPassword);
    await nora
      .getByLabel('Authentication code (if your server asks for one)')
      .fill(totpCode(secret, Date.now() + 60_000));
    await nora.getByRole('button', { name: 'Unlock' }).click();
    await expect
      .poll(() => nora.getByRole('alert').textContent(), { timeout: 20_000 })
      .toBe('Your network address is not allowed for your account.');
    await nora.screenshot({ path: join(screenshotDir, 'admin-address-refused.png') });

    // Ada's sessions screen and the audit log show what happened, step by step.
    await openScreen(ada, 'Sessions');
    await shot(ada, 'sessions');
    await openScreen(ada, 'Audit log');
    const log = ada.getByRole('table', { name: 'Audit log entries, newest first' });
    await expect.poll(() => log.getByRole('row').count()).toBeGreaterThan(6);
    const text = (await log.textContent()) ?? '';
    for (const step of [
      'Operator created',
      'Set-up completed',
      'Two-factor set up',
      'Signed in',
      'Allowlist rule added',
      'Address not allowed',
    ]) {
      expect(text).toContain(step);
    }
    await shot(ada, 'audit');
    expect(adaProblems).toEqual([]);
    expect(noraProblems).toEqual([]);
  });
});
