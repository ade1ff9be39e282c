// One behaviour spec, every framework: the HTTP scenarios of sessions (login, logout, rotation, timeouts, end reasons,
// the limit, the pages and their CSRF rules, the ping, failing closed, bad input, read-your-writes) against Express,
// Fastify and Hono, each on a real server.
import { expect, it } from 'vitest';
import { csrfTokenFor, parseToken } from '../../src/core/token.js';
import { FailingStore } from '../helpers/failing-store.js';
import { HOUR, MINUTE, SECOND } from '../helpers/clock.js';
import { parseSetCookie, type Browser } from '../helpers/http.js';
import { ADMIN, APP_NOT_FOUND, describeMatrix, SESSIONS, type MatrixApp } from './apps.js';

const JSON_ACCEPT = { accept: 'application/json' };
const HTML = { accept: 'text/html,application/xhtml+xml' };

function idOf(browser: Browser): string {
  return parseToken(browser.session!)!.id;
}

async function csrfOf(app: MatrixApp, browser: Browser): Promise<string> {
  const record = await app.store.get(idOf(browser));
  return csrfTokenFor(record!);
}

describeMatrix('sign-in and sign-out', (env) => {
  it('login sets a hardened __Host- cookie that no shared cache keeps, and the next request is signed in', async () => {
    const app = await env.start();
    const browser = app.browser(JSON_ACCEPT);
    const login = await browser.request('POST', '/test/login', { json: { user: 'alice' } });
    expect(login.status).toBe(200);
    expect(login.setCookies).toHaveLength(1);
    const cookie = parseSetCookie(login.setCookies[0]!);
    expect(cookie.name).toBe('__Host-sid');
    expect(cookie.attributes).toMatchObject({ path: '/', httponly: true, samesite: 'Lax', secure: true });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const me = await browser.get('/me');
    expect(me.status).toBe(200);
    expect(me.json()).toEqual({ user: 'alice', id: idOf(browser) });
    // A request that changes nothing sends no cookie.
    expect(me.setCookies).toEqual([]);
  });

  it('logout ends the record, clears the cookie, and the old cookie is told why', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const stolen = browser.session!;
    const logout = await browser.request('POST', '/logout', { headers: { 'x-csrf-token': await csrfOf(app, browser) } });
    expect(logout.status).toBe(303);
    expect(logout.headers.get('location')).toBe('/login');
    expect(logout.setCookies.some((header) => header.startsWith('__Host-sid=;') && header.includes('Max-Age=0'))).toBe(true);
    expect(browser.session).toBeUndefined();
    expect((await app.store.get(stolen.split('.')[0]!))?.endReason).toBe('logout');
    const replay = await app.browser(JSON_ACCEPT).get('/me', { cookie: `__Host-sid=${stolen}` });
    expect(replay.status).toBe(401);
    expect(replay.json()).toEqual({ error: 'session_ended', reason: 'logout' });
  });

  it('rotation issues a new cookie; the old one no longer signs in', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const before = browser.session!;
    const rotated = await browser.post('/test/rotate');
    expect(rotated.status).toBe(200);
    expect(browser.session).not.toBe(before);
    expect((await browser.get('/me')).json()).toMatchObject({ user: 'alice' });
    const old = await app.browser(JSON_ACCEPT).get('/me', { cookie: `__Host-sid=${before}` });
    expect(old.status).toBe(401);
    expect(app.events.some((event) => event.type === 'rotated')).toBe(true);
  });

  it('a login while signed in rotates the id (fixation defence)', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const first = idOf(browser);
    await browser.request('POST', '/test/login', { json: { user: 'alice' } });
    expect(idOf(browser)).not.toBe(first);
  });
});

