// Checklist D (SEC-18..22) and SEC-24: server-side idle and absolute timeouts, clock robustness, guardrails, pings.
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden, SessionConfigError } from '../../src/index.js';
import { csrfTokenFor, parseToken } from '../../src/core/token.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { HOUR, MINUTE, SECOND } from '../helpers/clock.js';
import type { Browser } from '../helpers/http.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
const json = { accept: 'application/json' };

async function signIn(harness: Harness, user = 'alice'): Promise<Browser> {
  const browser = harness.browser(json);
  await browser.post('/test/login', { user });
  return browser;
}

async function ping(harness: Harness, browser: Browser, body: unknown) {
  const record = await harness.store.get(parseToken(browser.session!)!.id);
  const csrf = record ? csrfTokenFor(record) : 'none';
  return browser.request('POST', '/session/ping', { json: body, headers: { 'x-csrf-token': csrf } });
}

describe('idle timeout', () => {
  it('SEC-18 after idle + 1 s the server answers 401, clears the cookie and ends the record', async () => {
    h = await startHarness({ idleTimeout: '10m', store: sqliteStore({ path: ':memory:' }) });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    h.clock.advance(10 * MINUTE + SECOND);
    const response = await browser.get('/me');
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'idle' });
    expect(response.setCookies.some((header) => header.startsWith('__Host-sid=;') && header.includes('Max-Age=0'))).toBe(true);
    expect(await h.store.get(id)).toMatchObject({ endReason: 'idle' });
    expect(await h.warden.listUserSessions('alice')).toEqual([]);
  });

  it('SEC-18 at idle - 1 s the request passes and restarts the idle timer', async () => {
    h = await startHarness({ idleTimeout: '10m', touchInterval: '60s' });
    const browser = await signIn(h);
    h.clock.advance(10 * MINUTE - SECOND);
    expect((await browser.get('/me')).status).toBe(200);
    h.clock.advance(10 * MINUTE - SECOND);
    expect((await browser.get('/me')).status).toBe(200);
    h.clock.advance(10 * MINUTE + SECOND);
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('SEC-18 a client that never loads any script is still signed out (the server alone enforces it)', async () => {
    h = await startHarness({ idleTimeout: '5m' });
    const browser = await signIn(h);
    h.clock.advance(5 * MINUTE);
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('activity writes are throttled: requests inside touchInterval do not write', async () => {
    h = await startHarness({ idleTimeout: '10m', touchInterval: '60s' });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    const start = (await h.store.get(id))!.lastActiveAt;
    h.clock.advance(30 * SECOND);
    await browser.get('/me');
    expect((await h.store.get(id))!.lastActiveAt).toBe(start);
    h.clock.advance(31 * SECOND);
    await browser.get('/me');
    expect((await h.store.get(id))!.lastActiveAt).toBe(start + 61 * SECOND);
  });

  it('passive paths (exact, prefix, RegExp, predicate) neither extend nor write', async () => {
    for (const passive of [['/public'], ['/pub*'], [/^\/publ/], (path: string) => path === '/public'] as const) {
      const harness = await startHarness({ idleTimeout: '10m', touchInterval: 0, passive: passive as never });
      try {
        const browser = await signIn(harness);
        const id = parseToken(browser.session!)!.id;
        const start = (await harness.store.get(id))!.lastActiveAt;
        harness.clock.advance(9 * MINUTE);
        await browser.get('/public');
        await browser.get('//public');
        expect((await harness.store.get(id))!.lastActiveAt).toBe(start);
        harness.clock.advance(2 * MINUTE);
        expect((await browser.get('/me')).status).toBe(401);
      } finally {
        await harness.close();
      }
    }
  });
});

describe('absolute timeout', () => {
  it('SEC-19 activity every 5 minutes does not carry a session past its absolute deadline', async () => {
    h = await startHarness({ idleTimeout: '10m', absoluteTimeout: '1h', touchInterval: 0 });
    const browser = await signIn(h);
    for (let elapsed = 5; elapsed < 60; elapsed += 5) {
      h.clock.advance(5 * MINUTE);
      expect((await browser.get('/me')).status).toBe(200);
    }
    h.clock.advance(4 * MINUTE);
    expect((await ping(h, browser, { idleFor: 0 })).status).toBe(200);
    h.clock.advance(MINUTE + SECOND);
    const response = await browser.get('/me');
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'expired' });
  });

  it('SEC-20 deadlines come from the record: a warden with longer timeouts does not revive an expired session', async () => {
    const store = memoryStore();
    h = await startHarness({ store, idleTimeout: '10m', absoluteTimeout: '1h' });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    const lenient = createWarden({ store, idleTimeout: '10h', absoluteTimeout: '100h', now: h.clock.now });
    h.clock.advance(11 * MINUTE);
    const ctx = await lenient.begin({ cookie: `__Host-sid=${browser.session}`, ip: '127.0.0.1', method: 'GET', path: '/me' });
    expect(ctx.userId).toBeNull();
    expect(ctx.endReason).toBe('idle');
    expect((await store.get(id))!.expiresAt).toBe(h.clock.now() - 11 * MINUTE + HOUR);
  });
});

