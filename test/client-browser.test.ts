// Browser tests for sessionwarden/client: real Chromium, a fake ping server and Playwright's fake clock (no real waiting).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bundleClient } from '../scripts/bundle-client.js';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SKIP_BROWSER, warnIfSkipped } from './helpers/chromium.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

warnIfSkipped('client-browser tests');

const NONCE = 'abc';
const CSP = `script-src 'self' 'nonce-${NONCE}'; style-src 'self' 'nonce-${NONCE}'`;
const CSRF = 'csrf-Secret-Token-42';
const USER = 'alice@example.com';
const COOKIE = 'sid=session-secret-value';
const T0 = Date.parse('2030-01-01T00:00:00Z');
// Pages load while the fake clock is paused here, so the script's start time is known exactly.
const START = T0 + 1000;

interface PingRecord {
  idleFor: unknown;
  contentType: string | undefined;
  accept: string | undefined;
  csrf: string | undefined;
  cookie: string | undefined;
}

/** In-memory stand-in for the real ping endpoint; only the contract matters here. */
interface FakeSession {
  idleTimeout: number;
  absoluteRemaining: number;
  ended: string | null;
  failWith: number | null;
  /** While set, ping answers wait for it: proves what tabs do before any server answer. */
  hold: Promise<void> | null;
  pings: PingRecord[];
  appLoads: number;
}

const session: FakeSession = { idleTimeout: 0, absoluteRemaining: 0, ended: null, failWith: null, hold: null, pings: [], appLoads: 0 };

interface AppOptions {
  idle?: number;
  absolute?: number;
  warn?: number;
  expireUrl?: string | null;
  guard?: boolean;
  lang?: string;
  dir?: string;
  strings?: Record<string, string>;
}