describeMatrix('timeouts and end reasons', (env) => {
  it('idle timeout: 401 session_ended idle for fetch, the cookie cleared, the record ended', async () => {
    const app = await env.start({ idleTimeout: '10m' });
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const id = idOf(browser);
    app.clock.advance(10 * MINUTE + SECOND);
    const response = await browser.get('/me');
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'idle' });
    expect(response.setCookies.some((header) => header.includes('Max-Age=0'))).toBe(true);
    expect((await app.store.get(id))?.endReason).toBe('idle');
  });

  it('activity within the idle timeout keeps the session; the absolute timeout ends it anyway', async () => {
    const app = await env.start({ idleTimeout: '10m', absoluteTimeout: '1h', touchInterval: '1m' });
    const browser = await app.signIn('alice', JSON_ACCEPT);
    for (let i = 0; i < 6; i += 1) {
      app.clock.advance(9 * MINUTE);
      expect((await browser.get('/me')).status).toBe(200);
    }
    app.clock.advance(7 * MINUTE);
    const response = await browser.get('/me');
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'expired' });
  });

  it('an HTML navigation after a timeout is sent to the login page with the reason', async () => {
    const app = await env.start({ idleTimeout: '10m' });
    const browser = await app.signIn('alice', HTML);
    app.clock.advance(11 * MINUTE);
    const response = await browser.get('/me');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/login?reason=idle');
  });

  it('a session revoked by an admin tells its browser so', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    await app.warden.revokeSession(idOf(browser), { reason: 'revoked-by-admin', actor: 'admin' });
    expect((await browser.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
  });

  it('requireFreshAuth: a stale sign-in gets 403 JSON or a 303 to the password step, a fresh one passes', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    expect((await browser.get('/fresh')).status).toBe(200);
    app.clock.advance(6 * MINUTE);
    const stale = await browser.get('/fresh');
    expect(stale.status).toBe(403);
    expect(stale.json()).toEqual({ error: 'reauthentication_required', reauthUrl: '/reauthenticate' });
    const page = await browser.get('/fresh', HTML);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/reauthenticate?returnTo=%2Ffresh');
    await browser.post('/test/reauthenticate');
    expect((await browser.get('/fresh')).status).toBe(200);
    expect((await app.browser(JSON_ACCEPT).get('/fresh')).json()).toEqual({ error: 'unauthenticated' });
  });
});

describeMatrix('the session limit', (env) => {
  it('reject: the second login is refused with 409 and Retry-After; evict-oldest: the first session ends as replaced', async () => {
    const strict = await env.start({ limit: { max: 1, onExceed: 'reject', lockSeconds: 60 } });
    await strict.signIn('alice');
    const refused = await strict.browser(JSON_ACCEPT).request('POST', '/test/login', { json: { user: 'alice' } });
    expect(refused.status).toBe(409);
    expect(refused.json()).toMatchObject({ error: 'session_limit' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.setCookies).toEqual([]);

    const evicting = await env.start({ limit: { max: 1, onExceed: 'evict-oldest', lockSeconds: 0 } });
    const first = await evicting.signIn('alice', JSON_ACCEPT);
    await evicting.signIn('alice', JSON_ACCEPT);
    expect((await first.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'replaced' });
  });

  it('concurrent logins never exceed the limit', async () => {
    const app = await env.start({ limit: { max: 2, onExceed: 'reject', lockSeconds: 60 } });
    const results = await Promise.all(Array.from({ length: 8 }, () => app.browser(JSON_ACCEPT).request('POST', '/test/login', { json: { user: 'alice' } })));
    expect(results.filter((response) => response.status === 200)).toHaveLength(2);
    expect(results.filter((response) => response.status === 409)).toHaveLength(6);
    expect(await app.warden.listUserSessions('alice')).toHaveLength(2);
  });
});

describeMatrix('CSRF rules', (env) => {
  it('a state change is refused cross-site, and without the session token; accepted with it (header or form field)', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const crossSite = await browser.request('POST', '/logout', { headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'x-csrf-token': await csrfOf(app, browser) } });
    expect(crossSite.status).toBe(403);
    expect(crossSite.json()).toEqual({ error: 'csrf', reason: 'cross-site' });
    const noToken = await browser.post('/logout');
    expect(noToken.status).toBe(403);
    const wrong = await browser.post('/logout', { _csrf: 'x'.repeat(43) });
    expect(wrong.status).toBe(403);
    expect((await browser.get('/me')).status).toBe(200);
    const form = await browser.post('/logout', { _csrf: await csrfOf(app, browser) });
    expect(form.status).toBe(303);
    expect(app.events.filter((event) => event.type === 'csrf-rejected').map((event) => event.reason)).toEqual(['cross-site', 'missing-token', 'bad-token']);
  });
});