describe('time arithmetic', () => {
  it('SEC-21 a last activity in the future counts as now and is stored as now', async () => {
    h = await startHarness({ idleTimeout: '1h', touchInterval: '60s' });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    await h.store.touch(id, h.clock.now() + HOUR);
    expect((await browser.get('/me')).status).toBe(200);
    expect((await h.store.get(id))!.lastActiveAt).toBe(h.clock.now());
  });

  it('SEC-21 an idle period of 25 hours against a 1 hour limit is refused', async () => {
    h = await startHarness({ idleTimeout: '1h', absoluteTimeout: '48h' });
    const browser = await signIn(h);
    h.clock.advance(25 * HOUR);
    expect((await browser.get('/me')).status).toBe(401);
  });

  it('SEC-21 a DST change in Europe/Berlin has no effect (all times are epoch ms)', async () => {
    const previous = process.env.TZ;
    process.env.TZ = 'Europe/Berlin';
    try {
      h = await startHarness({ idleTimeout: '30m', touchInterval: 0 });
      h.clock.set(Date.UTC(2026, 2, 29, 0, 45));
      const browser = await signIn(h);
      h.clock.advance(29 * MINUTE);
      expect((await browser.get('/me')).status).toBe(200);
      h.clock.advance(30 * MINUTE + SECOND);
      expect((await browser.get('/me')).status).toBe(401);
    } finally {
      process.env.TZ = previous;
    }
  });
});

describe('configuration guardrails', () => {
  it('SEC-22 the defaults are idle 30 min and absolute 12 h', () => {
    const warden = createWarden({ store: memoryStore() });
    expect(warden.options.idleTimeout).toBe(1_800_000);
    expect(warden.options.absoluteTimeout).toBe(43_200_000);
  });

  it('SEC-22 profiles refuse out-of-range timeouts and a missing absolute timeout is an error', () => {
    const store = memoryStore();
    expect(() => createWarden({ store, profile: 'aal3', idleTimeout: '15m', absoluteTimeout: '13h' })).toThrow(/absoluteTimeout exceeds the aal3/);
    expect(() => createWarden({ store, profile: 'aal3', idleTimeout: '20m' })).toThrow(/idleTimeout exceeds the aal3/);
    expect(() => createWarden({ store, profile: 'aal2', idleTimeout: '61m' })).toThrow(SessionConfigError);
    expect(() => createWarden({ store, profile: 'aal2', absoluteTimeout: '24h', idleTimeout: '1h' })).not.toThrow();
    expect(() => createWarden({ store, absoluteTimeout: undefined })).toThrow(/absoluteTimeout is required/);
  });

  it('durations accept ms, strings and unit objects, and reject nonsense naming the option', () => {
    const store = memoryStore();
    expect(createWarden({ store, idleTimeout: { minutes: 15 } }).options.idleTimeout).toBe(900_000);
    expect(createWarden({ store, idleTimeout: '90s' }).options.idleTimeout).toBe(90_000);
    expect(createWarden({ store, idleTimeout: 5000 }).options.idleTimeout).toBe(5000);
    expect(() => createWarden({ store, idleTimeout: 'soon' as never })).toThrow(/^sessionwarden: idleTimeout/);
    expect(() => createWarden({ store, touchInterval: -1 })).toThrow(/touchInterval/);
    expect(() => createWarden({ store, idleTimeot: '1m' } as never)).toThrow(/unknown option "idleTimeot"/);
  });

  it('per-user timeouts come from the hook and are fixed in the record', async () => {
    h = await startHarness({ timeouts: ({ userId }) => (userId === 'admin' ? { idleTimeout: '5m' } : undefined) });
    const admin = await signIn(h, 'admin');
    const user = await signIn(h, 'alice');
    h.clock.advance(6 * MINUTE);
    expect((await admin.get('/me')).status).toBe(401);
    expect((await user.get('/me')).status).toBe(200);
  });
});

