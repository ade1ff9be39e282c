// The idle timeout end to end: the real demo (Express, SQLite, fake server clock) in Chromium with Playwright's clock in step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import type { Warden } from '../../src/index.js';
import { launchChromium, SKIP_BROWSER, warnIfSkipped } from '../helpers/chromium.js';
import { fakeClock, MINUTE, SECOND, type FakeClock } from '../helpers/clock.js';
import { sessionIdOf, signInThroughForm } from '../helpers/demo-page.js';
import { listen, type TestServer } from '../helpers/http.js';

warnIfSkipped('idle-timeout browser tests');

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
// Short demo timeouts: the warning opens 40 s after the last activity and the session ends at 60 s.
const IDLE = 60;
const WARN_BEFORE = 20;
const STEP = SECOND;
const IDLE_NOTICE = 'You were signed out after a period of inactivity.';
const REVOKED_NOTICE = 'This session was ended from another device.';

/** What the init script keeps on `window`: pings not yet handled by the page, and CSP violations seen. */
interface Harness {
  __pending: number;
  __violations: string[];
}

/** Installed before any page script: counts pings until the script has read their answers, and records CSP violations. */
function harness(): void {
  const w = window as unknown as Harness;
  w.__pending = 0;
  w.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    w.__pending++;
    let settled = false;
    const done = (): void => {
      if (settled) return;
      settled = true;
      w.__pending--;
    };
    try {
      const res = await realFetch(input, init);
      const json = res.json.bind(res);
      // The script reacts in the microtasks after json() settles, so the answer counts as handled only then.
      res.json = () => json().finally(done);
      return res;
    } catch (error) {
      done();
      throw error;
    }
  };
}

/** One POST /session/ping as the server saw it. */
interface PingSeen {
  idleFor: unknown;
  serverTime: number;
  status: number | null;
}

/** One event line the demo logged. */
interface LoggedEvent {
  event: string;
  userId: string | null;
  session: string | null;
  reason?: string;
  actor?: string;
}

/** The demo for one test: its own SQLite file, fake clock, server and browser contexts. */
interface RunningDemo {
  clock: FakeClock;
  warden: Warden;
  server: TestServer;
  url: string;
  contexts: { context: BrowserContext; clocked: boolean }[];
  pings: PingSeen[];
  /** The warden's events, from the demo's log lines. */
  events: LoggedEvent[];
}

