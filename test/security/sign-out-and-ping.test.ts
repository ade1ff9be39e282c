// F8 (SEC-28): the library's own sign-out routes send Clear-Site-Data. F9 (SEC-24): a malformed idleFor is a 400 that
// changes nothing. F13: a session that ends while its ping is in flight is reported with the reason the store holds.
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden, type SessionStore } from '../../src/index.js';
import { csrfTokenFor, parseToken } from '../../src/core/token.js';
import { createExpressMiddleware, expressRoutes } from '../../src/express/index.js';
import { pingRoutes, sessionRoutes } from '../../src/pages/index.js';
import type { SessionRoutesOptions } from '../../src/http/sessions/routes.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { Browser, listen, type TestServer } from '../helpers/http.js';

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

/** A memory store whose activity writes wait for `beforeTouch` (another request can act in between). */
function gatedStore(): { store: SessionStore; inner: SessionStore; gate: { beforeTouch: (() => Promise<void>) | null } } {
  const inner = memoryStore();
  const gate: { beforeTouch: (() => Promise<void>) | null } = { beforeTouch: null };
  const store = new Proxy(inner, {
    get(target, key) {
      if (key === 'touch') {
        return async (id: string, at: number) => {
          if (gate.beforeTouch !== null) await gate.beforeTouch();
          return target.touch(id, at);
        };
      }
      const value = (target as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { store, inner, gate };
}

async function start(options: { store?: SessionStore; sessions?: Partial<SessionRoutesOptions>; clearSiteData?: string | false } = {}) {
  const store = options.store ?? memoryStore();
  const warden = createWarden({ store, touchInterval: '1h' });
  const app = express();
  app.use(createExpressMiddleware(warden));
  app.post('/test/login/:user', async (req, res) => {
    await req.sessionwarden.login(req.params.user);
    res.json({ ok: true });
  });
  app.use(expressRoutes(pingRoutes(warden, { base: '/session', ...(options.clearSiteData === undefined ? {} : { clearSiteData: options.clearSiteData }) })));
  app.use(expressRoutes(sessionRoutes(warden, { base: '/account/sessions', ...options.sessions })));
  server = await listen(app);
  const signIn = async (user: string) => {
    const browser = new Browser(server!.url, { accept: 'application/json' });
    await browser.post(`/test/login/${user}`);
    const id = parseToken(browser.session!)!.id;
    const csrf = csrfTokenFor((await store.get(id))!);
    return { browser, id, csrf };
  };
  return { warden, store, signIn };
}

describe('Clear-Site-Data on the library\'s sign-out routes (F8)', () => {
  it('SEC-28 signing out on the session page sends Clear-Site-Data "cookies", "storage" (HTML and JSON), from the library itself', async () => {
    const t = await start();
    const html = await t.signIn('alice');
    const page = await html.browser.request('POST', `/account/sessions/${html.id}/revoke`, { headers: { accept: 'text/html', 'x-csrf-token': html.csrf } });
    expect(page.status).toBe(303);
    expect(page.headers.get('clear-site-data')).toBe('"cookies", "storage"');
    const api = await t.signIn('alice');
    const answer = await api.browser.request('DELETE', `/account/sessions/${api.id}`, { headers: { 'x-csrf-token': api.csrf } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('clear-site-data')).toBe('"cookies", "storage"');
    // Ending another session is not a sign-out of this browser: nothing to clear.
    const one = await t.signIn('bob');
    const two = await t.signIn('bob');
    const other = await one.browser.request('POST', `/account/sessions/${two.id}/revoke`, { headers: { 'x-csrf-token': one.csrf } });
    expect(other.status).toBe(200);
    expect(other.headers.get('clear-site-data')).toBeNull();
  });

  it('SEC-28 "Sign out now" from the warning (ping { logout: true }) sends it too; clearSiteData: false sends none', async () => {
    const t = await start();
    const s = await t.signIn('alice');
    const response = await s.browser.request('POST', '/session/ping', { json: { logout: true }, headers: { 'x-csrf-token': s.csrf } });
    expect(response.status).toBe(401);
    expect(response.headers.get('clear-site-data')).toBe('"cookies", "storage"');
    await server!.close();
    const off = await start({ sessions: { clearSiteData: false }, clearSiteData: false });
    const a = await off.signIn('alice');
    expect((await a.browser.request('POST', `/account/sessions/${a.id}/revoke`, { headers: { 'x-csrf-token': a.csrf } })).headers.get('clear-site-data')).toBeNull();
    const b = await off.signIn('alice');
    expect((await b.browser.request('POST', '/session/ping', { json: { logout: true }, headers: { 'x-csrf-token': b.csrf } })).headers.get('clear-site-data')).toBeNull();
  });
});

describe('malformed idleFor (F9)', () => {
  it('SEC-24 idleFor of -5, "x", 1e308, null, "0", [0], {}, true is a 400 JSON error and changes nothing; absent is a 200', async () => {
    const t = await start();
    const s = await t.signIn('alice');
    const before = (await t.store.get(s.id))!.lastActiveAt;
    for (const idleFor of [-5, 'x', 1e308, null, '0', [0], {}, true, 1e12]) {
      const response = await s.browser.request('POST', '/session/ping', { json: { idleFor }, headers: { 'x-csrf-token': s.csrf } });
      expect([JSON.stringify(idleFor), response.status, response.json()]).toEqual([JSON.stringify(idleFor), 400, { error: 'bad_request', field: 'idleFor' }]);
      expect((await t.store.get(s.id))!.lastActiveAt).toBe(before);
    }
    expect((await s.browser.request('POST', '/session/ping', { json: {}, headers: { 'x-csrf-token': s.csrf } })).status).toBe(200);
    expect((await s.browser.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': s.csrf } })).status).toBe(200);
  });
});

describe('the end reason after a ping race (F13)', () => {
  it('a session evicted (replaced) while its ping is in flight is reported as replaced, one logged out as logout', async () => {
    for (const reason of ['replaced', 'logout', 'revoked-by-admin'] as const) {
      const gated = gatedStore();
      const t = await start({ store: gated.store });
      const s = await t.signIn('alice');
      gated.gate.beforeTouch = async () => {
        gated.gate.beforeTouch = null;
        await gated.inner.end(s.id, reason, Date.now());
      };
      const response = await s.browser.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': s.csrf } });
      expect([reason, response.status, response.json()]).toEqual([reason, 401, { error: 'session_ended', reason }]);
      await server!.close();
      server = null;
    }
  });
});
