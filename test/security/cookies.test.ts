// Checklist B (SEC-07..13): cookie attributes, parsing and caching.
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWarden, SessionConfigError } from '../../src/index.js';
import { readSessionCookie, serializeSessionCookie } from '../../src/core/cookie.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { HOUR, MINUTE, SECOND } from '../helpers/clock.js';
import { parseSetCookie, type TestResponse } from '../helpers/http.js';
import { startHarness, type Harness } from '../helpers/harness.js';

function assertSessionCookie(header: string): void {
  const cookie = parseSetCookie(header);
  expect(cookie.name).toMatch(/^__Host-/);
  expect(cookie.attributes.secure).toBe(true);
  expect(cookie.attributes.httponly).toBe(true);
  expect(cookie.attributes.path).toBe('/');
  expect(cookie.attributes.domain).toBeUndefined();
  expect(['Lax', 'Strict']).toContain(cookie.attributes.samesite);
}

function sessionCookies(response: TestResponse): string[] {
  return response.setCookies.filter((header) => header.startsWith('__Host-sid='));
}

describe('cookies over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ idleTimeout: '10m', absoluteTimeout: '1h' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('SEC-07 every session Set-Cookie (login, rotation, logout, expiry) is __Host-, Secure, HttpOnly, Path=/, SameSite, no Domain', async () => {
    const browser = h.browser();
    const headers: string[] = [];
    headers.push(...sessionCookies(await browser.post('/test/login', { user: 'alice' })));
    headers.push(...sessionCookies(await browser.post('/test/rotate')));
    const csrf = h.warden; // logout needs the CSRF token of the current session
    const record = await csrf.store.get(browser.session!.slice(0, 22));
    const { csrfTokenFor } = await import('../../src/core/token.js');
    headers.push(...sessionCookies(await browser.post('/logout', { _csrf: csrfTokenFor(record!) })));
    const expiring = h.browser();
    await expiring.post('/test/login', { user: 'bob' });
    h.clock.advance(11 * MINUTE);
    headers.push(...sessionCookies(await expiring.get('/me', { accept: 'application/json' })));
    expect(headers).toHaveLength(4);
    headers.forEach(assertSessionCookie);
  });

  it('SEC-08 Secure never depends on X-Forwarded-Proto', async () => {
    for (const proto of [undefined, 'http', 'https']) {
      const browser = h.browser(proto ? { 'x-forwarded-proto': proto } : {});
      const response = await browser.post('/test/login', { user: 'alice' });
      expect(parseSetCookie(sessionCookies(response)[0]!).attributes.secure).toBe(true);
    }
  });

  it('SEC-09 the cookie has no Max-Age or Expires by default, and replaying it after expiry gives 401', async () => {
    const browser = h.browser();
    const response = await browser.post('/test/login', { user: 'alice' });
    const cookie = parseSetCookie(sessionCookies(response)[0]!);
    expect(cookie.attributes['max-age']).toBeUndefined();
    expect(cookie.attributes.expires).toBeUndefined();
    h.clock.advance(HOUR + SECOND);
    expect((await browser.get('/me', { accept: 'application/json', cookie: `__Host-sid=${cookie.value}` })).status).toBe(401);
  });

  it('SEC-10 session ids in the query, a body field or a custom header are ignored', async () => {
    const owner = h.browser();
    await owner.post('/test/login', { user: 'alice' });
    const token = owner.session!;
    const stranger = h.browser({ accept: 'application/json' });
    expect((await stranger.get(`/me?sid=${token}`)).status).toBe(401);
    expect((await stranger.get('/me', { 'x-session-id': token })).status).toBe(401);
    expect((await stranger.post('/me', { sid: token, '__Host-sid': token })).status).toBe(401);
  });

  it('SEC-11 a 20 KB Cookie header is answered without a 500 or a hang, and the session is ignored', async () => {
    const huge = `a=${'x'.repeat(20_000)}`;
    const response = await fetch(`${h.url}/me`, { headers: { cookie: huge, accept: 'application/json' } });
    expect([400, 401, 431]).toContain(response.status);
  });

  it('SEC-12 look-alike names, nameless cookies and duplicates are never read as the session', async () => {
    const owner = h.browser();
    await owner.post('/test/login', { user: 'alice' });
    const token = owner.session!;
    const json = { accept: 'application/json' };
    for (const cookie of [`\u00a0__Host-sid=${token}`, `=__Host-sid=${token}`, `__host-sid=${token}`, `__Host-sid =${token}x`]) {
      const response = await fetch(`${h.url}/me`, { headers: { ...json, cookie: Buffer.from(cookie, 'latin1').toString('latin1') } });
      expect(response.status).toBe(401);
    }
    h.events.length = 0;
    const forged = `${'A'.repeat(22)}.${'B'.repeat(43)}`;
    const duplicate = await h.browser().get('/me', { ...json, cookie: `__Host-sid=${forged}; __Host-sid=${token}` });
    expect(duplicate.status).toBe(401);
    expect(h.events.map((event) => event.type)).toContain('cookie-anomaly');
    expect((await owner.get('/me')).status).toBe(200);
  });

  it('SEC-13 responses that set or clear the session cookie carry Cache-Control: no-store', async () => {
    const browser = h.browser();
    const login = await browser.post('/test/login', { user: 'alice' });
    expect(login.headers.get('cache-control')).toBe('no-store');
    const rotate = await browser.post('/test/rotate');
    expect(rotate.headers.get('cache-control')).toBe('no-store');
    h.clock.advance(HOUR + SECOND);
    const expired = await browser.get('/me', { accept: 'application/json' });
    expect(expired.setCookies.length).toBe(1);
    expect(expired.headers.get('cache-control')).toBe('no-store');
  });
});

