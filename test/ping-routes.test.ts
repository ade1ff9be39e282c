// The ping route and the served script over real HTTP: passive, CSRF-protected, clamped, rate-limited (SEC-24..26).
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden, type SessionEvent } from '../src/index.js';
import { clientScriptTag, pingRoutes } from '../src/pages/index.js';
import { createExpressMiddleware, expressRoutes } from '../src/express/index.js';
import { clientCode } from '../src/client/generated/bundle.js';
import { parseToken } from '../src/core/token.js';
import { memoryStore } from '../src/stores/memory/index.js';
import { fakeClock, MINUTE, SECOND } from './helpers/clock.js';
import { Browser, listen, type TestServer } from './helpers/http.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function start(options: { maxPingsPerMinute?: number } = {}) {
  const clock = fakeClock();
  const events: SessionEvent[] = [];
  const store = memoryStore();
  const warden = createWarden({ store, now: clock.now, idleTimeout: '10m', absoluteTimeout: '1h', onEvent: (event) => events.push(event) });
  const ping = pingRoutes(warden, { base: '/session', ...options });
  const app = express();
  app.use(createExpressMiddleware(warden));
  app.use(expressRoutes(ping));
  app.post('/login', async (req, res) => {
    await req.sessionwarden.login('alice');
    res.json({ csrf: req.sessionwarden.csrfToken });
  });
  app.post('/echo', express.urlencoded({ extended: false }), (req, res) => {
    res.json(req.body);
  });
  app.get('/page', (req, res) => {
    res.type('html').send(clientScriptTag(req.sessionwarden, ping, { nonce: 'n0nce', warnBefore: 30, expireUrl: '/login', locale: 'de' }));
  });
  server = await listen(app);
  const browser = new Browser(server.url, { accept: 'application/json' });
  const { csrf } = (await browser.post('/login')).json<{ csrf: string }>();
  const id = parseToken(browser.session!)!.id;
  const lastActive = async () => (await store.get(id))!.lastActiveAt;
  const send = (body: unknown, headers: Record<string, string> = {}) => browser.request('POST', '/session/ping', { json: body, headers: { 'x-csrf-token': csrf, ...headers } });
  return { clock, events, browser, csrf, send, lastActive, ping, store, id };
}

