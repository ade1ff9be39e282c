// Every page and state of the demo and the session pages in Chromium, in English, German and Arabic, on a desktop and a
// phone: a screenshot of each (test-output/screenshots/, for a person to look at), axe-core with no WCAG A/AA
// violation on each, and the keyboard-only paths through the list, the confirmations and the warning dialog.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import type { Warden } from '../../src/index.js';
import { launchChromium, SKIP_BROWSER, warnIfSkipped } from '../helpers/chromium.js';
import { fakeClock, MINUTE, SECOND, type FakeClock } from '../helpers/clock.js';
import { Browser as HttpBrowser, listen, type TestServer } from '../helpers/http.js';

warnIfSkipped('UX browser tests');

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// Git-ignored; a person looks at these to judge the pages.
const SCREENSHOTS = fileURLToPath(new URL('../../test-output/screenshots/', import.meta.url));
// The README's pictures, rewritten only on request: UPDATE_DOCS_SCREENSHOTS=1 npx vitest run test/browser/ux.test.ts
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const UPDATE_DOCS = process.env.UPDATE_DOCS_SCREENSHOTS === '1';
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const UA = {
  mac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  windows: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  linux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.0.0',
};

const LOCALES = ['en', 'de', 'ar'] as const;
type Lang = (typeof LOCALES)[number];
const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
type Viewport = keyof typeof VIEWPORTS;

/** The words the tests look for, per language. */
const WORDS: Record<Lang, { endSession: string; endOthers: string; signIn: string; continue: string; confirm: string; stay: string; idle: string }> = {
  en: { endSession: 'End session', endOthers: 'End all other sessions', signIn: 'Sign in', continue: 'Continue', confirm: 'Confirm', stay: 'Stay signed in', idle: 'You were signed out after a period of inactivity.' },
  de: { endSession: 'Sitzung beenden', endOthers: 'Alle anderen Sitzungen beenden', signIn: 'Anmelden', continue: 'Weiter', confirm: 'Bestätigen', stay: 'Angemeldet bleiben', idle: 'Sie wurden nach längerer Inaktivität abgemeldet.' },
  ar: { endSession: 'إنهاء الجلسة', endOthers: 'إنهاء الجلسات الأخرى', signIn: 'تسجيل الدخول', continue: 'متابعة', confirm: 'تأكيد', stay: 'متابعة الجلسة', idle: 'تم تسجيل خروجك بعد فترة من عدم النشاط.' },
};

/** A demo on its own SQLite file and fake clock. */
interface RunningDemo {
  clock: FakeClock;
  warden: Warden;
  server: TestServer;
  url: string;
}

/** One axe violation, shortened to what a failure message needs. */
interface Violation {
  id: string;
  impact: string | null;
  nodes: string[];
}