describe('cookie configuration', () => {
  const original = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = original;
  });

  it('SEC-07 a domain, secure:false, sameSite none or a name without __Host- throws', () => {
    const store = memoryStore();
    const bad: Array<Record<string, unknown>> = [{ domain: 'example.com' }, { secure: false }, { sameSite: 'none' }, { name: 'sid' }];
    for (const cookie of bad) expect(() => createWarden({ store, cookie: cookie as never })).toThrow(SessionConfigError);
    expect(() => createWarden({ store, cookie: { name: 'sid' }, insecureDevelopmentMode: true })).not.toThrow();
  });

  it('SEC-56 insecureDevelopmentMode and a missing store are refused in production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => createWarden({ insecureDevelopmentMode: true, store: {} as never })).toThrow(/insecureDevelopmentMode/);
    expect(() => createWarden({})).toThrow(/store is required/);
    expect(() => createWarden({ store: memoryStore() })).toThrow(/memoryStore/);
  });

  it('SEC-12 a cookie name with separators or control characters throws', () => {
    for (const name of ['a;b', '__Host-a b', '__Host-a\r\n', '__Host-a=b', '']) {
      expect(() => createWarden({ store: memoryStore(), cookie: { name } })).toThrow(/cookie\.name/);
    }
  });

  it('SEC-11 every cookie the library writes fits in 4096 bytes, for any allowed name', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{1,57}$/), fc.boolean(), (suffix, persistent) => {
        const settings = { name: `__Host-${suffix}`, sameSite: 'Strict' as const, secure: true, path: '/', persistent, maxAge: persistent ? 43_200_000 : null, partitioned: true, priority: 'high' as const };
        const value = `${'a'.repeat(22)}.${'b'.repeat(43)}`;
        const header = serializeSessionCookie(settings, value, 43_200);
        const cookie = parseSetCookie(header);
        expect(cookie.name.length + cookie.value.length).toBeLessThanOrEqual(4096);
      }),
    );
  });

  it('SEC-12 the parser matches names byte-wise and trims only ASCII space and tab', () => {
    expect(readSessionCookie(' \t__Host-sid=v \t', '__Host-sid')).toEqual({ value: 'v', duplicates: false });
    expect(readSessionCookie('\u00a0__Host-sid=v', '__Host-sid').value).toBeNull();
    expect(readSessionCookie('__Host-sid=a; __Host-sid=b', '__Host-sid')).toEqual({ value: null, duplicates: true });
  });
});
