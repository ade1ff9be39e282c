// Page helpers for browser tests of the demo: signing in through the real form and reading the session id shown.
import type { Page } from 'playwright-core';

/**
 * Sign in through the demo's login form and wait for the home page.
 * @example
 * await signInThroughForm(page, demo.url, 'alice');
 */
export async function signInThroughForm(page: Page, baseUrl: string, username = 'alice'): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/`);
}

/**
 * The public session id the demo's home page shows.
 * @example
 * const id = await sessionIdOf(page);
 */
export async function sessionIdOf(page: Page): Promise<string> {
  const match = /<dt>Session<\/dt><dd><code>([\w-]+)<\/code>/.exec(await page.content());
  if (match === null) throw new Error('the page shows no session id');
  return match[1]!;
}