describeMatrix('login CSRF (no session yet)', (env) => {
  it('SEC-40 fails closed: no Origin, Fetch Metadata or token is refused; the form\'s pre-session token or same-origin evidence is accepted', async () => {
    const app = await env.start();
    // A client that sends none of the headers a browser would (empty values count as absent).
    const noEvidence = { 'sec-fetch-site': '', origin: '' };
    const post = (browser: ReturnType<typeof app.browser>, body: Record<string, string>, headers: Record<string, string> = noEvidence) => browser.request('POST', '/test/form-login', { body, headers });
    const bare = await post(app.browser(), {});
    expect([bare.status, bare.json()]).toEqual([403, { error: 'csrf', reason: 'missing-token' }]);
    const forged = await post(app.browser(), { _csrf: 'x'.repeat(43) });
    expect([forged.status, forged.json()]).toEqual([403, { error: 'csrf', reason: 'bad-token' }]);
    // The sign-in form: its token and its cookie (HttpOnly, __Host- when Secure) go together.
    const browser = app.browser();
    const form = await browser.get('/test/form');
    expect(form.setCookies.map((cookie) => cookie.split('=')[0])).toEqual(['__Host-sw-csrf']);
    const { csrf } = form.json() as { csrf: string };
    expect((await post(browser, { _csrf: csrf })).status).toBe(200);
    // The token without its cookie (another browser) proves nothing.
    expect((await post(app.browser(), { _csrf: csrf })).status).toBe(403);
    // A same-origin browser request needs no token; a cross-site one is refused even with it.
    expect((await post(app.browser(), {}, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect((await post(app.browser(), { _csrf: csrf }, { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' })).status).toBe(403);
  });
});

describeMatrix('session pages', (env) => {
  it('lists the own sessions (page and JSON) and ends another one by form with its CSRF token', async () => {
    const app = await env.start();
    const laptop = await app.signIn('alice', HTML);
    const phone = await app.signIn('alice', JSON_ACCEPT);
    const page = await laptop.get(SESSIONS);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    expect(token).toBeDefined();
    const list = await laptop.get(SESSIONS, JSON_ACCEPT);
    expect((list.json() as { sessions: unknown[] }).sessions).toHaveLength(2);
    const withoutToken = await laptop.post(`${SESSIONS}/${idOf(phone)}/revoke`, {});
    expect(withoutToken.status).toBe(403);
    const ended = await laptop.post(`${SESSIONS}/${idOf(phone)}/revoke`, { _csrf: token! });
    expect(ended.status).toBe(303);
    expect((await phone.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'revoked' });
    expect((await laptop.get('/me', JSON_ACCEPT)).status).toBe(200);
  });

  it('an unknown or foreign id gets the same 404; the admin view is the app 404 for non-admins and lists for admins', async () => {
    const app = await env.start();
    const alice = await app.signIn('alice', JSON_ACCEPT);
    const bob = await app.signIn('bob', JSON_ACCEPT);
    const foreign = await alice.request('DELETE', `${SESSIONS}/${idOf(bob)}`, { headers: { 'x-csrf-token': await csrfOf(app, alice) } });
    const unknown = await alice.request('DELETE', `${SESSIONS}/${'A'.repeat(22)}`, { headers: { 'x-csrf-token': await csrfOf(app, alice) } });
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe(unknown.text);
    const notAdmin = await alice.get(ADMIN);
    expect(notAdmin.status).toBe(404);
    expect(notAdmin.text).toBe(APP_NOT_FOUND);
    const admin = await app.signIn('admin', JSON_ACCEPT);
    const view = await admin.get(ADMIN);
    expect(view.status).toBe(200);
    expect(view.text).toContain(idOf(bob));
  });

  it('ending the other sessions needs a recent sign-in: a stale one is sent to the password step, never acted on by GET', async () => {
    const app = await env.start();
    const laptop = await app.signIn('alice', HTML);
    const phone = await app.signIn('alice', JSON_ACCEPT);
    app.clock.advance(11 * MINUTE);
    const confirm = await laptop.get(`${SESSIONS}/end-others`);
    expect(confirm.status).toBe(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(confirm.text)?.[1];
    expect((await phone.get('/me')).status).toBe(200);
    const stale = await laptop.post(`${SESSIONS}/revoke-others`, { _csrf: token! });
    expect(stale.status).toBe(303);
    expect(stale.headers.get('location')).toBe(`/reauthenticate?returnTo=${encodeURIComponent(`${SESSIONS}/end-others`)}`);
    expect((await phone.get('/me')).status).toBe(200);
    await laptop.post('/test/reauthenticate');
    const fresh = await laptop.post(`${SESSIONS}/revoke-others`, { _csrf: await csrfOf(app, laptop) });
    expect(fresh.status).toBe(303);
    expect((await phone.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'revoked' });
  });

  it('the pages send a signed-out browser to the login page and answer fetch with 401', async () => {
    const app = await env.start();
    const page = await app.browser(HTML).get(SESSIONS);
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?returnTo=%2Faccount%2Fsessions');
    expect((await app.browser(JSON_ACCEPT).get(SESSIONS)).json()).toEqual({ error: 'unauthenticated' });
  });
});

describeMatrix('the activity ping and the client script', (env) => {
  it('a ping reports the timing without counting as activity, refuses a missing token, and tells an ended session', async () => {
    const app = await env.start({ idleTimeout: '10m', touchInterval: 0 });
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const id = idOf(browser);
    const before = (await app.store.get(id))!.lastActiveAt;
    app.clock.advance(2 * MINUTE);
    const reply = await browser.request('POST', '/session/ping', { json: {}, headers: { 'x-csrf-token': await csrfOf(app, browser) } });
    expect(reply.status).toBe(200);
    expect(reply.json()).toMatchObject({ idleSeconds: 120, idleRemaining: 480 });
    expect((await app.store.get(id))!.lastActiveAt).toBe(before);
    const reported = await browser.request('POST', '/session/ping', { json: { idleFor: 30 }, headers: { 'x-csrf-token': await csrfOf(app, browser) } });
    expect(reported.json()).toMatchObject({ idleSeconds: 30 });
    expect((await browser.request('POST', '/session/ping', { json: { idleFor: 1 } })).status).toBe(403);
    app.clock.advance(11 * MINUTE);
    const ended = await browser.request('POST', '/session/ping', { json: {} });
    expect(ended.status).toBe(401);
    expect(ended.json()).toEqual({ error: 'session_ended', reason: 'idle' });
    expect((await browser.get('/session/ping')).status).toBe(405);
  });

  it('serves the client script by its hashed name, immutable', async () => {
    const app = await env.start();
    const { pingRoutes } = await import('../../src/pages/index.js');
    const { scriptUrl } = pingRoutes(app.warden, { base: '/session' });
    const script = await app.browser().get(scriptUrl);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('cache-control')).toContain('immutable');
    expect((await app.browser(JSON_ACCEPT).get('/session/client.old.js')).status).toBe(404);
  });
});

describeMatrix('failing closed on store errors', (env) => {
  it('a store that fails on read answers 503 with Retry-After and never runs the route', async () => {
    const store = new FailingStore();
    const app = await env.start({ store, storeTimeout: '200ms' });
    const browser = await app.signIn('alice', JSON_ACCEPT);
    store.fail('get');
    const response = await browser.get('/me');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.json()).toEqual({ error: 'session_store_unavailable' });
    const page = await browser.get('/public', HTML);
    expect(page.status).toBe(503);
    expect(page.text).not.toContain('"ok"');
    store.fail('get', 'hang');
    expect((await browser.get('/me')).status).toBe(503);
    store.heal();
    expect((await browser.get('/me')).status).toBe(200);
  });

  it('a save that fails at the end of the request fails the response (503), never a silent success', async () => {
    const store = new FailingStore();
    const app = await env.start({ store });
    const browser = await app.signIn('alice', JSON_ACCEPT);
    store.fail('update');
    const response = await browser.request('POST', '/session-data', { json: { cart: 'book' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.text).not.toContain('"ok"');
    store.heal();
    expect((await browser.get('/session-data')).json()).toEqual({});
  });

  it('a new visitor whose first save fails gets no cookie', async () => {
    const store = new FailingStore();
    const app = await env.start({ store });
    store.fail('create');
    const response = await app.browser(JSON_ACCEPT).request('POST', '/session-data', { json: { cart: 'book' } });
    expect(response.status).toBe(503);
    expect(response.setCookies.filter((header) => !header.includes('Max-Age=0'))).toEqual([]);
  });
});

describeMatrix('bad input', (env) => {
  it('a malformed, unknown or duplicated cookie is no session, and is cleared', async () => {
    const app = await env.start();
    const signedIn = await app.signIn('alice', JSON_ACCEPT);
    for (const cookie of ['__Host-sid=garbage', `__Host-sid=${'A'.repeat(22)}.${'B'.repeat(43)}`, `__Host-sid=${signedIn.session}; __Host-sid=${signedIn.session}`]) {
      const response = await app.browser(JSON_ACCEPT).get('/me', { cookie });
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthenticated' });
      expect(response.setCookies.some((header) => header.startsWith('__Host-sid=;') && header.includes('Max-Age=0'))).toBe(true);
    }
    expect(app.events.map((event) => event.type)).toEqual(expect.arrayContaining(['invalid-token', 'cookie-anomaly']));
  });

  it('a look-alike cookie name is not the session cookie', async () => {
    const app = await env.start();
    const signedIn = await app.signIn('alice', JSON_ACCEPT);
    const response = await app.browser(JSON_ACCEPT).get('/me', { cookie: `__host-sid=${signedIn.session}` });
    expect(response.status).toBe(401);
  });

  it('a body over the routes\' limit gets 413; a malformed JSON body a validation answer, never a crash', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const token = await csrfOf(app, browser);
    const big = await browser.request('POST', `${SESSIONS}/revoke-others`, { body: `_csrf=${token}&pad=${'x'.repeat(10_000)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(big.status).toBe(413);
    const malformed = await browser.request('POST', '/session/ping', { body: '{"idleFor":', headers: { 'content-type': 'application/json', 'x-csrf-token': token } });
    expect(malformed.status).toBe(200);
    expect((await browser.get('/me')).status).toBe(200);
  });
});

describeMatrix('data and read-your-writes', (env) => {
  it('data written through the framework\'s session object is stored before the response arrives', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const written = await browser.request('POST', '/session-data', { json: { theme: 'dark' } });
    expect(written.status).toBe(200);
    // No wait: the save landed before the response was sent.
    expect((await app.store.get(idOf(browser)))!.data).toMatchObject({ theme: 'dark' });
    expect((await browser.get('/session-data')).json()).toEqual({ theme: 'dark' });
  });

  it('a new visitor gets a cookie only once something is stored, and reads it back', async () => {
    const app = await env.start();
    const visitor = app.browser(JSON_ACCEPT);
    const read = await visitor.get('/session-data');
    expect(read.setCookies).toEqual([]);
    const written = await visitor.request('POST', '/session-data', { json: { cart: 'book' } });
    expect(written.setCookies).toHaveLength(1);
    expect((await app.store.get(idOf(visitor)))!.data).toEqual({ cart: 'book' });
    expect((await visitor.get('/session-data')).json()).toEqual({ cart: 'book' });
    // Anonymous data survives the login, as keepOnLogin says.
    await visitor.request('POST', '/test/login', { json: { user: 'alice' } });
    expect((await visitor.get('/me')).json()).toMatchObject({ user: 'alice' });
  });

  it('an ended session is never brought back by a late write', async () => {
    const app = await env.start();
    const browser = await app.signIn('alice', JSON_ACCEPT);
    const id = idOf(browser);
    await app.warden.revokeSession(id, { reason: 'revoked' });
    const response = await browser.request('POST', '/session-data', { json: { after: 'end' } });
    expect((await app.store.get(id))!.endedAt).not.toBeNull();
    // The request had no session; its write starts a new anonymous one, never the ended record.
    expect(response.status).toBe(200);
    expect(idOf(browser)).not.toBe(id);
    app.clock.advance(HOUR);
  });
});
