// The user's session pages over real HTTP (memory and SQLite stores): list, end one, end all others, CSRF, fresh auth, i18n.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemo } from '../demo/app.js';
import { readDemoConfig } from '../demo/config.js';
import { createWarden } from '../src/index.js';
import { sessionRoutes } from '../src/http/sessions/routes.js';
import { issueToken } from '../src/core/token.js';
import { memoryStore } from '../src/stores/memory/index.js';
import { fakeClock, MINUTE } from './helpers/clock.js';
import { Browser, listen, type TestResponse } from './helpers/http.js';
import { HTML, JSON_ACCEPT, SESSIONS, APP_NOT_FOUND, idOf, shapeOf, appPerTest, tokenOf, type RoutesApp, type RoutesAppOptions } from './helpers/routes-app.js';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const FIREFOX_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0';
const BERLIN = '203.0.113.7';
const FRANCE = '198.51.100.5';

/** Visible text of a page: tags removed, whitespace collapsed. */
function textOf(page: string): string {
  return page.replace(/<style[^]*?<\/style>/g, '').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');
}

describe.each(['memory', 'sqlite'] as const)('session routes (%s store)', (store) => {
  const startApp = appPerTest(store);
  let app: RoutesApp;
  const start = async (options: Omit<RoutesAppOptions, 'store'> = {}) => (app = await startApp(options));

  /** Alice on a Mac in Berlin (signed in 1 minute after her Windows session in France), 5 minutes ago; Bob elsewhere. */
  async function aliceAndBob(): Promise<{ mac: Browser; windows: Browser; bob: Browser }> {
    const windows = await app.signIn('alice', { 'user-agent': FIREFOX_WINDOWS, 'x-forwarded-for': FRANCE });
    app.clock.advance(MINUTE);
    const mac = await app.signIn('alice', { 'user-agent': CHROME_MAC, 'x-forwarded-for': BERLIN });
    const bob = await app.signIn('bob');
    app.clock.advance(5 * MINUTE);
    return { mac, windows, bob };
  }

  /** What the session cookie of `browser` gets on a JSON request now. */
  async function meOf(browser: Browser): Promise<{ status: number; body: unknown }> {
    const response = await browser.get('/me', JSON_ACCEPT);
    return { status: response.status, body: response.json() };
  }

  describe('listing', () => {
    it('SEC-33 SEC-34 JSON lists exactly the caller\'s live sessions, most recently active first, with labels, location and "current"', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const ended = await app.signIn('alice');
      await app.warden.revokeSession(idOf(ended));
      const response = await mac.get(SESSIONS, JSON_ACCEPT);
      expect(response.status).toBe(200);
      const t0 = app.clock.now() - 6 * MINUTE;
      expect(response.json()).toEqual({
        sessions: [
          { id: idOf(mac), device: 'Chrome on macOS', location: 'Berlin, Germany', ip: BERLIN, createdAt: t0 + MINUTE, lastActiveAt: t0 + MINUTE, current: true },
          { id: idOf(windows), device: 'Firefox on Windows 10', location: 'France', ip: FRANCE, createdAt: t0, lastActiveAt: t0, current: false },
        ],
        nextCursor: null,
      });
    });

    it('SEC-38 the HTML page lists this device first with a badge, one block per session, links to confirmations and a strict CSP', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const response = await mac.get(SESSIONS, { ...HTML, origin: 'https://evil.example' });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const page = response.text;
      expect(page).toContain('<html lang="en" dir="ltr">');
      expect(page).toContain('<h1 id="title">Active sessions</h1>');
      expect(page).toContain('<ul class="sessions" aria-labelledby="title">');
      const text = textOf(page);
      expect(text).toContain('These are the devices where your account is signed in.');
      // This device first, whatever the activity order says, with its badge and "Sign out".
      expect(text.indexOf('Chrome on macOS')).toBeLessThan(text.indexOf('Firefox on Windows 10'));
      expect(page).toMatch(/<li class="session current" aria-current="true">\s*<svg class="icon"[^>]*data-kind="desktop"/);
      expect(text).toContain('Chrome on macOS This device');
      // The badge is also on the details line, which a phone shows instead of the title's.
      expect(text).toContain('This deviceBerlin, Germany · 203.0.113.7 · Active now');
      expect(text).toContain('France · 198.51.100.5 · Last active 6 minutes ago');
      expect(page.match(/<button type="submit" class="quiet"[^>]*>Sign out<\/button>/g)).toHaveLength(1);
      expect(page).toContain(`action="${SESSIONS}/${idOf(mac)}/revoke"`);
      // Ending another session or all others goes through a confirmation first (links, not one-click forms).
      expect(page).toContain(`<a class="button danger end" href="${SESSIONS}/${idOf(windows)}/end" aria-describedby="device-${idOf(windows)}"><span class="label">End session</span><svg class="chev"`);
      expect(page).toContain(`<a class="button danger" href="${SESSIONS}/end-others">End all other sessions</a>`);
      expect(page).toContain('<p class="crumb"><a href="/">');
      // Every form carries the session's token; nothing executes and nothing is styled inline.
      expect(page.match(/<form /g)?.length).toBe(page.match(/name="_csrf" value="[A-Za-z0-9_-]{43}"/g)?.length);
      expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
      const nonce = /<style nonce="([^"]+)">/.exec(page)?.[1];
      expect(nonce).toBeDefined();
      const csp = response.headers.get('content-security-policy')!;
      expect(csp).toContain(`style-src 'nonce-${nonce}'`);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('keeps this device first and the other rows in a stable order when every session was active in the same second', async () => {
      await start();
      const first = await app.signIn('alice', { 'user-agent': FIREFOX_WINDOWS });
      const second = await app.signIn('alice', { 'user-agent': FIREFOX_WINDOWS });
      const current = await app.signIn('alice', { 'user-agent': CHROME_MAC });
      const orders = new Set<string>();
      for (let load = 0; load < 3; load++) {
        const ids = [...(await current.get(SESSIONS, HTML)).text.matchAll(/<li class="session[^"]*"[^>]*>[^]*?id="device-([\w-]+)"/g)].map((match) => match[1]);
        expect(ids[0]).toBe(idOf(current));
        orders.add(ids.join());
      }
      expect(orders.size).toBe(1);
      expect([...orders][0]!.split(',').sort()).toEqual([idOf(first), idOf(second), idOf(current)].sort());
    });

    it('a HEAD of the list answers like GET without a body', async () => {
      await start();
      const { mac } = await aliceAndBob();
      const response = await mac.request('HEAD', SESSIONS, { headers: HTML });
      expect(response.status).toBe(200);
      expect(response.text).toBe('');
    });

    it('without a session: 401 JSON or a 303 to the login page, and an ended session says why', async () => {
      await start();
      const { windows } = await aliceAndBob();
      const stranger = app.browser();
      const json = await stranger.get(SESSIONS, JSON_ACCEPT);
      expect(json.status).toBe(401);
      expect(json.json()).toEqual({ error: 'unauthenticated' });
      const html = await stranger.get(SESSIONS, HTML);
      expect(html.status).toBe(303);
      // The login page brings the user back to the list afterwards.
      expect(html.headers.get('location')).toBe(`/login?returnTo=${encodeURIComponent(SESSIONS)}`);
      await app.warden.revokeSession(idOf(windows));
      const cookie = { cookie: windows.cookieHeader };
      expect((await stranger.get(SESSIONS, { ...JSON_ACCEPT, ...cookie })).json()).toEqual({ error: 'session_ended', reason: 'revoked' });
      expect((await stranger.get(SESSIONS, { ...HTML, ...cookie })).headers.get('location')).toBe(`/login?returnTo=${encodeURIComponent(SESSIONS)}&reason=revoked`);
    });

    it('an unauthenticated DELETE naming a session and a userId in the body gets 401 and changes nothing (SEC-35)', async () => {
      await start();
      const { mac } = await aliceAndBob();
      const response = await app.browser().request('DELETE', `${SESSIONS}/${idOf(mac)}`, { json: { userId: 'alice' }, headers: JSON_ACCEPT });
      expect(response.status).toBe(401);
      expect((await meOf(mac)).status).toBe(200);
    });

    it('a user agent and a forwarded IP carrying markup are shown escaped or not at all (SEC-37)', async () => {
      await start();
      const attacker = await app.signIn('alice', { 'user-agent': '<img src=x onerror=alert(1)>', 'x-forwarded-for': '"><script>alert(1)</script>' });
      // A record whose stored IP holds markup (a store written by other code) must be escaped too.
      await app.insert({ userId: 'alice', ip: '"><script>alert(2)</script>', userAgent: '<svg onload=alert(3)>' });
      // The page's own decorative icons are the only SVG: drop them before looking for injected markup.
      const page = (await attacker.get(SESSIONS, HTML)).text.replace(/<svg class="(?:icon|back|chev)"[^>]*aria-hidden="true"[^>]*>.*?<\/svg>/gs, '');
      expect(page).not.toMatch(/<script|<img|<svg|onerror|onload/i);
      expect(page).toContain('&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
      expect(textOf(page)).toContain('Unknown device');
      const json = (await attacker.get(SESSIONS, JSON_ACCEPT)).json<{ sessions: { id: string; device: string | null; ip: string | null }[] }>();
      expect(json.sessions.find((session) => session.id === idOf(attacker))).toMatchObject({ device: null, ip: '127.0.0.1' });
    });

    it('Arabic pages are right to left, German pages are German, and defaultLocale applies without Accept-Language', async () => {
      await start();
      const { mac } = await aliceAndBob();
      const arabic = await mac.get(SESSIONS, { ...HTML, 'accept-language': 'ar-EG,ar;q=0.9' });
      // The requested regional tag is kept for the page (Egyptian Arabic digits), the strings are the Arabic catalogue's.
      expect(arabic.text).toContain('<html lang="ar-EG" dir="rtl">');
      expect(arabic.text).toContain('الجلسات النشطة');
      expect(textOf(arabic.text)).toContain('قبل ٦ دقائق');
      expect(arabic.headers.get('content-language')).toBe('ar-EG');
      const german = textOf((await mac.get(SESSIONS, { ...HTML, 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' })).text);
      for (const phrase of ['Aktive Sitzungen', 'Dieses Gerät', 'Jetzt aktiv', 'Zuletzt aktiv vor 6 Minuten', 'Sitzung beenden', 'Alle anderen Sitzungen beenden', 'Chrome auf macOS']) {
        expect(german).toContain(phrase);
      }
      // Latin product names are isolated inside a right-to-left page, and "Windows 10" never breaks.
      expect(arabic.text).toContain('\u2068Chrome\u2069 على \u2068macOS\u2069');
      expect(arabic.text).toContain('\u2068Firefox\u2069 على \u2068Windows\u00a010\u2069');
      // A form refused by the CSRF check gets a page in the visitor's language, not raw JSON.
      const refused = await mac.post(`${SESSIONS}/revoke-others`, { _csrf: 'stale' }, { ...HTML, 'accept-language': 'de' });
      expect([refused.status, refused.headers.get('content-type')]).toEqual([403, 'text/html; charset=utf-8']);
      expect(refused.text).toContain('<h1>Es wurde nichts geändert</h1>');
      const missing = await mac.get(`${SESSIONS}/${issueToken().id}/end`, { ...HTML, 'accept-language': 'ar' });
      expect([missing.status, missing.headers.get('content-language')]).toEqual([404, 'ar']);
      expect(missing.text).toContain('<html lang="ar" dir="rtl">');
      await app.close();
      await start({ sessions: { defaultLocale: 'de' } });
      const alone = await app.signIn('alice');
      expect((await alone.get(SESSIONS, HTML)).text).toContain('<html lang="de" dir="ltr">');
    });

    it('the app\'s own language and time-zone settings come before Accept-Language', async () => {
      await start({ sessions: { locale: (request) => (request.session.userId === 'alice' ? 'fr-CA' : null), timeZone: () => 'America/Toronto' } });
      const { mac, windows } = await aliceAndBob();
      const page = await mac.get(SESSIONS, { ...HTML, 'accept-language': 'de' });
      expect(page.text).toContain('<html lang="fr-CA" dir="ltr">');
      expect(textOf(page.text)).toContain('Sessions actives');
      const confirm = textOf((await mac.get(`${SESSIONS}/${idOf(windows)}/end`, HTML)).text);
      // The full dates are in the user's zone (EST, five hours behind UTC in January).
      expect(confirm).toContain("Connexion15 janv. 2026, 04 h 00 HNE");
      await app.close();
      await start({ sessions: { locale: () => 'xx-unknown', timeZone: () => 'Mars/Olympus' } });
      const other = await app.signIn('alice');
      const fallback = await other.get(SESSIONS, { ...HTML, 'accept-language': 'de' });
      expect(fallback.text).toContain('<html lang="de" dir="ltr">');
    });

    it('with the privacy switch on (no IP, no user agent) rows show "—" and "unknown" instead of failing', async () => {
      await start({ warden: { storeIp: false, storeUserAgent: false } });
      const { mac } = await aliceAndBob();
      const json = (await mac.get(SESSIONS, JSON_ACCEPT)).json<{ sessions: Record<string, unknown>[] }>();
      for (const session of json.sessions) expect(session).toMatchObject({ ip: null, device: null, location: null });
      const page = textOf((await mac.get(SESSIONS, HTML)).text);
      // Nothing to show is shown as nothing: no "Unknown location", no empty IP, just the device and its activity.
      expect(page).toContain('Unknown device This device This deviceActive now');
      expect(page).toContain('Unknown device Last active 6 minutes ago');
      expect(page).not.toContain('location');
    });

    it('paths beside or below the routes are left to the app', async () => {
      await start();
      const { mac } = await aliceAndBob();
      for (const path of [`${SESSIONS}x`, `${SESSIONS}/a/b/c`, `${SESSIONS}/${idOf(mac)}/revoke/more`]) {
        const response = await mac.get(path, HTML);
        expect([response.status, response.text]).toEqual([404, APP_NOT_FOUND]);
      }
    });
  });

  describe('ending sessions', () => {
    it('POST <id>/revoke ends another own session: 303 back with a confirmation, and that cookie gets 401 revoked', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const id = idOf(windows);
      const confirm = await mac.get(`${SESSIONS}/${id}/end`, HTML);
      expect(confirm.status).toBe(200);
      // A no-break space keeps "Windows 10" on one line.
      expect(confirm.text).toContain('<h1 id="title">End the session on Firefox on Windows\u00a010?</h1>');
      expect(confirm.text).toContain(`<form method="post" action="${SESSIONS}/${id}/revoke" class="actions">`);
      expect(textOf(confirm.text)).toContain('End session Cancel');
      expect((await meOf(windows)).status).toBe(200);
      const response = await mac.post(`${SESSIONS}/${id}/revoke`, { _csrf: await tokenOf(mac) }, HTML);
      expect(response.status).toBe(303);
      // The confirmation is not in the URL: it rides in a short-lived signed cookie for the list alone.
      expect(response.headers.get('location')).toBe(SESSIONS);
      expect(response.headers.get('set-cookie')).toMatch(new RegExp(`^sessionwarden-flash=[\\w-]+\\.[\\w-]+; Path=${SESSIONS}; Max-Age=60; HttpOnly; SameSite=Lax; Secure$`));
      const signed = mac.cookies.get('sessionwarden-flash')!;
      const page = await mac.get(SESSIONS, HTML);
      expect(page.text).toContain('<p class="notice" role="status" tabindex="-1" autofocus>');
      expect(textOf(page.text)).toContain('The session on Firefox on Windows 10 was ended.');
      expect(textOf(page.text)).toContain('You are not signed in anywhere else.');
      // Shown once: a reload does not repeat it.
      expect(textOf((await mac.get(SESSIONS, HTML)).text)).not.toContain('was ended');
      // A forged or replayed-from-elsewhere cookie (another session's signature, or edited text) shows nothing.
      const forged = Buffer.from(JSON.stringify({ done: 'session', browser: 'Evil', os: 'Linux' })).toString('base64url');
      for (const value of [`${forged}.${signed.split('.')[1]}`, signed.replace(/^[\w-]{4}/, 'AAAA'), `${signed.split('.')[0]}.`]) {
        mac.cookies.set('sessionwarden-flash', value);
        const text = textOf((await mac.get(SESSIONS, HTML)).text);
        expect(text).not.toContain('was ended');
        expect(text).not.toContain('Evil');
      }
      expect(await meOf(windows)).toEqual({ status: 401, body: { error: 'session_ended', reason: 'revoked' } });
      expect(app.events.find((event) => event.type === 'revoked')).toMatchObject({ reason: 'revoked', actor: 'alice', session: { id } });
    });

    it('DELETE <id> with JSON ends it and answers with JSON', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const response = await mac.request('DELETE', `${SESSIONS}/${idOf(windows)}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(mac) } });
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ ended: [idOf(windows)] });
      expect((await meOf(windows)).status).toBe(401);
    });

    it('another user\'s, an ended, an unknown, a malformed and a missing id all give byte-identical 404s (SEC-32, SEC-35)', async () => {
      await start();
      const { mac, bob } = await aliceAndBob();
      const ended = await app.signIn('alice');
      await app.warden.revokeSession(idOf(ended));
      const token = await tokenOf(mac);
      const remove = (id: string) => mac.request('DELETE', `${SESSIONS}/${id}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
      const unknown = issueToken().id;
      const answers: TestResponse[] = [await remove(idOf(bob)), await remove(idOf(ended)), await remove(unknown), await remove('not-an-id')];
      answers.push(await mac.request('DELETE', `${SESSIONS}/`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } }));
      for (const answer of answers) expect(shapeOf(answer)).toEqual(shapeOf(answers[2]!));
      expect(answers[0]!.status).toBe(404);
      const forms = [await mac.post(`${SESSIONS}/${idOf(bob)}/revoke`, { _csrf: token }, HTML), await mac.post(`${SESSIONS}/${unknown}/revoke`, { _csrf: token }, HTML)];
      expect(shapeOf(forms[0]!)).toEqual(shapeOf(forms[1]!));
      expect(forms[0]!.status).toBe(404);
      expect(await meOf(bob)).toEqual({ status: 200, body: { user: 'bob' } });
    });

    it('ending the current session signs out and redirects to the logout target, even when the sign-in is old', async () => {
      await start({ sessions: { logoutRedirect: '/goodbye?from=sessions' } });
      const { mac } = await aliceAndBob();
      const token = await tokenOf(mac);
      const id = idOf(mac);
      app.clock.advance(20 * MINUTE);
      const response = await mac.post(`${SESSIONS}/${id}/revoke`, { _csrf: token }, HTML);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/goodbye?from=sessions&reason=logout');
      expect(mac.session).toBeUndefined();
      expect((await app.store.get(id))?.endReason).toBe('logout');
      expect(app.events.some((event) => event.type === 'logout' && event.session?.id === id)).toBe(true);
    });

    it('DELETE of the current session with JSON signs out and says so', async () => {
      await start();
      const { windows } = await aliceAndBob();
      const id = idOf(windows);
      const cookie = windows.cookieHeader;
      const response = await windows.request('DELETE', `${SESSIONS}/${id}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(windows) } });
      expect(response.json()).toEqual({ ended: [id], signedOut: true });
      expect(windows.session).toBeUndefined();
      const replay = await app.browser().get('/me', { ...JSON_ACCEPT, cookie: cookie });
      expect(replay.json()).toEqual({ error: 'session_ended', reason: 'logout' });
    });

    it('POST revoke-others ends every other own session, ignores a body userId, and confirms with the count', async () => {
      await start();
      const { mac, windows, bob } = await aliceAndBob();
      const third = await app.signIn('alice');
      const response = await mac.post(`${SESSIONS}/revoke-others`, { _csrf: await tokenOf(mac), userId: 'bob' }, HTML);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(SESSIONS);
      const page = textOf((await mac.get(SESSIONS, HTML)).text);
      expect(page).toContain('2 other sessions were ended.');
      expect(page).toContain('You are not signed in anywhere else.');
      for (const other of [windows, third]) expect(await meOf(other)).toEqual({ status: 401, body: { error: 'session_ended', reason: 'revoked' } });
      expect((await meOf(mac)).status).toBe(200);
      expect((await meOf(bob)).status).toBe(200);
    });

    it('revoke-others with JSON answers with the ended ids', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const response = await mac.request('POST', `${SESSIONS}/revoke-others`, { json: { userId: 'bob' }, headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(mac) } });
      expect(response.json()).toEqual({ ended: [idOf(windows)] });
    });
  });

  describe('fresh authentication (SEC-36)', () => {
    it('after 20 minutes, ending other sessions needs a new sign-in: HTML goes to reauthUrl, JSON gets 403; nothing ends', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const token = await tokenOf(mac);
      app.clock.advance(15 * MINUTE);
      // The password step comes back to the confirmation of the very action, never to a GET that acts.
      for (const [path, confirmation] of [[`${SESSIONS}/revoke-others`, `${SESSIONS}/end-others`], [`${SESSIONS}/${idOf(windows)}/revoke`, `${SESSIONS}/${idOf(windows)}/end`]] as const) {
        const page = await mac.get(confirmation, HTML);
        expect(textOf(page.text)).toContain('You signed in a while ago, so you will confirm your password first. Continue Cancel');
        const html = await mac.post(path, { _csrf: token }, HTML);
        expect([html.status, html.headers.get('location')]).toEqual([303, `/reauthenticate?returnTo=${encodeURIComponent(confirmation)}`]);
        const json = await mac.request('POST', path, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
        expect([json.status, json.json()]).toEqual([403, { error: 'reauthentication_required', reauthUrl: '/reauthenticate' }]);
      }
      const foreign = await mac.request('DELETE', `${SESSIONS}/${issueToken().id}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
      expect(foreign.status).toBe(403);
      expect((await meOf(windows)).status).toBe(200);
      await mac.request('POST', '/test/reauthenticate');
      const fresh = await mac.request('POST', `${SESSIONS}/revoke-others`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(mac) } });
      expect(fresh.json()).toEqual({ ended: [idOf(windows)] });
    });

    it.each([
      ['a longer freshAge accepts a 5-minute-old sign-in', { freshAge: '30m' }, 200],
      ['freshAge 0 turns the check off', { freshAge: 0 }, 200],
      ['without reauthUrl a stale HTML request gets a 403 page', { freshAge: '1m', reauthUrl: undefined }, 403],
    ] as const)('%s', async (_name, sessions, expected) => {
      await start({ sessions });
      const { mac } = await aliceAndBob();
      const response = await mac.request('POST', `${SESSIONS}/revoke-others`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(mac) } });
      expect(response.status).toBe(expected);
      if (expected === 403) {
        const page = await mac.post(`${SESSIONS}/revoke-others`, { _csrf: await tokenOf(mac) }, HTML);
        expect(page.status).toBe(403);
        expect(page.text).toContain('Please confirm your password to continue.');
      }
    });
  });

  describe('cross-site requests and safe methods (SEC-39, SEC-40)', () => {
    it('every state-changing route refuses cross-site, token-less and wrong-token requests with 403 and changes nothing', async () => {
      await start();
      const { mac, windows, bob } = await aliceAndBob();
      const token = await tokenOf(mac);
      const bobToken = await tokenOf(bob);
      const routes = [
        { method: 'POST', path: `${SESSIONS}/revoke-others` },
        { method: 'POST', path: `${SESSIONS}/${idOf(windows)}/revoke` },
        { method: 'DELETE', path: `${SESSIONS}/${idOf(windows)}` },
      ];
      const refused: { name: string; headers: Record<string, string>; body?: string; reason?: string }[] = [
        { name: 'cross-site', headers: { 'sec-fetch-site': 'cross-site', 'x-csrf-token': token } },
        { name: 'same-site', headers: { 'sec-fetch-site': 'same-site', 'x-csrf-token': token } },
        { name: 'foreign Origin', headers: { 'sec-fetch-site': '', origin: 'https://evil.example', 'x-csrf-token': token } },
        { name: 'Origin null', headers: { 'sec-fetch-site': '', origin: 'null', 'x-csrf-token': token } },
        { name: 'no token', headers: {}, reason: 'missing-token' },
        { name: 'another session\'s token', headers: { 'x-csrf-token': bobToken }, reason: 'bad-token' },
        { name: 'text/plain from another origin', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'content-type': 'text/plain' }, body: `_csrf=${token}` },
      ];
      const before = JSON.stringify(await Promise.all([mac, windows, bob].map((each) => app.store.get(idOf(each)))));
      for (const route of routes) {
        for (const attempt of refused) {
          const response = await mac.request(route.method, route.path, { headers: { ...JSON_ACCEPT, ...attempt.headers }, body: attempt.body });
          // The refusal says what happened: another site, or a missing or wrong token (F3).
          expect([attempt.name, route.path, response.status, response.json()]).toEqual([attempt.name, route.path, 403, { error: 'csrf', reason: attempt.reason ?? 'cross-site' }]);
        }
      }
      expect(JSON.stringify(await Promise.all([mac, windows, bob].map((each) => app.store.get(idOf(each)))))).toBe(before);
      const accepted = await mac.request('POST', `${SESSIONS}/${idOf(windows)}/revoke`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
      expect(accepted.status).toBe(200);
    });

    it('GET and HEAD on the state-changing routes give 405 with Allow and change nothing, signed in or not', async () => {
      await start();
      const { mac, windows } = await aliceAndBob();
      const before = JSON.stringify(await Promise.all([mac, windows].map((each) => app.store.get(idOf(each)))));
      const routes = [[`${SESSIONS}/revoke-others`, 'POST'], [`${SESSIONS}/${idOf(windows)}/revoke`, 'POST'], [`${SESSIONS}/${idOf(windows)}`, 'DELETE']] as const;
      for (const browser of [mac, app.browser()]) {
        for (const [path, allow] of routes) {
          for (const method of ['GET', 'HEAD']) {
            const response = await browser.request(method, path, { headers: HTML });
            expect([method, path, response.status, response.headers.get('allow')]).toEqual([method, path, 405, allow]);
          }
        }
      }
      expect(JSON.stringify(await Promise.all([mac, windows].map((each) => app.store.get(idOf(each)))))).toBe(before);
      expect((await meOf(windows)).status).toBe(200);
    });
  });
});