describe('activity pings', () => {
  it('SEC-24 an expired session stays expired whatever the ping says', async () => {
    h = await startHarness({ idleTimeout: '10m' });
    const browser = await signIn(h);
    const cookie = browser.session!;
    h.clock.advance(11 * MINUTE);
    const response = await ping(h, browser, { idleFor: 0 });
    expect(response.status).toBe(401);
    expect(response.json()).toEqual({ error: 'session_ended', reason: 'idle' });
    expect((await h.browser(json).get('/me', { cookie: `__Host-sid=${cookie}` })).status).toBe(401);
  });

  it('SEC-24 a ping without activity, or with a malformed idleFor, changes nothing', async () => {
    h = await startHarness({ idleTimeout: '10m' });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    const start = (await h.store.get(id))!.lastActiveAt;
    h.clock.advance(3 * MINUTE);
    for (const body of [{}, { idleFor: -5 }, { idleFor: 'x' }, { idleFor: null }, { idleFor: 1e308 }]) {
      const response = await ping(h, browser, body);
      expect(response.status).toBe(200);
      expect((await h.store.get(id))!.lastActiveAt).toBe(start);
    }
  });

  it('SEC-24 reported activity moves lastActiveAt to now - idleFor, never back and never past now', async () => {
    h = await startHarness({ idleTimeout: '10m' });
    const browser = await signIn(h);
    const id = parseToken(browser.session!)!.id;
    const start = (await h.store.get(id))!.lastActiveAt;
    h.clock.advance(5 * MINUTE);
    const reply = (await ping(h, browser, { idleFor: 60 })).json<{ idleSeconds: number; idleRemaining: number; absoluteRemaining: number; idleDeadline: number }>();
    expect((await h.store.get(id))!.lastActiveAt).toBe(start + 4 * MINUTE);
    expect(reply.idleSeconds).toBe(60);
    expect(reply.idleRemaining).toBe(540);
    expect(reply.idleDeadline).toBe(start + 14 * MINUTE);
    await ping(h, browser, { idleFor: 200 });
    expect((await h.store.get(id))!.lastActiveAt).toBe(start + 4 * MINUTE);
    await ping(h, browser, { idleFor: 0 });
    expect((await h.store.get(id))!.lastActiveAt).toBe(h.clock.now());
  });

  it('SEC-24 a ping at absolute - 1 s does not prevent the 401 at absolute + 1 s', async () => {
    h = await startHarness({ idleTimeout: '30m', absoluteTimeout: '1h', touchInterval: 0 });
    const browser = await signIn(h);
    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(20 * MINUTE - (i === 2 ? 2 * SECOND : 0));
      await ping(h, browser, { idleFor: 0 });
    }
    h.clock.advance(2 * SECOND);
    expect((await browser.get('/me')).status).toBe(401);
  });
});
