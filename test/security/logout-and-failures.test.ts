// Checklist F and K (SEC-28, SEC-30, SEC-46, SEC-47, SEC-48), N (SEC-54) and O (SEC-58): logout, failing closed, logs, data.
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden, type SessionEvent } from '../../src/index.js';
import { createExpressMiddleware } from '../../src/express/index.js';
import { csrfTokenFor, parseToken } from '../../src/core/token.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { fakeClock } from '../helpers/clock.js';
import { FailingStore } from '../helpers/failing-store.js';
import { Browser, listen } from '../helpers/http.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const json = { accept: 'application/json' };

async function csrfOf(harness: Harness, browser: Browser): Promise<string> {
  return csrfTokenFor((await harness.store.get(parseToken(browser.session!)!.id))!);
}

describe('logout', () => {
  it('SEC-28 logout ends the record, clears the cookie with the same attributes and Max-Age=0, and is idempotent', async () => {
    h = await startHarness({ store: sqliteStore({ path: ':memory:' }) });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    const copy = browser.session!;
    const response = await browser.post('/logout', { _csrf: await csrfOf(h, browser) });
    expect(response.status).toBe(303);
    expect(response.headers.get('clear-site-data')).toBe('"cookies"');
    expect(response.setCookies).toEqual(['__Host-sid=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0']);
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${copy}` })).json()).toEqual({ error: 'session_ended', reason: 'logout' });
    expect(await h.warden.listUserSessions('alice')).toEqual([]);
    const again = await h.browser(json).post('/logout', {}, { cookie: `__Host-sid=${copy}` });
    expect(again.status).toBe(303);
  });

  it('SEC-06 a copied cookie replayed after logout gives 401 (there is no cookie-only mode)', async () => {
    h = await startHarness();
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    const copy = browser.session!;
    await browser.post('/logout', { _csrf: await csrfOf(h, browser) });
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${copy}` })).status).toBe(401);
  });

  it('SEC-30 a slow request that changes data cannot resurrect a session logged out meanwhile', async () => {
    const clock = fakeClock();
    const warden = createWarden({ store: new FailingStore(), now: clock.now });
    const app = express();
    app.use(createExpressMiddleware(warden));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    app.post('/login', async (req, res) => {
      await req.sessionwarden.login('alice');
      res.json({ ok: true });
    });
    app.get('/slow', async (req, res) => {
      await gate;
      req.session.cart = ['late'];
      res.json({ ok: true });
    });
    app.post('/logout', async (req, res) => {
      await req.sessionwarden.logout();
      res.json({ ok: true });
    });
    const server = await listen(app);
    try {
      const browser = new Browser(server.url, json);
      await browser.post('/login');
      const cookie = browser.session!;
      const slow = fetch(`${server.url}/slow`, { headers: { cookie: `__Host-sid=${cookie}` } });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await browser.post('/logout');
      release();
      expect((await slow).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const record = await warden.store.get(parseToken(cookie)!.id);
      expect(record!.endReason).toBe('logout');
      expect(record!.data).toEqual({});
      expect(await warden.listUserSessions('alice')).toEqual([]);
    } finally {
      await server.close();
    }
  });
});