describe.skipIf(SKIP_BROWSER)('every page and state, in three languages and two sizes, in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let files = 0;
  const demos: RunningDemo[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sw-ux-browser-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    for (const demo of demos) {
      await demo.server.close();
      await demo.warden.store.close?.();
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startDemo(env: Record<string, string> = {}): Promise<RunningDemo> {
    const clock = fakeClock(T0);
    const config = readDemoConfig({ SESSIONWARDEN_STORE: join(dir, `demo-${files++}.sqlite`), ...env });
    const { app, warden } = createDemo({ config, now: clock.now, log: () => {} });
    const server = await listen(app);
    const demo = { clock, warden, server, url: server.url };
    demos.push(demo);
    return demo;
  }

  /** A browser context in one language and size; `clocked` pauses the page clock at the server's time. */
  async function contextFor(demo: RunningDemo, lang: Lang, viewport: Viewport, options: { userAgent?: string; clocked?: boolean } = {}): Promise<BrowserContext> {
    const context = await browser.newContext({
      locale: lang === 'en' ? 'en-US' : lang,
      viewport: VIEWPORTS[viewport],
      deviceScaleFactor: 1,
      isMobile: viewport === 'phone',
      hasTouch: viewport === 'phone',
      userAgent: options.userAgent,
      timezoneId: 'UTC',
    });
    context.setDefaultTimeout(15 * SECOND);
    if (options.clocked) {
      await context.clock.install({ time: demo.clock.now() - SECOND });
      await context.clock.pauseAt(demo.clock.now());
    }
    return context;
  }

  /** Signs in through the demo's form whatever its language (by field ids, not labels). */
  async function signIn(page: Page, demo: RunningDemo, username: string, path = '/login'): Promise<void> {
    await page.goto(`${demo.url}${path}`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill('demo');
    await page.locator('form.stack button[type="submit"]').first().click();
    await page.waitForURL((url) => url.pathname !== '/login');
  }

  /** Another device of `username`, signed in over plain HTTP with its own User-Agent. */
  async function otherDevice(demo: RunningDemo, username: string, userAgent: string): Promise<HttpBrowser> {
    const device = new HttpBrowser(demo.url, { 'user-agent': userAgent, accept: 'text/html' });
    expect((await device.post('/login', { username, password: 'demo' })).status).toBe(303);
    return device;
  }

  /** axe-core in the page (evaluated, not a script tag: the pages' CSP allows no other script), WCAG 2.x A and AA. */
  async function axe(page: Page, clocked: BrowserContext | null): Promise<Violation[]> {
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
    const scan = page.evaluate(async () => {
      const run = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: { id: string; impact: string | null; nodes: { target: unknown[] }[] }[] }> } }).axe.run;
      const result = await run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] });
      return result.violations.map((violation) => ({ id: violation.id, impact: violation.impact, nodes: violation.nodes.map((node) => JSON.stringify(node.target)) }));
    });
    if (clocked === null) return scan;
    // axe schedules its work with timers, which a paused page clock never fires: move page time on until it is done.
    let done = false;
    void scan.finally(() => (done = true)).catch(() => {});
    for (let step = 0; !done && step < 2000; step++) await clocked.clock.runFor(20);
    return scan;
  }

  /** Screenshot and accessibility scan of the page's state; fails on any violation, naming it. */
  async function check(page: Page, name: string, lang: Lang, viewport: Viewport, clocked: BrowserContext | null = null): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${lang}-${viewport}.png`), fullPage: true });
    expect(await axe(page, clocked), `${name} ${lang} ${viewport}`).toEqual([]);
    // Nothing scrolls sideways, at either size.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), `${name} ${lang} ${viewport} overflow`).toBeLessThanOrEqual(0);
  }

  const focusedText = (page: Page): Promise<string> => page.evaluate(() => (document.activeElement?.textContent ?? '').trim());

  // Concurrent tests take `expect` from their own context, so each failure (and expect.poll) belongs to its test.
  describe.concurrent.each(LOCALES.flatMap((lang) => (Object.keys(VIEWPORTS) as Viewport[]).map((viewport) => [lang, viewport] as const)))('%s at %s size', (lang, viewport) => {
    it('the sign-in page, the home page, the list with four devices, its confirmations, after ending one and all others, and the password step', { timeout: 300_000 }, async ({ expect }) => {
      const demo = await startDemo({ SESSIONWARDEN_IDLE_TIMEOUT: String(14 * 24 * 3600), SESSIONWARDEN_ABSOLUTE_TIMEOUT: String(30 * 24 * 3600) });
      const words = WORDS[lang];
      // Three other devices, signed in and last active at different times.
      const windows = await otherDevice(demo, 'alice', UA.windows);
      demo.clock.advance(2 * DAY);
      await windows.get('/api/me');
      demo.clock.advance(DAY);
      const iphone = await otherDevice(demo, 'alice', UA.iphone);
      demo.clock.advance(4 * HOUR);
      await iphone.get('/api/me');
      demo.clock.advance(HOUR - 12 * MINUTE);
      const linux = await otherDevice(demo, 'alice', UA.linux);
      demo.clock.advance(7 * MINUTE);
      await linux.get('/api/me');
      demo.clock.advance(5 * MINUTE);

      const context = await contextFor(demo, lang, viewport, { userAgent: UA.mac });
      const page = await context.newPage();
      try {
        await page.goto(`${demo.url}/login`);
        expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([lang === 'en' ? 'en-US' : lang, lang === 'ar' ? 'rtl' : 'ltr']);
        // The first field has focus on arrival.
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('username');
        await check(page, 'login', lang, viewport);

        await page.locator('#username').fill('alice');
        await page.locator('#password').fill('wrong');
        await page.locator('form.stack button[type="submit"]').click();
        await page.waitForLoadState();
        // A wrong password: the fields say so, point at the message, and the (emptied) password field has focus.
        expect(await page.locator('#password').getAttribute('aria-invalid')).toBe('true');
        expect(await page.locator('#password').getAttribute('aria-describedby')).toBe('form-error');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
        await check(page, 'login-error', lang, viewport);

        await page.locator('#password').fill('demo');
        await page.locator('form.stack button[type="submit"]').click();
        await page.waitForURL(`${demo.url}/`);
        expect(await page.content()).not.toMatch(/\d{4}-\d\d-\d\dT?\s?\d\d:\d\d:\d\d(?!\.\d{3}Z")/);
        await check(page, 'home', lang, viewport);

        await page.goto(`${demo.url}/account/sessions`);
        // This device first, then the others by last activity; one icon each.
        const rows = page.locator('li.session');
        expect(await rows.count()).toBe(4);
        expect(await rows.first().getAttribute('aria-current')).toBe('true');
        expect(await page.locator('li.session svg.icon').evaluateAll((icons) => icons.map((icon) => icon.getAttribute('data-kind')))).toEqual(['desktop', 'desktop', 'phone', 'desktop']);
        await check(page, 'sessions-four', lang, viewport);
        if (viewport === 'phone') {
          // Each row stays compact on a phone: icon, a title line and a line of details.
          const heights = await rows.evaluateAll((items) => items.map((item) => item.getBoundingClientRect().height));
          for (const height of heights) expect(height, `row height ${lang}`).toBeLessThan(110);
        }
        if (lang === 'en' && viewport === 'desktop' && UPDATE_DOCS) {
          mkdirSync(DOCS, { recursive: true });
          await page.locator('main').screenshot({ path: join(DOCS, 'sessions.png') });
        }

        // End one session: the confirmation names the device, and Cancel changes nothing.
        await page.locator('li.session a.danger').first().click();
        await page.waitForURL(/\/end$/);
        await check(page, 'confirm-end', lang, viewport);
        await page.locator('form.actions a.button').click();
        await page.waitForURL(`${demo.url}/account/sessions`);
        expect(await rows.count()).toBe(4);
        await page.locator('li.session a.danger').first().click();
        await page.locator('form.actions button[type="submit"]').click();
        await page.waitForURL(`${demo.url}/account/sessions`);
        // Announced once, focused (polled: the focus moves as the page settles, a moment after load), never in the URL.
        await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('role')), { timeout: 10_000 }).toBe('status');
        expect(await rows.count()).toBe(3);
        await check(page, 'sessions-after-end-one', lang, viewport);
        await page.reload();
        expect(await page.locator('[role="status"]').count()).toBe(0);

        await page.locator('.bulk a.danger').click();
        await page.waitForURL(/\/end-others$/);
        expect(await page.locator('ul.plain li').count()).toBe(2);
        await check(page, 'confirm-others', lang, viewport);
        await page.locator('form.actions button[type="submit"]').click();
        await page.waitForURL(`${demo.url}/account/sessions`);
        expect(await rows.count()).toBe(1);
        expect((await iphone.get('/api/me', { accept: 'application/json' })).status).toBe(401);
        await check(page, 'sessions-after-end-others', lang, viewport);

        // Eleven minutes later ending a session needs the password first: the confirmation says so, the password page
        // says what it is for, and afterwards the user is back on the confirmation, which finishes the job.
        const android = await otherDevice(demo, 'alice', UA.android);
        demo.clock.advance(11 * MINUTE);
        await page.goto(`${demo.url}/account/sessions`);
        await page.locator('li.session a.danger').first().click();
        await page.waitForURL(/\/end$/);
        expect(await page.locator('form.actions button[type="submit"]').textContent()).toBe(words.continue);
        await page.locator('form.actions button[type="submit"]').click();
        await page.waitForURL(/\/reauthenticate\?returnTo=/);
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('password');
        await check(page, 'reauth', lang, viewport);
        await page.locator('#password').fill('demo');
        await page.locator('form.stack button[type="submit"]').click();
        await page.waitForURL(/\/end$/);
        expect(await page.locator('form.actions button[type="submit"]').textContent()).toBe(words.endSession);
        await page.locator('form.actions button[type="submit"]').click();
        await page.waitForURL(`${demo.url}/account/sessions`);
        expect((await android.get('/api/me', { accept: 'application/json' })).status).toBe(401);

        await page.goto(`${demo.url}/account/sessions/not-a-session/end`);
        await check(page, 'not-found', lang, viewport);
      } finally {
        await context.close();
      }
    });

    it('the admin page with a search, the ended filter and ended rows, its confirmation; the refusal page', { timeout: 300_000 }, async ({ expect }) => {
      const demo = await startDemo({ SESSIONWARDEN_IDLE_TIMEOUT: String(14 * 24 * 3600), SESSIONWARDEN_ABSOLUTE_TIMEOUT: String(30 * 24 * 3600) });
      const devices = [await otherDevice(demo, 'alice', UA.windows), await otherDevice(demo, 'alice', UA.iphone), await otherDevice(demo, 'bob', UA.linux), await otherDevice(demo, 'bob', UA.android)];
      demo.clock.advance(20 * MINUTE);
      await devices[0]!.get('/api/me');
      await demo.warden.revokeSession((await demo.warden.listUserSessions('bob'))[0]!.id, { reason: 'revoked', actor: 'bob' });
      demo.clock.advance(3 * MINUTE);
      const context = await contextFor(demo, lang, viewport, { userAgent: UA.mac });
      const page = await context.newPage();
      try {
        await signIn(page, demo, 'admin');
        await page.goto(`${demo.url}/admin/sessions?q=alice`);
        expect(await page.locator('tbody tr').count()).toBe(2);
        await check(page, 'admin-search', lang, viewport);
        await page.goto(`${demo.url}/admin/sessions`);
        // The admin's own row reads "Sign out"; ended rows say why and when.
        expect(await page.locator('tr.current button').getAttribute('class')).toBe('quiet');
        await check(page, 'admin-all', lang, viewport);
        await page.goto(`${demo.url}/admin/sessions?status=ended`);
        expect(await page.locator('tbody tr').count()).toBe(1);
        await check(page, 'admin-ended', lang, viewport);
        await page.goto(`${demo.url}/admin/sessions?q=alice`);
        await page.locator('.target a.danger').click();
        await page.waitForURL(/\/users\/alice\/end/);
        await check(page, 'admin-confirm-user', lang, viewport);
        await page.locator('form.actions button[type="submit"]').click();
        await page.waitForURL(/\/admin\/sessions\?q=alice$/);
        expect(await page.locator('[role="status"]').count()).toBe(1);
        // No "end all" once the user has no session left.
        expect(await page.locator('.target').count()).toBe(0);
        await check(page, 'admin-after-end-user', lang, viewport);
      } finally {
        await context.close();
      }

      const limited = await startDemo({ SESSIONWARDEN_MAX_SESSIONS: '1', SESSIONWARDEN_LOCK_SECONDS: '300' });
      await otherDevice(limited, 'alice', UA.windows);
      limited.clock.advance(MINUTE);
      const refusedContext = await contextFor(limited, lang, viewport);
      const refused = await refusedContext.newPage();
      try {
        await refused.goto(`${limited.url}/login`);
        await refused.locator('#username').fill('alice');
        await refused.locator('#password').fill('demo');
        await refused.locator('form.stack button[type="submit"]').click();
        await refused.waitForLoadState();
        expect(await refused.locator('#username').inputValue()).toBe('alice');
        expect(await refused.evaluate(() => document.activeElement?.id)).toBe('password');
        await check(refused, 'refused', lang, viewport);
      } finally {
        await refusedContext.close();
      }
    });

    it('the idle warning dialog, then the sign-in page after the idle logout, which brings the user back', { timeout: 300_000 }, async ({ expect }) => {
      const demo = await startDemo({ SESSIONWARDEN_IDLE_TIMEOUT: '120', SESSIONWARDEN_WARN_BEFORE: '60' });
      const context = await contextFor(demo, lang, viewport, { clocked: true });
      const page = await context.newPage();
      /** Both clocks, a second at a time. */
      const advance = async (ms: number) => {
        for (let left = ms; left > 0; left -= SECOND) {
          demo.clock.advance(SECOND);
          await context.clock.runFor(SECOND);
        }
      };
      try {
        await signIn(page, demo, 'alice');
        await page.goto(`${demo.url}/account/sessions`);
        await advance(62 * SECOND);
        const dialog = page.locator('dialog.sessionwarden');
        await expect.poll(() => dialog.evaluate((element: HTMLDialogElement) => element.open)).toBe(true);
        expect(await focusedText(page)).toBe(WORDS[lang].stay);
        expect(await dialog.getAttribute('dir')).toBe(lang === 'ar' ? 'rtl' : 'ltr');
        await check(page, 'warning', lang, viewport, context);
        if (lang === 'en' && viewport === 'desktop' && UPDATE_DOCS) {
          mkdirSync(DOCS, { recursive: true });
          const box = (await dialog.boundingBox())!;
          const margin = 40;
          await page.screenshot({ path: join(DOCS, 'warning.png'), clip: { x: box.x - margin, y: box.y - margin, width: box.width + 2 * margin, height: box.height + 2 * margin } });
        }
        await advance(62 * SECOND);
        await page.waitForURL((url) => url.pathname === '/login');
        const url = new URL(page.url());
        expect([url.searchParams.get('reason'), url.searchParams.get('returnTo')]).toEqual(['idle', '/account/sessions']);
        expect(await page.locator('[role="status"]').textContent()).toBe(WORDS[lang].idle);
        // The first field has focus and carries the reason as its description.
        expect(await page.evaluate(() => [document.activeElement?.id, document.activeElement?.getAttribute('aria-describedby')])).toEqual(['username', 'notice']);
        await check(page, 'after-idle-logout', lang, viewport, context);
        // Signing in again goes back to the page the user was on.
        await page.locator('#username').fill('alice');
        await page.locator('#password').fill('demo');
        await page.locator('form.stack button[type="submit"]').click();
        await page.waitForURL(`${demo.url}/account/sessions`);
      } finally {
        await context.close();
      }
    });
  });

  it('French, Russian and Polish fit a 360 px phone: the list, a confirmation and the admin page', { timeout: 300_000 }, async () => {
    const demo = await startDemo();
    for (const userAgent of [UA.windows, UA.iphone, UA.linux]) await otherDevice(demo, 'alice', userAgent);
    await Promise.all((['fr', 'ru', 'pl'] as const).map(async (lang) => {
      const context = await browser.newContext({ locale: lang, viewport: { width: 360, height: 740 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true, userAgent: UA.android });
      try {
        const page = await context.newPage();
        await signIn(page, demo, 'alice');
        await page.goto(`${demo.url}/account/sessions`);
        await check(page, 'sessions-360', lang as unknown as Lang, 'phone');
        await page.goto(`${demo.url}/account/sessions/end-others`);
        await check(page, 'confirm-others-360', lang as unknown as Lang, 'phone');
        const admin = await context.newPage();
        await context.clearCookies();
        await signIn(admin, demo, 'admin');
        await admin.goto(`${demo.url}/admin/sessions?q=alice`);
        await check(admin, 'admin-360', lang as unknown as Lang, 'phone');
        // Labels and values never overlap: every cell's box is below or beside the previous one in its row.
        const overlaps = await admin.evaluate(() => [...document.querySelectorAll('tbody tr')].some((row) => {
          const boxes = [...row.children].map((cell) => cell.getBoundingClientRect()).filter((box) => box.height > 0);
          return boxes.some((a, i) => boxes.some((b, j) => i < j && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
        }));
        expect(overlaps, lang).toBe(false);
      } finally {
        await context.close();
      }
    }));
  });

  it('keyboard only: the list, its confirmations and the warning dialog', { timeout: 180_000 }, async () => {
    const demo = await startDemo({ SESSIONWARDEN_IDLE_TIMEOUT: '120', SESSIONWARDEN_WARN_BEFORE: '60' });
    await otherDevice(demo, 'alice', UA.windows);
    await otherDevice(demo, 'alice', UA.linux);
    const context = await contextFor(demo, 'en', 'desktop', { clocked: true, userAgent: UA.mac });
    const page = await context.newPage();
    const tab = async (key = 'Tab') => {
      await page.keyboard.press(key);
      return page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null;
        // Each stop must show where focus is.
        const outline = element ? getComputedStyle(element).outlineStyle : 'none';
        return `${(element?.textContent ?? '').trim()}${outline === 'none' ? ' (no focus ring)' : ''}`;
      });
    };
    try {
      await signIn(page, demo, 'alice');
      await page.goto(`${demo.url}/account/sessions`);
      // The order: the way back, this device's "Sign out", each other device's "End session", then the bulk action.
      expect([await tab(), await tab(), await tab(), await tab(), await tab()]).toEqual(['Back', 'Sign out', 'End session', 'End session', 'End all other sessions']);
      await tab('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/end$/);
      expect(await page.locator('h1').textContent()).toMatch(/^End the session on (Firefox on Linux|Chrome on Windows\u00a010)\?$/);
      // On the confirmation: back link, the action, Cancel; Enter on the action ends it and focus lands on the notice.
      expect([await tab(), await tab(), await tab()]).toEqual(['Active sessions', 'End session', 'Cancel']);
      await tab('Shift+Tab');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${demo.url}/account/sessions`);
      expect(await page.evaluate(() => [document.activeElement?.getAttribute('role'), document.activeElement?.textContent])).toEqual(['status', expect.stringMatching(/^The session on .+ was ended\.$/)]);
      expect(await page.locator('li.session').count()).toBe(2);

      await page.goto(`${demo.url}/`);
      for (let second = 0; second < 62; second++) {
        demo.clock.advance(SECOND);
        await context.clock.runFor(SECOND);
      }
      await expect.poll(() => focusedText(page)).toBe('Stay signed in');
      // Focus never leaves the dialog; keys inside it are not activity, so it stays open.
      expect([await tab(), await tab(), await tab('Shift+Tab'), await tab('ArrowDown')]).toEqual(['Sign out now', 'Stay signed in', 'Sign out now', 'Sign out now']);
      expect(await page.locator('dialog.sessionwarden').evaluate((element: HTMLDialogElement) => element.open)).toBe(true);
      await tab('Shift+Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('dialog.sessionwarden').evaluate((element: HTMLDialogElement) => element.open)).toBe(false);
      // The home page's deadline moved with the extension.
      const shown = await page.locator('[data-sessionwarden-deadline]').getAttribute('datetime');
      expect(Date.parse(shown!)).toBeGreaterThan(T0 + 120 * SECOND);
    } finally {
      await context.close();
    }
  });
});