describe('POST /session/ping', () => {
  it('SEC-25 answers minimal timing JSON with no-store, nosniff and a charset', async () => {
    const t = await start();
    t.clock.advance(2 * MINUTE);
    const response = await t.send({ idleFor: 30 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Object.keys(response.json<object>()).sort()).toEqual(['absoluteDeadline', 'absoluteRemaining', 'idleDeadline', 'idleRemaining', 'idleSeconds']);
    expect(response.json()).toEqual({ idleSeconds: 30, idleDeadline: t.clock.now() - 30 * SECOND + 10 * MINUTE, absoluteDeadline: t.clock.now() - 2 * MINUTE + 60 * MINUTE, idleRemaining: 570, absoluteRemaining: 3480 });
  });

  it('SEC-24 the ping itself is passive: without reported activity the idle clock keeps running', async () => {
    const t = await start();
    const before = await t.lastActive();
    t.clock.advance(5 * MINUTE);
    await t.send({});
    expect(await t.lastActive()).toBe(before);
    t.clock.advance(5 * MINUTE);
    expect((await t.send({})).json()).toEqual({ error: 'session_ended', reason: 'idle' });
  });

  it('SEC-24 an expired session is not revived by a ping reporting activity', async () => {
    const t = await start();
    t.clock.advance(10 * MINUTE + SECOND);
    const response = await t.send({ idleFor: 0 });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'idle' });
  });

  it('SEC-24 idleFor is clamped: never past now, never back; negative or non-numeric is a 400 that changes nothing', async () => {
    const t = await start();
    const start0 = await t.lastActive();
    t.clock.advance(3 * MINUTE);
    for (const idleFor of [-5, 'x', null, Number.NaN, '0']) {
      expect((await t.send({ idleFor })).status).toBe(400);
      expect(await t.lastActive()).toBe(start0);
    }
    await t.send({ idleFor: 60 });
    expect(await t.lastActive()).toBe(t.clock.now() - MINUTE);
    await t.send({ idleFor: 120 });
    expect(await t.lastActive()).toBe(t.clock.now() - MINUTE);
    await t.send({ idleFor: 0 });
    expect(await t.lastActive()).toBe(t.clock.now());
  });

  it('SEC-25 GET and HEAD are 405 and change nothing', async () => {
    const t = await start();
    const before = await t.lastActive();
    t.clock.advance(2 * MINUTE);
    expect((await t.browser.get('/session/ping?idleFor=0')).status).toBe(405);
    expect((await t.browser.request('HEAD', '/session/ping')).status).toBe(405);
    expect(await t.lastActive()).toBe(before);
  });

  it('SEC-40 cross-site, foreign-origin, null-origin and token-less pings are 403', async () => {
    const t = await start();
    expect((await t.send({ idleFor: 0 }, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await t.send({ idleFor: 0 }, { 'sec-fetch-site': 'same-site' })).status).toBe(403);
    expect((await t.browser.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': t.csrf, 'sec-fetch-site': '', origin: 'null' } })).status).toBe(403);
    expect((await t.browser.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': t.csrf, 'sec-fetch-site': '', origin: 'https://evil.example' } })).status).toBe(403);
    expect((await t.browser.request('POST', '/session/ping', { json: { idleFor: 0 } })).status).toBe(403);
    expect((await t.browser.request('POST', '/session/ping', { body: 'idleFor=0', headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    expect(t.events.filter((event) => event.type === 'csrf-rejected').length).toBeGreaterThanOrEqual(5);
    expect((await t.send({ idleFor: 0 })).status).toBe(200);
  });

  it('"Sign out now": a ping with logout true ends the session with reason logout and clears the cookie; without the token it changes nothing', async () => {
    const t = await start();
    expect((await t.send({ logout: true }, { 'x-csrf-token': 'wrong' })).status).toBe(403);
    expect((await t.store.get(t.id))!.endedAt).toBeNull();
    const response = await t.send({ logout: true });
    expect([response.status, response.json()]).toEqual([401, { error: 'session_ended', reason: 'logout' }]);
    expect((await t.store.get(t.id))!.endReason).toBe('logout');
    expect(t.browser.session).toBeUndefined();
    expect(t.events.map((event) => event.type)).toContain('logout');
  });

  it('a ping without a session answers 401 JSON and stores nothing', async () => {
    const t = await start();
    const stranger = new Browser(t.browser.baseUrl, { accept: 'application/json' });
    const response = await stranger.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': t.csrf } });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'unauthenticated' });
    expect(stranger.session).toBeUndefined();
  });

  it('SEC-26 pings over the per-session limit get 429 with Retry-After and do not touch the session', async () => {
    const t = await start({ maxPingsPerMinute: 5 });
    for (let i = 0; i < 5; i += 1) expect((await t.send({})).status).toBe(200);
    const before = await t.lastActive();
    t.clock.advance(10 * SECOND);
    const refused = await t.send({ idleFor: 0 });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBe(50);
    expect(await t.lastActive()).toBe(before);
    t.clock.advance(50 * SECOND);
    expect((await t.send({ idleFor: 0 })).status).toBe(200);
  });

  it("routes mounted before the app's own leave those requests' bodies unread", async () => {
    const t = await start();
    const response = await t.browser.request('POST', '/echo', { body: 'name=alice', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.json()).toEqual({ name: 'alice' });
  });

  it('SEC-26 //session/ping and /session/ping are the same route', async () => {
    const t = await start();
    const response = await t.browser.request('POST', '//session/ping', { json: {}, headers: { 'x-csrf-token': t.csrf } });
    expect(response.status).toBe(200);
  });
});

describe('the served script', () => {
  it('is served under its content hash with long-lived caching; other hashes are 404', async () => {
    const t = await start();
    const response = await t.browser.get(t.ping.scriptUrl);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.text).toBe(clientCode);
    expect((await t.browser.get('/session/client.0000.js')).status).toBe(404);
  });

  it('clientScriptTag() renders a nonce-carrying module tag with the CSRF token, deadlines and translated strings', async () => {
    const t = await start();
    t.clock.advance(MINUTE);
    const tag = (await t.browser.get('/page')).text;
    expect(tag).toMatch(/^<script type="module" src="\/session\/client\.[A-Za-z0-9_-]+\.js" nonce="n0nce" data-sessionwarden /);
    expect(tag).toContain(`data-csrf="${t.csrf}"`);
    expect(tag).toContain('data-warn-before="30"');
    // The page request itself is activity (a minute passed, so it was written): a full idle period remains.
    expect(tag).toContain('data-idle-remaining="600"');
    expect(tag).toContain('data-absolute-remaining="3540"');
    expect(tag).toContain('data-expire-url="/login"');
    expect(tag).toContain('data-lang="de"');
    const strings = JSON.parse(/data-strings="([^"]*)"/.exec(tag)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&')) as Record<string, unknown>;
    // The dialog speaks the page's language, plural forms included, so the script can pick one with Intl.PluralRules.
    expect(strings).toEqual({
      warningTitle: 'Sind Sie noch da?',
      warningMessage: 'Sie werden in {time} abgemeldet, weil Sie inaktiv waren.',
      warningAnnounce: { one: 'Sie werden in {count} Sekunde abgemeldet.', other: 'Sie werden in {count} Sekunden abgemeldet.' },
      staySignedIn: 'Angemeldet bleiben',
      signOutNow: 'Jetzt abmelden',
      unsavedChanges: 'Sie haben nicht gespeicherte Änderungen.',
    });
    expect(tag).not.toContain(t.browser.session!.split('.')[1]!);
  });
});
