// The session pages end to end: the real demo in Chromium lists, ends and searches sessions, and renders hostile input inert.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import { device } from '../../src/device/index.js';
import type { Warden } from '../../src/index.js';
import { launchChromium, SKIP_BROWSER, warnIfSkipped } from '../helpers/chromium.js';
import { fakeClock, MINUTE, SECOND, type FakeClock } from '../helpers/clock.js';
import { sessionIdOf, signInThroughForm } from '../helpers/demo-page.js';
import { listen, type TestServer } from '../helpers/http.js';

warnIfSkipped('session-pages browser tests');

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOSTILE_USER_AGENT = '<img src=x onerror=alert(1)>';

/** The demo for one test: its own SQLite file, fake clock, server and browser contexts. */
interface RunningDemo {
  clock: FakeClock;
  warden: Warden;
  server: TestServer;
  url: string;
  contexts: BrowserContext[];
}

/** One table row as text, cell by cell. */
type Row = string[];

describe.skipIf(SKIP_BROWSER)('session pages in the demo, in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let files = 0;
  let demo: RunningDemo;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sw-pages-browser-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const clock = fakeClock(T0);
    const config = readDemoConfig({ SESSIONWARDEN_STORE: join(dir, `demo-${files++}.sqlite`) });
    const { app, warden } = createDemo({ config, now: clock.now, log: () => {} });
    const server = await listen(app);
    demo = { clock, warden, server, url: server.url, contexts: [] };
  });

  afterEach(async () => {
    for (const context of demo.contexts) await context.close();
    await demo.server.close();
    await demo.warden.store.close?.();
  });

  /** A fresh browser whose page clock is paused at the server's time, so the idle script on these pages never fires by itself. */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext(options);
    // Well inside the test's 30 s, so a page that never gets where it should fails with Playwright's own message.
    context.setDefaultTimeout(10 * SECOND);
    demo.contexts.push(context);
    await context.clock.install({ time: demo.clock.now() - SECOND });
    await context.clock.pauseAt(demo.clock.now());
    return context;
  }

  /** Moves the server clock and every page clock together (a second at a time, so page timers meet the right server time). */
  async function advance(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= SECOND) {
      const step = Math.min(SECOND, left);
      demo.clock.advance(step);
      for (const context of demo.contexts) await context.clock.runFor(step);
    }
  }

  /** A new browser signed in as `username` through the real login form, on the home page. */
  async function signedIn(username: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await (await newContext(options)).newPage();
    await signInThroughForm(page, demo.url, username);
    return page;
  }


  /** The body rows of the page's session table, as the text of each cell. */
  const rowsOf = (page: Page): Promise<Row[]> =>
    page.evaluate(() => [...document.querySelectorAll('tbody tr')].map((row) => [...(row as HTMLTableRowElement).cells].map((cell) => (cell.querySelector('.name > span[id]') ?? cell).textContent!.trim())));

  /** The device names of the session list, in order. */
  const names = (page: Page): Promise<string[]> => page.locator('li.session .name > span[id]').allTextContents();
  /** The admin listing's columns. */
  const ADMIN = { user: 0, device: 1, status: 4 } as const;

  /** Opens `page` on a URL and checks the browser landed exactly there (no redirect to the login page). */
  async function open(page: Page, path: string): Promise<void> {
    await page.goto(`${demo.url}${path}`);
    expect(page.url()).toBe(`${demo.url}${path}`);
  }

  /** Submits the admin search form with `q`, as a user would. */
  async function adminSearch(page: Page, q: string): Promise<void> {
    await page.locator('form[role="search"] input[name="q"]').fill(q);
    await page.locator('form[role="search"] button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname === '/admin/sessions' && url.searchParams.get('q') === q);
  }


  it("lists both of alice's sessions with their device, and ending the other one signs that browser out with the reason", async () => {
    const laptop = await signedIn('alice');
    await advance(2 * MINUTE);
    const phone = await signedIn('alice');
    const phoneSession = await sessionIdOf(phone);
    const label = device(await laptop.evaluate(() => navigator.userAgent));
    expect(label).toBe('Chrome on Linux');
    await advance(MINUTE);

    await open(laptop, '/account/sessions');
    // This device first, then the phone's sign-in a minute ago.
    expect(await names(laptop)).toEqual([label, label]);
    expect(await laptop.locator('li.session .meta').allTextContents()).toEqual(['This device127.0.0.1 · Active now', '127.0.0.1 · Last active 1 minute ago']);
    expect(await laptop.locator('li[aria-current="true"] button').textContent()).toBe('Sign out');

    // The laptop signed in 3 minutes ago: recent enough to end another session after the confirmation alone.
    await laptop.locator(`a[aria-describedby="device-${phoneSession}"]`).click();
    await laptop.getByRole('button', { name: 'End session' }).click();
    await laptop.waitForURL(`${demo.url}/account/sessions`);
    expect(await laptop.getByRole('status').textContent()).toBe('The session on Chrome on Linux was ended.');
    expect(await names(laptop)).toHaveLength(1);

    await phone.goto(`${demo.url}/`);
    expect(phone.url()).toBe(`${demo.url}/login?reason=revoked`);
    expect(await phone.getByRole('status').textContent()).toBe('This session was ended from another device.');
  });

  it("lets the admin find alice's sessions by user and by IP and end one; that browser is told an administrator ended it", async () => {
    const laptop = await signedIn('alice');
    const laptopSession = await sessionIdOf(laptop);
    await advance(MINUTE);
    const phone = await signedIn('alice');
    await advance(MINUTE);
    const admin = await signedIn('admin');
    await open(admin, '/admin/sessions');
    expect(await admin.getByRole('heading', { name: 'All sessions' }).isVisible()).toBe(true);

    await adminSearch(admin, 'alice');
    expect((await rowsOf(admin)).map((row) => row[ADMIN.user])).toEqual(['alice', 'alice']);
    await adminSearch(admin, '127.0.0.1');
    const byIp = await rowsOf(admin);
    expect(byIp.map((row) => row[ADMIN.user]).sort()).toEqual(['admin', 'alice', 'alice']);
    expect(byIp.map((row) => row[ADMIN.status])).toEqual(['Active', 'Active', 'Active']);

    await admin.locator(`button[aria-describedby="device-${laptopSession}"]`).click();
    await admin.waitForURL((url) => url.pathname === '/admin/sessions' && url.searchParams.get('q') === '127.0.0.1' && !url.searchParams.has('done'));
    expect(await admin.getByRole('status').textContent()).toBe('The session on Chrome on Linux was ended.');
    const after = await rowsOf(admin);
    expect(after.filter((row) => row[ADMIN.status] === 'Active')).toHaveLength(2);
    expect(after.filter((row) => row[ADMIN.status]!.startsWith('Ended'))).toEqual([
      expect.arrayContaining(['alice', expect.stringContaining('Ended by an administrator')]),
    ]);

    await laptop.goto(`${demo.url}/`);
    expect(laptop.url()).toBe(`${demo.url}/login?reason=revoked-by-admin`);
    expect(await laptop.getByRole('status').textContent()).toBe('This session was ended by an administrator.');
    // Only that one session ended: alice's other browser is still signed in.
    await open(phone, '/');
  });

  it('shows a session opened with a hostile User-Agent as plain text and never runs it', async () => {
    const dialogs: string[] = [];
    const watch = (page: Page): void => {
      page.on('dialog', (dialog) => {
        dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
    };
    const noMarkup = (page: Page): Promise<{ images: number; text: string }> =>
      page.evaluate(() => ({ images: document.querySelectorAll('img').length, text: document.body.textContent ?? '' }));

    const bob = await signedIn('bob', { userAgent: HOSTILE_USER_AGENT });
    watch(bob);
    expect(await bob.evaluate(() => navigator.userAgent)).toBe(HOSTILE_USER_AGENT);
    // The header reached the store as sent, so the pages below really had it to render.
    expect((await demo.warden.listUserSessions('bob')).map((session) => session.userAgent)).toEqual([HOSTILE_USER_AGENT]);

    await open(bob, '/account/sessions');
    expect(await names(bob)).toEqual(['Unknown device']);
    expect((await noMarkup(bob)).images).toBe(0);

    const admin = await signedIn('admin');
    watch(admin);
    await open(admin, '/admin/sessions?q=bob');
    expect((await rowsOf(admin)).map((row) => row[ADMIN.device])).toEqual(['Unknown device']);
    expect(await noMarkup(admin)).toEqual({ images: 0, text: expect.not.stringContaining('onerror') });
    // The search box echoes what was typed: the same string comes back as the field's text, not as markup.
    await adminSearch(admin, HOSTILE_USER_AGENT);
    expect(await admin.locator('input[name="q"]').inputValue()).toBe(HOSTILE_USER_AGENT);
    expect((await noMarkup(admin)).images).toBe(0);
    expect(dialogs).toEqual([]);
  });
});
