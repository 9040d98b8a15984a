import type { Page } from 'playwright-core';
import type { RunningHost } from './processes';
import { testPassword } from './server-fixtures';

/** Signs an operator in through the browser host's "Connect to a Parley server" form. */
export async function signInOnHost(page: Page, host: RunningHost, serverUrl: string, username: string) {
  await page.goto(host.launchUrl);
  await page.getByRole('button', { name: /Connect to a Parley server/ }).click();
  await page.getByLabel('Server address').fill(serverUrl);
  await page.getByLabel('Name', { exact: true }).fill('Support EU');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(testPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
