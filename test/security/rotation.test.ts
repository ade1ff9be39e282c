// Checklist C (SEC-14..17) and SEC-23: new tokens on authentication, data rules, atomic rotation, fresh authentication.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseToken } from '../../src/core/token.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { MINUTE } from '../helpers/clock.js';
import { startHarness, type Harness } from '../helpers/harness.js';

describe('fixation and rotation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ store: sqliteStore({ path: ':memory:' }), keepOnLogin: ['locale'] });
  });
  afterAll(async () => {
    await h.close();
  });
  const json = { accept: 'application/json' };

  it('SEC-14 login issues a new token, the anonymous one dies and its record is only a tombstone forwarding to the new one', async () => {
    const browser = h.browser(json);
    await browser.request('POST', '/session-data', { json: { locale: 'de' } });
    const s0 = browser.session!;
    expect(await h.store.get(parseToken(s0)!.id)).not.toBeNull();
    await browser.post('/test/login', { user: 'alice' });
    const s1 = browser.session!;
    expect(s1).not.toBe(s0);
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${s0}` })).status).toBe(401);
    expect(await h.store.get(parseToken(s0)!.id)).toMatchObject({ endReason: 'rotated', replacedBy: parseToken(s1)!.id, userId: null });
    expect((await browser.get('/me')).status).toBe(200);
  });

  it('SEC-14 a planted, never-issued token is replaced at login', async () => {
    const planted = `${'P'.repeat(22)}.${'Q'.repeat(43)}`;
    const browser = h.browser(json);
    browser.cookies.set('__Host-sid', planted);
    await browser.post('/test/login', { user: 'alice' });
    expect(browser.session).not.toBe(planted);
    expect(await h.store.get('P'.repeat(22))).toBeNull();
  });

  it('SEC-15 rotate() gives a new cookie, the old one gets 401 and the new one 200', async () => {
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'alice' });
    const before = browser.session!;
    await browser.post('/test/rotate');
    expect(browser.session).not.toBe(before);
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${before}` })).status).toBe(401);
    expect((await browser.get('/me')).status).toBe(200);
  });

  it("SEC-16 logging in as B on A's browser keeps none of A's data; anonymous data crosses only when allow-listed", async () => {
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'A' });
    await browser.request('POST', '/session-data', { json: { cart: [1], pendingMfaUser: 'A' } });
    await browser.post('/test/login', { user: 'B' });
    expect(await (await browser.get('/session-data')).json()).toEqual({});
    const anonymous = h.browser(json);
    await anonymous.request('POST', '/session-data', { json: { locale: 'fr', pendingMfaUser: 'X' } });
    await anonymous.post('/test/login', { user: 'C' });
    expect(await (await anonymous.get('/session-data')).json()).toEqual({ locale: 'fr' });
  });

  it('SEC-17 twenty parallel rotations of one session leave exactly one successor', async () => {
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'racer' });
    const cookie = browser.session!;
    const responses = await Promise.all(Array.from({ length: 20 }, () => fetch(`${h.url}/test/rotate`, { method: 'POST', headers: { cookie: `__Host-sid=${cookie}`, 'sec-fetch-site': 'same-origin' } })));
    const winners = responses.filter((response) => response.status === 200);
    expect(winners).toHaveLength(1);
    expect(await h.warden.listUserSessions('racer')).toHaveLength(1);
    const successor = winners[0]!.headers.getSetCookie()[0]!.split(';')[0]!.split('=')[1]!;
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${cookie}` })).status).toBe(401);
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${successor}` })).status).toBe(200);
  });

  it('SEC-41 the CSRF token is bound to the session and changes with every rotation', async () => {
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'csrf' });
    const { csrfTokenFor } = await import('../../src/core/token.js');
    const before = csrfTokenFor((await h.store.get(parseToken(browser.session!)!.id))!);
    await browser.post('/test/rotate');
    const after = csrfTokenFor((await h.store.get(parseToken(browser.session!)!.id))!);
    expect(after).not.toBe(before);
    expect((await browser.request('POST', '/session/ping', { json: {}, headers: { 'x-csrf-token': before } })).status).toBe(403);
    expect((await browser.request('POST', '/session/ping', { json: {}, headers: { 'x-csrf-token': after } })).status).toBe(200);
    const other = h.browser(json);
    await other.post('/test/login', { user: 'someone-else' });
    expect((await other.request('POST', '/session/ping', { json: {}, headers: { 'x-csrf-token': after } })).status).toBe(403);
  });

  it('SEC-19 rotation keeps createdAt and the absolute deadline', async () => {
    const browser = h.browser(json);
    await browser.post('/test/login', { user: 'keeper' });
    const [before] = await h.warden.listUserSessions('keeper');
    h.clock.advance(5 * MINUTE);
    await browser.post('/test/rotate');
    const [after] = await h.warden.listUserSessions('keeper');
    expect(after!.id).not.toBe(before!.id);
    expect(after!.createdAt).toBe(before!.createdAt);
    expect(after!.expiresAt).toBe(before!.expiresAt);
  });
});

describe('fresh authentication', () => {
  it('SEC-23 only reauthenticate() moves authenticatedAt; requests, pings, rotations and data writes never do', async () => {
    const h = await startHarness({ idleTimeout: '10m', absoluteTimeout: '12h', touchInterval: 0 });
    try {
      const actions = ['request', 'ping', 'rotate', 'setData'] as const;
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...actions), { minLength: 1, maxLength: 8 }), async (sequence) => {
          const browser = h.browser({ accept: 'application/json' });
          await browser.post('/test/login', { user: 'prop' });
          const record = async () => (await h.store.get(parseToken(browser.session!)!.id))!;
          const authenticatedAt = (await record()).authenticatedAt;
          for (const action of sequence) {
            h.clock.advance(MINUTE);
            if (action === 'request') await browser.get('/me');
            if (action === 'rotate') await browser.post('/test/rotate');
            if (action === 'setData') await browser.request('POST', '/session-data', { json: { n: Math.random() } });
            if (action === 'ping') {
              const csrf = (await import('../../src/core/token.js')).csrfTokenFor(await record());
              await browser.request('POST', '/session/ping', { json: { idleFor: 0 }, headers: { 'x-csrf-token': csrf } });
            }
            expect((await record()).authenticatedAt).toBe(authenticatedAt);
          }
          h.clock.advance(MINUTE);
          await browser.post('/test/reauthenticate');
          const after = await record();
          expect(after.authenticatedAt).toBe(h.clock.now());
          expect(after.lastActiveAt).toBe(h.clock.now());
          expect(after.expiresAt).toBe(h.clock.now() + 12 * 60 * MINUTE);
        }),
        { numRuns: 25 },
      );
    } finally {
      await h.close();
    }
  });

  it('SEC-23 isFresh() is true just after login and false once the age passed', async () => {
    const h = await startHarness();
    try {
      const browser = h.browser();
      await browser.post('/test/login', { user: 'fresh' });
      const ctx = await h.warden.begin({ cookie: `__Host-sid=${browser.session}`, ip: '127.0.0.1', method: 'GET', path: '/' });
      expect(ctx.isFresh('10m')).toBe(true);
      h.clock.advance(11 * MINUTE);
      const later = await h.warden.begin({ cookie: `__Host-sid=${browser.session}`, ip: '127.0.0.1', method: 'GET', path: '/' });
      expect(later.isFresh('10m')).toBe(false);
    } finally {
      await h.close();
    }
  });
});
