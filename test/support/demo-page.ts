import type { Browser, FrameLocator, Page } from 'playwright-core';

/** A fresh visitor (own cookies and storage) on the server's demo shop, with the widget open. */
export async function visitorOnDemo(
  browser: Browser,
  serverUrl: string,
  groupId: string,
): Promise<{ page: Page; widget: FrameLocator }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 720 } });
  const page = await context.newPage();
  await page.goto(`${serverUrl}/demo?group=${groupId}&lang=en`);
  await page.getByRole('button', { name: 'Chat with us' }).click();
  return { page, widget: page.frameLocator('iframe[title="Chat with us"]') };
}