describe('revocation', () => {
  it('SEC-29 a session revoked through one node is refused at once by another node on the same store', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'sw-nodes-'));
    const path = join(dir, 'shared.sqlite');
    const nodeA = await startHarness({ store: sqliteStore({ path }) });
    const nodeB = await startHarness({ store: sqliteStore({ path }) });
    try {
      const browser = nodeA.browser(json);
      await browser.post('/test/login', { user: 'alice' });
      const cookie = { cookie: `__Host-sid=${browser.session}` };
      expect((await nodeB.browser(json).get('/me', cookie)).status).toBe(200);
      await nodeA.warden.revokeSession(parseToken(browser.session!)!.id);
      const response = await nodeB.browser(json).get('/me', cookie);
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ error: 'session_ended', reason: 'revoked' });
    } finally {
      await nodeA.close();
      await nodeB.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("SEC-31 revokeUserSessions() ends every session of a user, or all but the current one", async () => {
    h = await startHarness();
    const browsers = [h.browser(json), h.browser(json), h.browser(json)];
    for (const browser of browsers) await browser.post('/test/login', { user: 'alice' });
    const keep = parseToken(browsers[0]!.session!)!.id;
    const ended = await h.warden.revokeUserSessions('alice', { exceptId: keep, actor: 'alice' });
    expect(ended).toHaveLength(2);
    expect((await browsers[0]!.get('/me')).status).toBe(200);
    for (const browser of browsers.slice(1)) expect((await browser.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'revoked' });
    await h.warden.revokeUserSessions('alice', { reason: 'revoked-by-admin', actor: 'admin' });
    expect((await browsers[0]!.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
    expect(h.events.filter((event) => event.type === 'revoked').map((event) => event.actor)).toEqual(['alice', 'alice', 'admin']);
  });

  it('SEC-32 revoking a missing, empty or unknown id reports nothing ended', async () => {
    h = await startHarness();
    for (const id of ['', 'x', 'A'.repeat(22)]) expect(await h.warden.revokeSession(id)).toBeNull();
  });
});

describe('store failures', () => {
  it('SEC-46 a store read that throws gives 503 with Retry-After, no user data and no clearing cookie; recovery gives 200', async () => {
    const store = new FailingStore();
    h = await startHarness({ store });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    store.fail('get', 'throw');
    const response = await browser.get('/me');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.text).not.toContain('alice');
    expect(response.setCookies).toEqual([]);
    expect(h.events.map((event) => event.type)).toContain('store-error');
    store.heal();
    expect((await browser.get('/me')).status).toBe(200);
  });

  it('SEC-46 a store read that never answers gives 503 after storeTimeout', async () => {
    const store = new FailingStore();
    h = await startHarness({ store, storeTimeout: 150 });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    store.fail('get', 'hang');
    const started = performance.now();
    const response = await browser.get('/me');
    expect(response.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(150 + 1000);
  });

  it('SEC-46 cookie-less requests never touch the store', async () => {
    const store = new FailingStore();
    h = await startHarness({ store });
    store.fail('get', 'throw');
    expect((await h.browser(json).get('/public')).status).toBe(200);
    expect((await h.browser(json).get('/me')).status).toBe(401);
    expect(store.calls).toEqual([]);
  });

  it('SEC-47 a logout whose write fails answers 5xx, still clears the cookie, reports it, and the record is still there', async () => {
    const store = new FailingStore();
    h = await startHarness({ store });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    const id = parseToken(browser.session!)!.id;
    const csrf = await csrfOf(h, browser);
    store.fail('end', 'throw');
    h.events.length = 0;
    const response = await browser.post('/logout', { _csrf: csrf });
    expect(response.status).toBeGreaterThanOrEqual(500);
    expect(response.setCookies.some((header) => header.includes('Max-Age=0'))).toBe(true);
    expect((await store.inner.get(id))!.endedAt).toBeNull();
  });

  it('SEC-47 a login whose limit check or insert fails answers 503 and issues no cookie', async () => {
    const store = new FailingStore();
    h = await startHarness({ store, limit: { max: 2 } });
    store.fail('create', 'throw');
    const browser = h.browser(json);
    const response = await browser.post('/test/login', { user: 'alice' });
    expect(response.status).toBe(503);
    expect(response.setCookies).toEqual([]);
    expect(h.events.some((event) => event.type === 'store-error')).toBe(true);
  });

  it('SEC-47 a failing activity write lets the read-authorised request through and is reported', async () => {
    const store = new FailingStore();
    h = await startHarness({ store, touchInterval: 0 });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    store.fail('touch', 'throw');
    h.events.length = 0;
    h.clock.advance(1000);
    expect((await browser.get('/me')).status).toBe(200);
    expect(h.events.map((event) => event.type)).toEqual(['store-error']);
  });
});

describe('logs and data', () => {
  it('SEC-54 events never carry a token, a secret or a hash in any encoding', async () => {
    const store = new FailingStore();
    h = await startHarness({ store, idleTimeout: '10m', touchInterval: 0 });
    const tokens: string[] = [];
    for (const user of ['alice', 'bob']) {
      const browser = h.browser(json);
      await browser.post('/test/login', { user });
      tokens.push(browser.session!);
      await browser.post('/test/rotate');
      tokens.push(browser.session!);
      await browser.get('/me');
      store.fail('get', 'throw');
      await browser.get('/me');
      store.heal();
      await browser.post('/logout', { _csrf: await csrfOf(h, browser) });
    }
    h.clock.advance(11 * 60_000);
    const log = JSON.stringify(h.events);
    expect(h.events.length).toBeGreaterThan(5);
    for (const token of tokens) {
      const secret = token.split('.')[1]!;
      for (const form of [token, secret, encodeURIComponent(token), Buffer.from(secret, 'base64url').toString('hex'), Buffer.from(secret, 'base64url').toString('base64')]) {
        expect(log).not.toContain(form);
      }
    }
    expect(log).not.toContain('secretHash');
  });

  it('SEC-58 prototype keys written into a record never reach the app', async () => {
    h = await startHarness({ store: sqliteStore({ path: ':memory:' }) });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    const id = parseToken(browser.session!)!.id;
    const store = h.store as ReturnType<typeof sqliteStore>;
    store.database.prepare('UPDATE sessionwarden_sessions SET data = ? WHERE id = ?').run('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"ok":1}', id);
    const data = (await browser.get('/session-data')).json<Record<string, unknown>>();
    expect(data).toEqual({ ok: 1 });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('SEC-45 session data over dataMaxBytes is refused and the store keeps the previous data', async () => {
    const events: SessionEvent[] = [];
    h = await startHarness({ dataMaxBytes: 8192, onEvent: (event) => events.push(event) });
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    await browser.request('POST', '/session-data', { json: { small: 1 } });
    await browser.request('POST', '/session-data', { json: { big: 'x'.repeat(9 * 1024) } });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const record = await h.store.get(parseToken(browser.session!)!.id);
    expect(record!.data).toEqual({ small: 1 });
    expect(events.map((event) => event.type)).toContain('store-error');
  });

  it('SEC-45 requests without a session never create records', async () => {
    const store = new FailingStore();
    h = await startHarness({ store });
    for (let i = 0; i < 50; i += 1) {
      await h.browser(json).get('/me');
      await h.browser(json).get('/public');
      await h.browser(json).post('/logout', {});
      await h.browser(json).request('POST', '/session/ping', { json: { idleFor: 0 } });
    }
    expect(store.calls.filter((call) => call === 'create')).toEqual([]);
  });
});
