// The HTTP behaviour with the read cache on (Express, the security harness, memory and SQLite stores): sign-in,
// sign-out, revocation of another device, exact idle and absolute timeouts, rotation, and data writes, each seen on
// the very next request although the session is answered from the cache in between.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/index.js';
import { csrfTokenFor } from '../../src/core/token.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-cache-behaviour-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const STORES: { name: string; make: () => SessionStore }[] = [
  { name: 'memory', make: () => memoryStore() },
  { name: 'SQLite', make: () => sqliteStore({ path: join(dir, `b-${files++}.sqlite`) }) },
];

describe.each(STORES)('with the cache on $name', ({ make }) => {
  let h: Harness;
  afterEach(async () => {
    await h.close();
    await h.store.close?.();
  });
  const start = async () => {
    h = await startHarness({ store: make(), cache: { maxEntries: 100 }, idleTimeout: '10m', absoluteTimeout: '1h', touchInterval: '1m' });
    return h;
  };
  const hits = () => h.warden.cache!.cacheStats.hits;

  it('answers from the cache, and a logout or a revocation of another device is refused on the next request', async () => {
    await start();
    const laptop = h.browser();
    const phone = h.browser();
    await laptop.post('/test/login', { user: 'alice' });
    await phone.post('/test/login', { user: 'alice' });
    const before = hits();
    expect((await laptop.get('/me')).status).toBe(200);
    expect((await laptop.get('/me')).status).toBe(200);
    expect(hits()).toBeGreaterThan(before);
    const laptopId = (await laptop.get('/me')).json<{ id: string }>().id;
    expect(await h.warden.revokeSession(laptopId, { ownerId: 'alice' })).not.toBeNull();
    expect((await laptop.get('/me')).status).toBe(401);
    expect((await phone.get('/me')).status).toBe(200);
    const record = await h.store.get(phone.session!.split('.')[0]!);
    expect((await phone.post('/logout', { _csrf: csrfTokenFor(record!) })).status).toBe(303);
    expect((await phone.get('/me')).status).toBe(401);
  });

  it('keeps the idle and absolute timeouts exact to the millisecond', async () => {
    await start();
    const browser = h.browser();
    await browser.post('/test/login', { user: 'alice' });
    expect((await browser.get('/me')).status).toBe(200);
    h.clock.advance(10 * 60_000 - 1);
    expect((await browser.get('/me')).status).toBe(200);
    // The request above touched the session (more than touchInterval since login): idle counts from it.
    for (let k = 0; k < 3; k += 1) {
      h.clock.advance(10 * 60_000 - 1);
      expect((await browser.get('/me')).status, `round ${k}`).toBe(200);
    }
    h.clock.advance(10 * 60_000);
    expect((await browser.get('/me')).status).toBe(401);
    expect(h.events.some((event) => event.type === 'expired' && event.reason === 'idle')).toBe(true);

    // Absolute: 1 h after login, whatever the activity.
    const again = h.browser();
    await again.post('/test/login', { user: 'bob' });
    for (let k = 0; k < 6; k += 1) {
      h.clock.advance(9 * 60_000);
      expect((await again.get('/me')).status, `minute ${9 * (k + 1)}`).toBe(200);
    }
    h.clock.advance(6 * 60_000 - 1);
    expect((await again.get('/me')).status, 'a millisecond before the absolute deadline').toBe(200);
    h.clock.advance(1);
    expect((await again.get('/me')).status, 'at the absolute deadline').toBe(401);
    expect(h.events.some((event) => event.type === 'expired' && event.reason === 'expired')).toBe(true);
  });

  it('a rotation drops the old cookie, and a data write is read back on the next request', async () => {
    await start();
    const browser = h.browser();
    await browser.post('/test/login', { user: 'alice' });
    const old = browser.session!;
    await browser.get('/me');
    await browser.get('/me');
    expect((await browser.post('/test/rotate')).status).toBe(200);
    expect(browser.session).not.toBe(old);
    expect((await h.browser().get('/me', { cookie: `__Host-sid=${old}` })).status).toBe(401);
    await browser.post('/session-data', { cart: 'book' });
    expect((await browser.get('/session-data')).json()).toMatchObject({ cart: 'book' });
    await browser.post('/session-data', { cart: 'pen' });
    expect((await browser.get('/session-data')).json()).toMatchObject({ cart: 'pen' });
  });
});
