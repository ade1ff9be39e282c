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
 * The public session id of the page's browser, from the demo's `/api/me` (the pages never show it).
 * @example
 * const id = await sessionIdOf(page);
 */
export async function sessionIdOf(page: Page): Promise<string> {
  const response = await page.request.get(new URL('/api/me', page.url()).href, { headers: { accept: 'application/json' } });
  const body = (await response.json()) as { session?: { id?: string } };
  if (typeof body.session?.id !== 'string') throw new Error('the browser has no session');
  return body.session.id;
}
