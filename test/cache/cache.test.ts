// The read cache in the core: the option, the LRU bound, exact timeouts from cached records, the bypass while the
// channel is down, and a read racing a change never leaving a stale copy behind.
import { describe, expect, it } from 'vitest';
import { cacheStore } from '../../src/core/cache.js';
import { CacheWatchers } from '../../src/core/cache-watchers.js';
import { createWarden, SessionConfigError } from '../../src/index.js';
import type { SessionStore, StoreWatch, StoreWatcher } from '../../src/core/types.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { makeRecord, T0 } from '../../src/testing/index.js';
import { fakeClock, MINUTE } from '../helpers/clock.js';

/** A real memory store whose channel a test switches (what a lost connection does), and whose reads can be held. */
function switchable(inner: SessionStore = memoryStore()) {
  let watcher: StoreWatcher | null = null;
  let hold: Promise<void> | null = null;
  const store: SessionStore = {
    ...inner,
    get: async (id) => {
      const record = await inner.get(id);
      if (hold !== null) await hold;
      return record;
    },
    watch: (given): StoreWatch => {
      const stop = inner.watch!({ ...given, up: () => undefined, down: () => undefined });
      watcher = given;
      given.up();
      return stop;
    },
  };
  return {
    store,
    inner,
    down: () => watcher!.down(),
    up: () => watcher!.up(),
    holdReads(): () => void {
      let release!: () => void;
      hold = new Promise((resolve) => (release = resolve));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

describe('the cache option', () => {
  it('is off by default; takes { maxEntries } from 1; refuses anything else naming the option', () => {
    expect(createWarden({ store: memoryStore() }).cache).toBeNull();
    expect(createWarden({ store: memoryStore(), cache: { maxEntries: 1 } }).cache).not.toBeNull();
    for (const bad of [{ maxEntries: 0 }, { maxEntries: 1.5 }, { maxEntries: '10' }, {}, { maxEntries: 10, ttl: 5 }, 100]) {
      expect(() => createWarden({ store: memoryStore(), cache: bad as never }), JSON.stringify(bad)).toThrow(/^sessionwarden: cache/);
    }
  });

  it('refuses a store without watch(): it could not hear of changes made elsewhere', () => {
    const store = memoryStore();
    const blind: SessionStore = {
      get: (id) => store.get(id),
      create: (input) => store.create(input),
      update: (id, data) => store.update(id, data),
      touch: (id, at) => store.touch(id, at),
      end: (id, reason, at) => store.end(id, reason, at),
      endByUser: (userId, reason, at, exceptId) => store.endByUser(userId, reason, at, exceptId),
      listByUser: (userId, now) => store.listByUser(userId, now),
      deleteExpired: (before) => store.deleteExpired(before),
    };
    expect(() => createWarden({ store: blind, cache: { maxEntries: 10 } })).toThrow(/^sessionwarden: cache: this store has no watch\(\)/);
  });
});

describe('cacheStore()', () => {
  it('keeps at most maxEntries records, dropping the least recently used', async () => {
    const store = memoryStore();
    const cached = cacheStore(store, { maxEntries: 3 }, () => T0);
    const records = Array.from({ length: 5 }, () => makeRecord());
    for (const record of records) await store.create({ record, now: T0 });
    for (const record of records.slice(0, 3)) await cached.get(record.id);
    await cached.get(records[0]!.id); // now the most recent: records[1] is the least recently used
    await cached.get(records[3]!.id);
    expect(cached.cacheStats.size).toBe(3);
    const hits = cached.cacheStats.hits;
    await cached.get(records[0]!.id);
    await cached.get(records[2]!.id);
    await cached.get(records[3]!.id);
    expect(cached.cacheStats.hits).toBe(hits + 3);
    await cached.get(records[1]!.id);
    expect(cached.cacheStats.hits).toBe(hits + 3);
  });

  it('never answers a record past its idle or absolute deadline from the cache: the store decides', async () => {
    const clock = fakeClock(T0);
    const store = memoryStore();
    const cached = cacheStore(store, { maxEntries: 10 }, clock.now);
    const record = makeRecord({ idleTimeout: 5 * MINUTE });
    await store.create({ record, now: T0 });
    await cached.get(record.id);
    clock.advance(5 * MINUTE);
    const misses = cached.cacheStats.misses;
    await cached.get(record.id);
    expect(cached.cacheStats.misses).toBe(misses + 1);
    expect(cached.cacheStats.size).toBe(0);
  });

  it('while the channel is down: empty and bypassed (every read goes to the store); back up: caches again', async () => {
    const channel = switchable();
    const cached = cacheStore(channel.store, { maxEntries: 10 }, () => T0);
    const record = makeRecord();
    await channel.inner.create({ record, now: T0 });
    await cached.get(record.id);
    await cached.get(record.id);
    expect(cached.cacheStats.hits).toBe(1);
    channel.down();
    expect(cached.cacheStats).toMatchObject({ up: false, size: 0 });
    await cached.get(record.id);
    await cached.get(record.id);
    expect(cached.cacheStats.hits).toBe(1);
    channel.up();
    await cached.get(record.id);
    await cached.get(record.id);
    expect(cached.cacheStats.hits).toBe(2);
  });

  it('a read that an invalidation (or a channel loss) overtakes is answered but not kept', async () => {
    for (const overtake of ['end', 'down'] as const) {
      const channel = switchable();
      const cached = cacheStore(channel.store, { maxEntries: 10 }, () => T0);
      const record = makeRecord();
      await channel.inner.create({ record, now: T0 });
      const release = channel.holdReads();
      const reading = cached.get(record.id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (overtake === 'end') await channel.inner.end(record.id, 'revoked', T0 + 1);
      else {
        channel.down();
        channel.up();
      }
      release();
      expect((await reading)!.endedAt, 'the read started before the change').toBeNull();
      expect(cached.cacheStats.size, overtake).toBe(0);
      expect((await cached.get(record.id))!.endedAt, overtake).toBe(overtake === 'end' ? T0 + 1 : null);
    }
  });
});

/** A Cookie header of a new session of alice's. */
async function signedIn(warden: ReturnType<typeof createWarden>): Promise<string> {
  let set = '';
  const ctx = await warden.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login', onSetCookie: (value) => (set = value) });
  await ctx.login('alice');
  return set.split(';')[0]!;
}

describe('a warden with the cache', () => {
  it('keeps timeouts exact: a session idle past its deadline is refused (and ended) though its record was cached', async () => {
    const clock = fakeClock(T0);
    const store = memoryStore();
    const warden = createWarden({ store, cache: { maxEntries: 10 }, now: clock.now, idleTimeout: '5m', insecureDevelopmentMode: true });
    const cookie = await signedIn(warden);
    const hits = warden.cache!.cacheStats.hits;
    expect((await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' })).userId).toBe('alice');
    expect((await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' })).userId).toBe('alice');
    expect(warden.cache!.cacheStats.hits).toBeGreaterThan(hits);
    clock.advance(5 * MINUTE);
    const late = await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' });
    expect(late.userId).toBeNull();
    expect(late.endReason).toBe('idle');
  });

  it('a revocation through another warden on the same store is refused on the next request', async () => {
    const store = memoryStore();
    const warden = createWarden({ store, cache: { maxEntries: 10 }, insecureDevelopmentMode: true });
    const other = createWarden({ store, insecureDevelopmentMode: true });
    const cookie = await signedIn(warden);
    const { record } = await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' });
    await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' });
    expect((await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' })).userId).toBe('alice');
    expect(await other.revokeSession(record!.id)).not.toBeNull();
    expect((await warden.begin({ cookie, ip: '127.0.0.1', method: 'GET', path: '/' })).userId).toBeNull();
  });
});

describe('CacheWatchers.receive()', () => {
  it('applies x: and t: messages, ignores pings (every process sees every other process\'s), and flushes on anything unknown', () => {
    const seen: string[] = [];
    const watchers = new CacheWatchers((all) => {
      all.up();
      return { stop: () => undefined };
    });
    watchers.add({
      invalidate: (ids) => seen.push(`invalidate ${ids.join(',')}`),
      touched: (id, at) => seen.push(`touched ${id} ${at}`),
      flush: () => seen.push('flush'),
      up: () => seen.push('up'),
      down: () => seen.push('down'),
    });
    for (const message of ['x:abc', 't:abc:1700000000000', 'p:nonce', 'z:what', 't:abc:soon']) watchers.receive(message);
    expect(seen).toEqual(['up', 'invalidate abc', 'touched abc 1700000000000', 'flush', 'flush']);
  });
});