describe('sessionRoutes() options', () => {
  const warden = createWarden({ store: memoryStore() });

  it('misconfiguration throws at construction with a message naming the option', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ base: 'account/sessions' }, /^sessionwarden: sessionRoutes: base must be a same-origin path/],
      [{ base: '//evil.example/sessions' }, /base must be a same-origin path/],
      [{ base: 'https://evil.example/sessions' }, /base must be a same-origin path/],
      [{ base: '/' }, /base must be a plain path/],
      [{ base: '/sessions?x=1' }, /base must be a plain path/],
      [{ base: '/s', loginUrl: '//evil.example' }, /loginUrl must be a same-origin path/],
      [{ base: '/s', logoutRedirect: 'https://evil.example/' }, /logoutRedirect must be a same-origin path/],
      [{ base: '/s', reauthUrl: 'javascript:alert(1)' }, /reauthUrl must be a same-origin path/],
      [{ base: '/s', freshAge: 'soon' }, /freshAge/],
      [{ base: '/s', geoip: { database: 'no-such-file.mmdb' } }, /sessionwarden: geoip.database/],
      [{ base: '/s', defaultLocale: 'xx' }, /defaultLocale must be one of the supported locales/],
      [{ base: '/s', isAdmin: () => true }, /unknown option "isAdmin"/],
    ];
    for (const [options, message] of cases) expect(() => sessionRoutes(warden, options as never)).toThrow(message);
    expect(() => sessionRoutes({} as never, { base: '/s' })).toThrow(/needs the warden/);
  });

  it('a trailing slash on base is dropped and the paths in options may carry a query', () => {
    expect(sessionRoutes(warden, { base: '/account/sessions/', logoutRedirect: '/login?reason=logout' }).base).toBe('/account/sessions');
  });
});