describe.skipIf(SKIP_BROWSER)('idle timeout in the demo, in Chromium', () => {
  let browser: Browser;
  let dir: string;
  let files = 0;
  let demo: RunningDemo;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sw-idle-browser-'));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    const clock = fakeClock(T0);
    const config = readDemoConfig({
      SESSIONWARDEN_STORE: join(dir, `demo-${files++}.sqlite`),
      SESSIONWARDEN_IDLE_TIMEOUT: String(IDLE),
      SESSIONWARDEN_WARN_BEFORE: String(WARN_BEFORE),
    });
    const events: LoggedEvent[] = [];
    const { app, warden } = createDemo({ config, now: clock.now, log: (line) => events.push(JSON.parse(line) as LoggedEvent) });
    const server = await listen(app);
    demo = { clock, warden, server, url: server.url, contexts: [], pings: [], events };
  });

  afterEach(async () => {
    for (const { context } of demo.contexts) await context.close();
    await demo.server.close();
    await demo.warden.store.close?.();
  });

  /**
   * A fresh browser (context) whose page clock starts paused at the server's time; pings are recorded with the server time
   * at which they arrived. With JavaScript off there is no clock to install.
   */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext(options);
    // Well inside the test's 30 s, so a page that never gets where it should fails with Playwright's own message.
    context.setDefaultTimeout(10 * SECOND);
    const clocked = options.javaScriptEnabled !== false;
    demo.contexts.push({ context, clocked });
    if (clocked) {
      await context.addInitScript(harness);
      // Installed a second early and paused at the server's now: no timer runs until advance() moves both clocks.
      await context.clock.install({ time: demo.clock.now() - SECOND });
      await context.clock.pauseAt(demo.clock.now());
    }
    const seen = new Map<Request, PingSeen>();
    context.on('request', (request) => {
      if (!request.url().endsWith('/session/ping')) return;
      const ping: PingSeen = { idleFor: (request.postDataJSON() as { idleFor?: unknown } | null)?.idleFor, serverTime: demo.clock.now(), status: null };
      seen.set(request, ping);
      demo.pings.push(ping);
    });
    // Only the status: a body is gone once the page navigates, which is what a 401 makes it do.
    context.on('response', (response) => {
      const ping = seen.get(response.request());
      if (ping) ping.status = response.status();
    });
    return context;
  }

  /** Waits until every page has read the answers to its pings (a page that navigated away counts as settled). */
  async function settle(): Promise<void> {
    for (const { context, clocked } of demo.contexts) {
      if (!clocked) continue;
      for (const page of context.pages()) {
        await expect
          .poll(() => page.evaluate(() => (window as unknown as Harness).__pending ?? 0).catch(() => 0), { timeout: 5000, interval: 5 })
          .toBe(0);
      }
    }
  }

  /** Moves the server clock and every page clock together, a second at a time, so each ping meets the right server time. */
  async function advance(ms: number): Promise<void> {
    for (let left = ms; left > 0; left -= STEP) {
      const step = Math.min(STEP, left);
      demo.clock.advance(step);
      for (const { context, clocked } of demo.contexts) if (clocked) await context.clock.runFor(step);
      await settle();
    }
  }

  /** Signs in through the real login form and lands on the home page. */
  const signIn = (page: Page, username = 'alice'): Promise<void> => signInThroughForm(page, demo.url, username);

  /** The open warning as a user and a screen reader see it, or null. */
  const warning = (page: Page): Promise<{ role: string | null; title: string | null; text: string | null; focused: string | null } | null> =>
    page.evaluate(() => {
      const dialog = document.querySelector<HTMLDialogElement>('dialog.sessionwarden');
      if (!dialog || !dialog.open) return null;
      return {
        role: dialog.getAttribute('role'),
        title: document.getElementById(dialog.getAttribute('aria-labelledby') ?? '')?.textContent ?? null,
        text: document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
        focused: document.activeElement?.textContent ?? null,
      };
    });

  const countdown = (seconds: number): string => `You will be signed out in ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')} because you have been inactive.`;


  /** The server's view of this browser's session: 200 while it lives. */
  async function apiMeStatus(page: Page): Promise<number> {
    return (await page.request.get(`${demo.url}/api/me`, { headers: { accept: 'application/json' }, maxRedirects: 0 })).status();
  }

  it('opens an alertdialog 20 s before the idle deadline whose countdown runs down with the clock', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page);

    await advance(39 * SECOND);
    expect(await warning(page)).toBeNull();
    expect(demo.pings).toEqual([]);

    await advance(1 * SECOND);
    // The check at deadline - warnBefore asks the server, which still counts the sign-in as the last activity.
    expect(demo.pings).toEqual([expect.objectContaining({ idleFor: 40, serverTime: T0 + 40 * SECOND, status: 200 })]);
    expect(await warning(page)).toEqual({ role: 'alertdialog', title: 'Are you still there?', text: countdown(20), focused: 'Stay signed in' });
    expect(await page.getByRole('alertdialog').textContent()).toContain(countdown(20));

    await advance(1 * SECOND);
    expect((await warning(page))?.text).toBe(countdown(19));
    await advance(6 * SECOND);
    expect((await warning(page))?.text).toBe(countdown(13));
    expect(demo.pings).toHaveLength(1);
  });

  it('closes the warning with Escape and the session outlives its original deadline', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page);
    await advance(41 * SECOND);
    expect((await warning(page))?.text).toBe(countdown(19));

    // A stray key inside the warning is not activity; Escape (like "Stay signed in") is.
    await page.keyboard.press('Shift');
    await settle();
    expect((await warning(page))?.text).toBe(countdown(19));
    await page.keyboard.press('Escape');
    await settle();
    expect(await warning(page)).toBeNull();
    // The key press reaches the server at once, as activity "0 seconds ago".
    expect(demo.pings.at(-1)).toMatchObject({ idleFor: 0, serverTime: T0 + 41 * SECOND, status: 200 });

    // 15 s past the original deadline (T0 + 60 s): no warning, still on the page, and the server still has the session.
    await advance(34 * SECOND);
    expect(await warning(page)).toBeNull();
    expect(page.url()).toBe(`${demo.url}/`);
    expect(await apiMeStatus(page)).toBe(200);
  });

  it('closes the warning with the "Stay signed in" button and the session outlives its original deadline', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page);
    await advance(41 * SECOND);
    expect(await warning(page)).toMatchObject({ focused: 'Stay signed in' });

    // The keyboard presses the button: moving a mouse onto it is activity that would close the warning before any click.
    await page.getByRole('button', { name: 'Stay signed in' }).press('Enter');
    await settle();
    expect(await warning(page)).toBeNull();
    expect(demo.pings.at(-1)).toMatchObject({ idleFor: 0, status: 200 });

    await advance(34 * SECOND);
    expect(await warning(page)).toBeNull();
    expect(page.url()).toBe(`${demo.url}/`);
    expect(await apiMeStatus(page)).toBe(200);
  });

  it('closes the warning in tab B at once when the user is active in tab A', async () => {
    const context = await newContext();
    const tabA = await context.newPage();
    await signIn(tabA);
    const tabB = await context.newPage();
    await tabB.goto(`${demo.url}/`);
    await advance(41 * SECOND);
    expect((await warning(tabA))?.text).toBe(countdown(19));
    expect((await warning(tabB))?.text).toBe(countdown(19));

    await tabA.keyboard.press('Escape');
    // No page time passes: the tabs' BroadcastChannel message alone closes tab B's warning.
    await expect.poll(() => warning(tabB), { timeout: 2000, interval: 10 }).toBeNull();
    await settle();
    expect(await warning(tabA)).toBeNull();
    // Tab B learnt tab A's new deadlines and does not warn again past the old one.
    await advance(30 * SECOND);
    expect(await warning(tabA)).toBeNull();
    expect(await warning(tabB)).toBeNull();
    expect(tabB.url()).toBe(`${demo.url}/`);
  });

  it('sends every tab to /login?reason=idle when the idle deadline passes, and the login page says why', async () => {
    const context = await newContext();
    const tabA = await context.newPage();
    await signIn(tabA);
    const tabB = await context.newPage();
    await tabB.goto(`${demo.url}/`);
    await advance(40 * SECOND);
    expect((await warning(tabA))?.text).toBe(countdown(20));
    expect((await warning(tabB))?.text).toBe(countdown(20));

    await advance(21 * SECOND);
    for (const tab of [tabA, tabB]) {
      // On a loaded machine a reply can land a clock step late: give the page clock a few more seconds, not real time.
      for (let extra = 0; extra < 5 && !tab.url().includes('/login'); extra += 1) await advance(SECOND);
      await tab.waitForURL(`${demo.url}/login?reason=idle`);
      expect(await tab.getByRole('status').textContent()).toBe(IDLE_NOTICE);
      expect(await tab.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
    }
    // The tabs asked at the deadline (a tab may also follow the other's broadcast); the server ended the session once, for idleness.
    const refused = demo.pings.filter((ping) => ping.status === 401);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const ping of refused) {
      expect(ping.serverTime).toBeGreaterThanOrEqual(T0 + 60 * SECOND);
      expect(ping.idleFor).toBeGreaterThanOrEqual(60);
    }
    expect(demo.events.map((event) => [event.event, event.reason ?? null])).toEqual([['login', null], ['expired', 'idle']]);
    expect(await apiMeStatus(tabA)).toBe(401);
  });

  it('notices on focus that another browser ended the session and goes to /login?reason=revoked', async () => {
    const laptop = await (await newContext()).newPage();
    await signIn(laptop);
    const laptopSession = await sessionIdOf(laptop);
    await advance(5 * SECOND);

    // A second browser signs in as the same user and ends the laptop's session from its session list.
    const phone = await (await newContext()).newPage();
    await signIn(phone);
    await phone.goto(`${demo.url}/account/sessions`);
    expect(await phone.locator('li.session').count()).toBe(2);
    await phone.locator(`a[aria-describedby="device-${laptopSession}"]`).click();
    await phone.getByRole('button', { name: 'End session' }).click();
    await phone.waitForURL(`${demo.url}/account/sessions`);
    expect(await phone.locator('li.session').count()).toBe(1);

    // Nothing tells the laptop yet: its next check is at its deadline, 40 s after its last activity.
    await advance(26 * SECOND);
    expect(laptop.url()).toBe(`${demo.url}/`);
    // The user comes back to the window: focus (30 s after the last check) asks the server at once.
    await laptop.evaluate(() => window.dispatchEvent(new Event('focus')));
    await laptop.waitForURL(`${demo.url}/login?reason=revoked`);
    expect(await laptop.getByRole('status').textContent()).toBe(REVOKED_NOTICE);
    expect(demo.pings.filter((ping) => ping.status === 401)).toEqual([expect.objectContaining({ serverTime: T0 + 31 * SECOND })]);
    expect(demo.events).toContainEqual(expect.objectContaining({ event: 'revoked', session: laptopSession, reason: 'revoked', actor: 'alice' }));
  });

  it('checks with the server when its timers wake late after a sleep and goes to /login?reason=idle', async () => {
    const context = await newContext();
    const page = await context.newPage();
    await signIn(page);
    await advance(5 * SECOND);
    expect(demo.pings).toEqual([]);

    // The lid closes for five minutes: both clocks jump and the page's overdue timers fire once, late.
    const answer = page.waitForResponse((response) => response.url().endsWith('/session/ping'));
    demo.clock.advance(5 * MINUTE);
    await context.clock.fastForward(5 * MINUTE);
    expect((await answer).status()).toBe(401);
    await page.waitForURL(`${demo.url}/login?reason=idle`);
    expect(await page.getByRole('status').textContent()).toBe(IDLE_NOTICE);
    expect(demo.pings[0]).toMatchObject({ serverTime: T0 + 5 * SECOND + 5 * MINUTE, status: 401 });
    expect(demo.events.at(-1)).toMatchObject({ event: 'expired', reason: 'idle' });
  });

  it('runs under the strict CSP of the home page and of /account/sessions without a single violation', async () => {
    const context = await newContext();
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) consoleErrors.push(message.text());
    });
    const violations = (): Promise<string[]> => page.evaluate(() => (window as unknown as Harness).__violations);
    // The warning's look comes from the script's nonce'd stylesheet; a blocked one would leave the dialog unrounded.
    const radius = (): Promise<string> => page.evaluate(() => getComputedStyle(document.querySelector('dialog.sessionwarden')!).borderTopLeftRadius);

    await signIn(page);
    await advance(40 * SECOND);
    expect((await warning(page))?.text).toBe(countdown(20));
    expect(await radius()).toBe('12px');
    expect(await violations()).toEqual([]);

    await page.goto(`${demo.url}/account/sessions`);
    expect(await page.getByRole('heading', { name: 'Active sessions' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.querySelectorAll('script[data-sessionwarden]').length)).toBe(1);
    await advance(40 * SECOND);
    expect((await warning(page))?.text).toBe(countdown(20));
    expect(await radius()).toBe('12px');
    expect(await violations()).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('[style]').length)).toBe(0);
    expect(consoleErrors).toEqual([]);

    // Control: the listener does see a violation when one happens, so the empty lists above mean something.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })));
    await expect.poll(violations).toHaveLength(1);
  });

  it('signs the user out after the idle timeout with JavaScript disabled: reloading / lands on /login?reason=idle', async () => {
    const context = await newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page);
    expect(await page.evaluate(() => document.querySelector('dialog'))).toBeNull();

    // Only the server's clock moves: nothing runs in the page. A reload inside the timeout is activity.
    demo.clock.advance((IDLE - 1) * SECOND);
    await page.reload();
    expect(page.url()).toBe(`${demo.url}/`);
    expect(await page.getByRole('heading', { name: 'Signed in as Alice' }).isVisible()).toBe(true);

    demo.clock.advance((IDLE + 1) * SECOND);
    await page.reload();
    expect(page.url()).toBe(`${demo.url}/login?reason=idle`);
    expect(await page.getByRole('status').textContent()).toBe(IDLE_NOTICE);
    expect(demo.pings).toEqual([]);
  });
});