const escapeAttr = (v: string): string =>
  v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function appHtml(o: Required<Pick<AppOptions, 'idle' | 'absolute' | 'warn'>> & AppOptions): string {
  const data: Record<string, string> = {
    'ping-url': '/session/ping',
    csrf: CSRF,
    'warn-before': String(o.warn),
    'idle-remaining': String(o.idle),
    'absolute-remaining': String(o.absolute),
  };
  // Without data-strings the script speaks its built-in English, the catalogue's.
  if (o.strings) data.strings = JSON.stringify(o.strings);
  if (o.expireUrl !== null) data['expire-url'] = o.expireUrl ?? '/login';
  if (o.guard) data['guard-forms'] = '';
  if (o.lang) data.lang = o.lang;
  if (o.dir) data.dir = o.dir;
  const attrs = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeAttr(v)}"`)
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>App</title></head><body>
<p>Signed in as ${USER}. Idle deadline: <time data-sessionwarden-deadline>(server time)</time></p>
<form method="post" action="/saved"><label>Name <input id="name" name="name"></label> <button id="save">Save</button></form>
<script type="module" src="/session/client.js" nonce="${NONCE}" data-sessionwarden${attrs}></script>
</body></html>`;
}

function startServer(script: string): Promise<Server> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const send = (status: number, type: string, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'Content-Security-Policy': CSP, ...headers });
      res.end(body);
    };
    if (url.pathname === '/session/client.js') return send(200, 'text/javascript; charset=utf-8', script);
    if (url.pathname === '/session/ping') {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', async () => {
        const json = (status: number, body: unknown): void => send(status, 'application/json; charset=utf-8', JSON.stringify(body));
        if (req.method !== 'POST') return json(405, { error: 'method_not_allowed' });
        let idleFor: unknown;
        let logout: unknown;
        try {
          ({ idleFor, logout } = JSON.parse(raw) as { idleFor?: unknown; logout?: unknown });
        } catch {
          return json(400, { error: 'bad_json' });
        }
        if (logout === true) {
          session.pings.push({ idleFor: 'logout', contentType: req.headers['content-type'], accept: req.headers.accept, csrf: req.headers['x-csrf-token'] as string | undefined, cookie: req.headers.cookie });
          session.ended = 'logout';
          return json(401, { error: 'session_ended', reason: 'logout' });
        }
        session.pings.push({
          idleFor,
          contentType: req.headers['content-type'],
          accept: req.headers.accept,
          csrf: req.headers['x-csrf-token'] as string | undefined,
          cookie: req.headers.cookie,
        });
        await session.hold;
        if (session.failWith) return json(session.failWith, { error: 'unavailable' });
        if (typeof idleFor !== 'number' || !(idleFor >= 0)) return json(400, { error: 'bad_idle_for' });
        if (session.ended) return json(401, { error: 'session_ended', reason: session.ended });
        const idleRemaining = session.idleTimeout - idleFor;
        if (idleRemaining <= 0) {
          session.ended = 'idle';
          return json(401, { error: 'session_ended', reason: 'idle' });
        }
        // The epoch fields use the server's real clock, years away from the page's fake one: the script must ignore them.
        const now = Date.now();
        return json(200, {
          idleSeconds: idleFor,
          idleDeadline: now + idleRemaining * 1000,
          absoluteDeadline: now + session.absoluteRemaining * 1000,
          idleRemaining,
          absoluteRemaining: session.absoluteRemaining,
        });
      });
      return;
    }
    if (url.pathname === '/app') {
      session.appLoads++;
      const o = JSON.parse(url.searchParams.get('o') ?? '{}') as AppOptions;
      return send(200, 'text/html; charset=utf-8', appHtml({ idle: 1800, absolute: 43200, warn: 60, ...o }), {
        'Set-Cookie': `${COOKIE}; Path=/; HttpOnly; SameSite=Lax`,
      });
    }
    if (req.method === 'POST' && url.pathname === '/saved') return send(200, 'text/html; charset=utf-8', '<!doctype html><p>Saved</p>');
    return send(200, 'text/html; charset=utf-8', `<!doctype html><title>${url.pathname}</title><p>${url.pathname}</p>`);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Installed before any page script: records CSP violations, the fake time of every ping, storage writes. */
function harness(options: { noBroadcastChannel: boolean }): void {
  const w = window as unknown as Record<string, any>;
  w.__violations = [];
  document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  w.__pings = [];
  w.__pending = 0;
  w.__writes = [];
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    w.__pings.push(Date.now());
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
      // The script's reaction runs in the microtasks after json() settles, before the test's next poll.
      res.json = () => json().finally(done);
      return res;
    } catch (error) {
      done();
      throw error;
    }
  };
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key: string, value: string) {
    w.__writes.push([key, value]);
    return setItem.call(this, key, value);
  };
  if (options.noBroadcastChannel) delete w.BroadcastChannel;
}

interface WarningState {
  text: string | null;
  role: string | null;
  labelled: string | null;
  described: string | null;
  focused: string | null;
  lang: string;
  dir: string;
  radius: string;
}

const warning = (page: Page): Promise<WarningState | null> =>
  page.evaluate(() => {
    const d = document.querySelector<HTMLDialogElement>('dialog.sessionwarden');
    if (!d || !d.open) return null;
    return {
      text: document.getElementById(d.getAttribute('aria-describedby') ?? '')?.textContent ?? null,
      role: d.getAttribute('role'),
      labelled: document.getElementById(d.getAttribute('aria-labelledby') ?? '')?.textContent ?? null,
      described: d.getAttribute('aria-describedby'),
      focused: document.activeElement?.textContent ?? null,
      lang: d.lang,
      dir: d.dir,
      radius: getComputedStyle(d).borderTopLeftRadius,
    };
  });

const warningText = async (page: Page): Promise<string | null> => (await warning(page))?.text ?? null;

/** Waits until no ping of this page is in flight or being handled (a page that navigated away counts as settled). */
async function settle(...pages: Page[]): Promise<void> {
  for (const page of pages) {
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __pending: number }).__pending).catch(() => 0), {
        timeout: 5000,
        interval: 5,
      })
      .toBe(0);
  }
}

/** Waits for the expiry navigation to `path` with `reason`, the page it left carried along as `returnTo`. */
async function expiredTo(page: Page, origin: string, path: string, reason: string): Promise<void> {
  await page.waitForURL((url) => url.origin === origin && url.pathname + (url.searchParams.has('from') ? `?from=${url.searchParams.get('from')}` : '') === path && url.searchParams.get('reason') === reason);
  expect(new URL(page.url()).searchParams.get('returnTo')).toMatch(/^\/app\?o=/);
}

const fakePingTimes = (page: Page): Promise<number[]> =>
  page.evaluate((start) => (window as unknown as { __pings: number[] }).__pings.map((t) => (t - start) / 1000), START);

describe.skipIf(SKIP_BROWSER)('sessionwarden/client in Chromium', () => {
  let browser: Browser;
  let server: Server;
  let origin: string;
  let context: BrowserContext;

  beforeAll(async () => {
    server = await startServer(await bundleClient());
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  });

  beforeEach(() => {
    Object.assign(session, { idleTimeout: 1800, absoluteRemaining: 43200, ended: null, failWith: null, hold: null, pings: [], appLoads: 0 });
  });

  afterEach(async () => {
    if (!context) return;
    // Chromium now and then never acknowledges closing a context right after a beforeunload-guarded reload (seen about
    // once in five runs of the CSRF-reload test, after its assertions passed). Rather than fail on a 60 s hook timeout,
    // a stalled close gets a fresh browser, so the next test still starts from a clean one.
    const closed = await Promise.race([context.close().then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000))]);
    if (!closed) {
      console.warn('client-browser: closing a context stalled; relaunching Chromium');
      await Promise.race([browser.close(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      browser = await launchChromium();
    }
  });

  async function newContext(options: { noBroadcastChannel?: boolean } = {}): Promise<BrowserContext> {
    context = await browser.newContext();
    await context.addInitScript(harness, { noBroadcastChannel: !!options.noBroadcastChannel });
    await context.clock.install({ time: T0 });
    await context.clock.pauseAt(START);
    return context;
  }

  async function openApp(options: AppOptions = {}): Promise<Page> {
    session.idleTimeout = options.idle ?? 1800;
    session.absoluteRemaining = options.absolute ?? 43200;
    const page = await context.newPage();
    await page.goto(`${origin}/app?o=${encodeURIComponent(JSON.stringify(options))}`);
    // The module script runs after parsing; the form field only exists once the page is fully there.
    await page.waitForFunction(() => document.querySelector('script[data-sessionwarden]') && document.readyState === 'complete');
    return page;
  }

  /** Advances the fake clock of every tab and lets the pings it caused be answered and handled. */
  async function advance(ms: number, ...pages: Page[]): Promise<void> {
    await context.clock.runFor(ms);
    await settle(...pages);
  }

  it('opens the warning at deadline - warnBefore with a live countdown and sends the ping contract', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60 });
    await advance(59_000, page);
    expect(session.pings).toHaveLength(0);
    expect(await warning(page)).toBeNull();

    // The answer takes 1 s of (fake) network time: deadlines count from its arrival, and the focus
    // that showModal() moves a second after the ping was sent must not pass for the user's activity.
    let release = (): void => {};
    session.hold = new Promise((resolve) => (release = resolve));
    await context.clock.runFor(1_000);
    await expect.poll(() => session.pings.length).toBe(1);
    await context.clock.runFor(1_000);
    release();
    await settle(page);
    expect(session.pings).toEqual([
      { idleFor: 60, contentType: 'application/json', accept: 'application/json', csrf: CSRF, cookie: COOKIE },
    ]);
    expect(await warning(page)).toEqual({
      text: 'You will be signed out in 1:00 because you have been inactive.',
      role: 'alertdialog',
      labelled: 'Are you still there?',
      described: 'sessionwarden-message',
      focused: 'Stay signed in',
      lang: '',
      dir: '',
      radius: '12px',
    });

    await advance(18_000, page);
    expect(await warningText(page)).toBe('You will be signed out in 0:42 because you have been inactive.');
    expect(session.pings).toHaveLength(1);
  });

  it('keeps keys inside the warning from counting as activity: Tab moves between its two buttons, Escape keeps the session and gives focus back', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60 });
    await page.focus('#name');
    await advance(60_000, page);
    expect(await warningText(page)).toContain('1:00');
    // Users react after the warning appears; with the clock paused, a press in the ping's own millisecond would not be news.
    await advance(1_000, page);

    // A stray key or the pointer crossing the backdrop neither closes the warning nor extends the session.
    await page.keyboard.press('Shift');
    await page.mouse.move(5, 5);
    await page.mouse.move(200, 300);
    await advance(1_000, page);
    expect(await warning(page)).toMatchObject({ focused: 'Stay signed in' });
    expect(session.pings).toHaveLength(1);
    // Focus stays in the dialog: Tab and Shift+Tab go between "Stay signed in" and "Sign out now".
    const focusAfter = async (key: string) => {
      await page.keyboard.press(key);
      return page.evaluate(() => document.activeElement?.textContent);
    };
    expect([await focusAfter('Tab'), await focusAfter('Tab'), await focusAfter('Shift+Tab'), await focusAfter('Shift+Tab')]).toEqual(['Sign out now', 'Stay signed in', 'Sign out now', 'Stay signed in']);
    expect(await warning(page)).not.toBeNull();
    expect(session.pings).toHaveLength(1);

    await page.keyboard.press('Escape');
    await settle(page);
    expect(await warning(page)).toBeNull();
    expect(session.pings.at(-1)?.idleFor).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('name');
    // The new server deadline (120 s from the ping) pushes the next warning to 60 s from now.
    await advance(59_000, page);
    expect(await warning(page)).toBeNull();
    expect(session.pings).toHaveLength(2);
  });

  it('signs out at once with "Sign out now": a logout ping, then the expiry page with reason logout', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60, expireUrl: '/login' });
    await advance(61_000, page);
    await page.keyboard.press('Tab');
    expect(await warning(page)).toMatchObject({ focused: 'Sign out now' });
    await page.keyboard.press('Enter');
    await expiredTo(page, origin, '/login', 'logout');
    expect(session.pings.map((p) => p.idleFor)).toEqual([60, 'logout']);
    expect(session.pings.at(-1)?.csrf).toBe(CSRF);
  });

  it('announces the time left politely every 10 s, then every second of the last 10, with the right plural', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60, expireUrl: '/login' });
    await page.evaluate(() => {
      const w = window as unknown as { __said: string[] };
      w.__said = [];
      // Every change of the live region is an announcement; record them in order.
      new MutationObserver(() => {
        const live = document.querySelector('dialog.sessionwarden [aria-live="polite"]');
        if (live?.textContent && live.textContent !== w.__said.at(-1)) w.__said.push(live.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await advance(60_000, page);
    expect(await page.evaluate(() => document.querySelector('dialog.sessionwarden [aria-live]')?.getAttribute('aria-live'))).toBe('polite');
    for (let s = 61; s < 120; s++) await advance(1_000, page);
    const said = await page.evaluate(() => (window as unknown as { __said: string[] }).__said);
    expect(said).toEqual([
      ...[50, 40, 30, 20, 10, 9, 8, 7, 6, 5, 4, 3, 2].map((n) => `You will be signed out in ${n} seconds.`),
      'You will be signed out in 1 second.',
    ]);
    expect(await warningText(page)).toBe('You will be signed out in 0:01 because you have been inactive.');
  });

  it('shows the page\'s idle deadline and moves it after an extension; the warning follows dark mode', async () => {
    context = await browser.newContext({ colorScheme: 'dark' });
    await context.addInitScript(harness, { noBroadcastChannel: false });
    await context.clock.install({ time: T0 });
    await context.clock.pauseAt(START);
    const page = await openApp({ idle: 120, warn: 60 });
    await advance(61_000, page);
    // The dialog's own colours come from prefers-color-scheme: a dark surface, light text.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('dialog.sessionwarden')!).backgroundColor)).toBe('rgb(28, 32, 38)');
    const shown = (): Promise<string | null> => page.evaluate(() => document.querySelector('[data-sessionwarden-deadline]')!.getAttribute('datetime'));
    // The ping at 60 s answered 60 s left: the deadline is about 120 s after the start.
    const before = Date.parse((await shown())!);
    expect(Math.abs(before - (START + 120_000))).toBeLessThanOrEqual(2_000);
    await page.getByRole('button', { name: 'Stay signed in' }).press('Enter');
    await settle(page);
    // "Stay signed in" reported activity now: a full idle timeout (120 s) from now, a minute later than before.
    expect(Date.parse((await shown())!) - before).toBeGreaterThanOrEqual(59_000);
    expect(await page.evaluate(() => document.querySelector('[data-sessionwarden-deadline]')!.textContent)).toMatch(/^\d{1,2}:\d{2}:\d{2}/);
  });

  it('closes the warning with the Stay signed in button, and Enter does not reach the page control focused before', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60 });
    await page.focus('#save');
    await advance(61_000, page);
    expect(await warning(page)).toMatchObject({ focused: 'Stay signed in' });
    // Enter on the focused button: a mouse click would close the warning already on the pointer's move.
    await page.keyboard.press('Enter');
    await settle(page);
    expect(await warning(page)).toBeNull();
    expect(session.pings.at(-1)?.idleFor).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('save');
    // Had the warning closed on keydown, the same Enter would have submitted the form behind it.
    expect(page.url()).toContain('/app');
  });

  it('closes the warning in every tab when a key is pressed in one', async () => {
    await newContext();
    const tabA = await openApp({ idle: 120, warn: 60 });
    const tabB = await openApp({ idle: 120, warn: 60 });
    await advance(60_000, tabA, tabB);
    expect(await warningText(tabA)).toContain('1:00');
    expect(await warningText(tabB)).toContain('1:00');
    await advance(1_000, tabA, tabB);

    // Tab A's ping is held, so only the activity message can close tab B's warning.
    let release = (): void => {};
    session.hold = new Promise((resolve) => (release = resolve));
    // Escape in tab A's warning keeps the session, as "Stay signed in" would.
    await tabA.keyboard.press('Escape');
    // BroadcastChannel messages are real async events, not driven by the fake clock.
    await expect.poll(() => warning(tabB)).toBeNull();
    await expect.poll(() => session.pings.length).toBe(3);
    expect(session.pings.at(-1)?.idleFor).toBe(0);
    session.hold = null;
    release();
    await settle(tabA, tabB);
    expect(await warning(tabA)).toBeNull();
    // Tab B learnt the new deadlines from tab A's ping: its delayed re-check has nothing to do.
    await advance(3_000, tabA, tabB);
    expect(session.pings).toHaveLength(3);
    expect(await warning(tabB)).toBeNull();
    // Tab B knows of tab A's activity: its own ping reports it.
    await tabB.evaluate(() => window.dispatchEvent(new Event('online')));
    await settle(tabB);
    expect(session.pings.map((p) => p.idleFor)).toEqual([60, 60, 0, 3]);
    for (const tab of [tabA, tabB]) {
      expect(await tab.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    }
  });

  it('expires at the deadline: the server answers 401 idle and the page goes to expireUrl?reason=idle', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60, expireUrl: '/login' });
    await advance(60_000, page);
    expect(await warningText(page)).toContain('1:00');
    await advance(60_000, page);
    await expiredTo(page, origin, '/login', 'idle');
    expect(session.pings.map((p) => p.idleFor)).toEqual([60, 120]);
  });

  it('navigates every tab with the reason when the server ended the session', async () => {
    await newContext();
    const tabA = await openApp({ expireUrl: '/login?from=app' });
    const tabB = await openApp({ expireUrl: '/login?from=app' });
    session.ended = 'replaced';
    await tabA.evaluate(() => window.dispatchEvent(new Event('online')));
    await Promise.all([expiredTo(tabA, origin, '/login?from=app', 'replaced'), expiredTo(tabB, origin, '/login?from=app', 'replaced')]);
    // Tab B followed tab A's broadcast instead of asking the server itself.
    expect(session.pings).toHaveLength(1);
  });

  it.each(['//evil.example/login', '/\t/evil.example/login', 'https://evil.example/login'])(
    'falls back to / when expireUrl %j is not a same-origin path',
    async (expireUrl) => {
      await newContext();
      const page = await openApp({ expireUrl });
      session.ended = 'revoked-by-admin';
      await page.evaluate(() => window.dispatchEvent(new Event('online')));
      await expiredTo(page, origin, '/', 'revoked-by-admin');
    },
  );

  it('reloads the page and stops pinging on a CSRF rejection (403), keeping the leave prompt for an edited form', async () => {
    await newContext();
    const page = await openApp({ guard: true });
    await page.click('#name');
    await page.keyboard.type('draft');
    const prompts: string[] = [];
    page.on('dialog', (d) => {
      prompts.push(d.type());
      void d.accept();
    });
    session.failWith = 403;
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(() => session.appLoads).toBe(2);
    // Let the reload finish before the context closes: closing mid-navigation can stall on a loaded machine.
    await page.waitForLoadState('load');
    expect(prompts).toEqual(['beforeunload']);
    expect(session.pings).toHaveLength(1);
  });

  it('checks with the server after a sleep (a late heartbeat), but not while time passes normally', async () => {
    await newContext();
    const page = await openApp();
    await advance(5 * 60_000, page);
    expect(session.pings).toHaveLength(0);
    await context.clock.fastForward(10 * 60_000);
    await settle(page);
    expect(session.pings.map((p) => p.idleFor)).toEqual([900]);
  });

  it('SEC-27 clamps timers with a 30-day session: no ping storm in a quiet minute', async () => {
    await newContext();
    const thirtyDays = 30 * 24 * 3600;
    const page = await openApp({ idle: thirtyDays, absolute: thirtyDays });
    // Small steps give an unclamped timer (fired at once) the chance to ping again and again.
    for (let i = 0; i < 12; i++) await advance(5_000, page);
    expect(session.pings.length).toBeLessThanOrEqual(2);
    expect(session.pings).toHaveLength(0);
    expect(await warning(page)).toBeNull();
  });

  it('SEC-27 backs off on 5xx, never past the deadline, keeps the warning, then expires 60 s into the failures', async () => {
    await newContext();
    const page = await openApp({ idle: 120, warn: 60, expireUrl: '/login' });
    session.failWith = 500;
    await advance(60_000, page);
    // The server could not be asked, so the local deadlines stand and the warning opens.
    expect(await warningText(page)).toContain('1:00');
    for (let s = 61; s < 120; s++) await advance(1_000, page);
    expect(await fakePingTimes(page)).toEqual([60, 61, 63, 67, 75, 91]);
    expect(await warningText(page)).toBe('You will be signed out in 0:01 because you have been inactive.');
    expect(page.url()).toContain('/app');
    // The next retry (91 + 32 s) is pulled in to the deadline at 120 s; it fails too, 60 s after the first failure.
    await advance(1_000, page);
    await expiredTo(page, origin, '/login', 'idle');
    expect(session.pings).toHaveLength(7);
  });

  it('SEC-27 renders a translated right-to-left warning under a strict CSP with no violation', async () => {
    await newContext();
    const messages: string[] = [];
    const page = await openApp({
      idle: 120,
      warn: 60,
      lang: 'he',
      dir: 'rtl',
      strings: { warningTitle: 'עדיין כאן?', warningMessage: 'החיבור ינותק בעוד {time} בגלל חוסר פעילות.', staySignedIn: 'המשך ההפעלה' },
    });
    page.on('console', (m) => messages.push(m.text()));
    await advance(60_000, page);
    expect(await warning(page)).toMatchObject({
      text: 'החיבור ינותק בעוד 1:00 בגלל חוסר פעילות.',
      labelled: 'עדיין כאן?',
      focused: 'המשך ההפעלה',
      lang: 'he',
      dir: 'rtl',
      // Styled by the nonce-carrying stylesheet, not by inline style attributes.
      radius: '12px',
    });
    expect(await page.evaluate(() => document.querySelectorAll('[style]').length)).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(messages.filter((m) => /Content.Security.Policy/i.test(m))).toEqual([]);

    // Control: the listener does see a violation when one happens, so the empty list above means something.
    await page.evaluate(() => document.head.append(Object.assign(document.createElement('style'), { textContent: 'p{}' })));
    await expect.poll(() => page.evaluate(() => (window as unknown as { __violations: string[] }).__violations.length)).toBe(1);
  });

  it('SEC-27 syncs tabs through storage events without BroadcastChannel and stores no token or user data', async () => {
    await newContext({ noBroadcastChannel: true });
    const tabA = await openApp({ idle: 120, warn: 60 });
    const tabB = await openApp({ idle: 120, warn: 60 });
    expect(await tabA.evaluate(() => typeof BroadcastChannel)).toBe('undefined');
    await advance(60_000, tabA, tabB);
    expect(await warningText(tabB)).toContain('1:00');
    await advance(1_000, tabA, tabB);

    // Escape closes the warning like any other activity, and the other tab hears of it.
    await tabA.keyboard.press('Escape');
    await expect.poll(() => warning(tabB)).toBeNull();
    await settle(tabA, tabB);
    expect(await warning(tabA)).toBeNull();
    expect(session.pings.at(-1)?.idleFor).toBe(0);

    const writes = await tabA.evaluate(() => (window as unknown as { __writes: [string, string][] }).__writes);
    expect(writes.length).toBeGreaterThan(0);
    for (const [key, value] of writes) {
      expect(key).toBe('sessionwarden:msg');
      expect(Object.keys(JSON.parse(value)).sort()).toSatisfy((keys: string[]) =>
        keys.every((k) => ['t', 'at', 'idleAt', 'absoluteAt', 'reason', 'n'].includes(k)),
      );
      expect(value).not.toContain(CSRF);
      expect(value).not.toContain(USER);
      expect(value).not.toContain('session-secret-value');
    }
    for (const tab of [tabA, tabB]) {
      expect(await tab.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    }
  });

  it('guards an edited form with the leave prompt, but never on expiry', async () => {
    await newContext();
    const page = await openApp({ guard: true, expireUrl: '/login' });
    await page.click('#name');
    await page.keyboard.type('draft');
    const prompt = page.waitForEvent('dialog');
    await page.close({ runBeforeUnload: true });
    const dialog = await prompt;
    expect(dialog.type()).toBe('beforeunload');
    await dialog.dismiss();
    expect(page.isClosed()).toBe(false);

    const prompts: string[] = [];
    page.on('dialog', (d) => {
      prompts.push(d.type());
      void d.dismiss();
    });
    session.ended = 'idle';
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expiredTo(page, origin, '/login', 'idle');
    expect(prompts).toEqual([]);
  });

  it('lets a submitted form leave without the prompt', async () => {
    await newContext();
    const page = await openApp({ guard: true });
    const prompts: string[] = [];
    page.on('dialog', (d) => {
      prompts.push(d.type());
      void d.dismiss();
    });
    await page.click('#name');
    await page.keyboard.type('final');
    await page.click('#save');
    await page.waitForURL(`${origin}/saved`);
    expect(prompts).toEqual([]);
  });
});