describe('the demo app', () => {
  it('links to both pages, hides the admin page from non-admins, and sends a stale "end all others" through re-authentication', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-demo-pages-'));
    const clock = fakeClock();
    const { app, warden } = createDemo({ config: readDemoConfig({ SESSIONWARDEN_STORE: join(dir, 'demo.sqlite') }), now: clock.now, log: () => undefined });
    const server = await listen(app);
    try {
      const signIn = async (username: string) => {
        const browser = new Browser(server.url, HTML);
        expect((await browser.post('/login', { username, password: 'demo' })).status).toBe(303);
        return browser;
      };
      const [alice, aliceElsewhere, admin] = [await signIn('alice'), await signIn('alice'), await signIn('admin')];
      // The link's words are the page's title.
      expect((await alice.get('/')).text).toContain('<a class="button" href="/account/sessions">Active sessions</a>');
      expect((await alice.get('/')).text).not.toContain('/admin/sessions');
      expect((await admin.get('/')).text).toContain('<a class="button" href="/admin/sessions">All sessions</a>');
      expect((await alice.get('/admin/sessions')).status).toBe(404);
      expect((await admin.get('/admin/sessions')).text).toContain('<h1 id="title">All sessions</h1>');
      // Keep the session alive past the 10-minute freshness window (the demo's idle timeout is 5 minutes).
      for (let i = 0; i < 3; i += 1) {
        clock.advance(4 * MINUTE);
        for (const browser of [alice, aliceElsewhere]) await browser.get('/api/me');
      }
      const token = /name="_csrf" value="([^"]+)"/.exec((await alice.get('/account/sessions')).text)![1]!;
      const stale = await alice.post('/account/sessions/revoke-others', { _csrf: token });
      expect(stale.headers.get('location')).toBe('/reauthenticate?returnTo=%2Faccount%2Fsessions%2Fend-others');
      const confirm = await alice.get(stale.headers.get('location')!);
      // The password page says what it is for, and Cancel goes back to the list.
      expect(confirm.text).toContain('To end a session on another device, confirm your password.');
      expect(confirm.text).toContain('<a class="button" href="/account/sessions">Cancel</a>');
      const form = { _csrf: /name="_csrf" value="([^"]+)"/.exec(confirm.text)![1]!, returnTo: /name="returnTo" value="([^"]+)"/.exec(confirm.text)![1]!, password: 'demo' };
      const back = await alice.post('/reauthenticate', form);
      expect([back.status, back.headers.get('location')]).toEqual([303, '/account/sessions/end-others']);
      // Back on the confirmation of the pending action, which posts it.
      const again = await alice.get('/account/sessions/end-others');
      expect(again.text).toContain('<h1 id="title">End the other session?</h1>');
      const fresh = /name="_csrf" value="([^"]+)"/.exec(again.text)![1]!;
      const action = /<form method="post" action="([^"]+)"/.exec(again.text)![1]!;
      const ended = await alice.post(action, { _csrf: fresh });
      expect(ended.headers.get('location')).toBe('/account/sessions');
      expect((await alice.get('/account/sessions')).text).toContain('1 other session was ended.');
      expect((await aliceElsewhere.get('/api/me', JSON_ACCEPT)).json()).toEqual({ error: 'session_ended', reason: 'revoked' });
    } finally {
      await server.close();
      await warden.store.close?.();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
