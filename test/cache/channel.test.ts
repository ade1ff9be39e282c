// Each store's invalidation channel, end to end: a change made through another handle (another connection, as
// another process would) reaches the cache; a channel killed for real (CLIENT KILL, pg_terminate_backend) empties
// the cache and keeps it bypassed until the channel is back, so a revocation made meanwhile is never missed; a channel
// that stays connected but stops delivering is caught by its pings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClientType } from 'redis';
import { cacheStore, type CachedSessionStore } from '../../src/core/cache.js';
import type { SessionStore } from '../../src/core/types.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { changesChannel } from '../../src/stores/sql/sql-store.js';
import { makeRecord, T0 } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, REDIS_URL, requireRedis, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { adminQuery, freshPostgresDatabase, POSTGRES, requirePostgres, type FreshDatabase } from '../helpers/services.js';
import { until, upNow } from './helpers.js';

const HAVE_REDIS = await requireRedis('read cache channels');
const SKIP_PG = await requirePostgres('read cache channels');
const dir = mkdtempSync(join(tmpdir(), 'sw-cache-channel-'));
const db: FreshDatabase | null = SKIP_PG ? null : await freshPostgresDatabase('cache_channel');
const prefix = uniquePrefix('cache_channel');
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
  if (HAVE_REDIS) {
    const client = await connectRedis();
    await deletePrefix(client, prefix);
    await client.close();
  }
  await db?.drop();
});

function track<T extends SessionStore>(store: T): T {
  closers.push(() => store.close?.() ?? Promise.resolve());
  return store;
}

/** A live record cached by `cached` (read twice: a miss, then a hit). */
async function cachedRecord(writer: SessionStore, cached: CachedSessionStore) {
  const record = makeRecord();
  await writer.create({ record, now: T0 });
  expect(await cached.get(record.id)).toEqual(record);
  const hits = cached.cacheStats.hits;
  expect(await cached.get(record.id)).toEqual(record);
  expect(cached.cacheStats.hits).toBe(hits + 1);
  return record;
}

/** The shared checks: another handle's end, data update and touch reach the cache; ids only, never secrets. */
async function changesArrive(writer: SessionStore, cached: CachedSessionStore, pushed: boolean): Promise<void> {
  const ended = await cachedRecord(writer, cached);
  await writer.end(ended.id, 'revoked', T0 + 1);
  // A pushed channel (network) takes a moment; SQLite's data_version is checked on the next read itself.
  if (pushed) await until(() => cached.cacheStats.size === 0, 'the end reached the cache', 5000);
  expect(await cached.get(ended.id)).toMatchObject({ endedAt: T0 + 1, endReason: 'revoked' });

  const updated = await cachedRecord(writer, cached);
  await writer.update(updated.id, { theme: 'light' });
  if (pushed) await until(() => cached.cacheStats.size === 0, 'the update reached the cache', 5000);
  expect((await cached.get(updated.id))!.data).toEqual({ theme: 'light' });

  const touched = await cachedRecord(writer, cached);
  await writer.touch(touched.id, T0 + 60_000);
  // The copy follows the activity (it is not dropped): read until it shows, the reads themselves being cache hits.
  await until(async () => (await cached.get(touched.id))!.lastActiveAt === T0 + 60_000, 'the touch reached the cache', 5000);
  if (pushed) expect(cached.cacheStats.size).toBe(2);
}

describe('SQLite: other connections on the same file', () => {
  it('a commit by another connection is seen on the very next read (data_version), its own writes update the cache', async () => {
    const path = join(dir, 'shared.sqlite');
    const writer = track(sqliteStore({ path }));
    const cached = await upNow(cacheStore(track(sqliteStore({ path })), { maxEntries: 100 }, () => T0));
    await changesArrive(writer, cached, false);
    expect(cached.cacheStats.flushes).toBeGreaterThan(3);
    // Its own touch updates the copy, which stays cached.
    const own = await cachedRecord(writer, cached);
    const flushes = cached.cacheStats.flushes;
    await cached.get(own.id);
    expect(cached.cacheStats.flushes).toBe(flushes);
    expect(await cached.touch(own.id, T0 + 5000)).toBe(true);
    const hits = cached.cacheStats.hits;
    expect((await cached.get(own.id))!.lastActiveAt).toBe(T0 + 5000);
    expect(cached.cacheStats.hits).toBe(hits + 1);
  });
});

describe.runIf(db !== null)('PostgreSQL: NOTIFY in the write, LISTEN on a held connection', () => {
  const open = (table: string) => track(postgresStore({ connectionString: db!.url, table }));

  it('another pool\'s end, update and touch reach the cache within milliseconds', async () => {
    const writer = open('notify');
    const cached = await upNow(cacheStore(open('notify'), { maxEntries: 100 }, () => T0));
    await changesArrive(writer, cached, true);
  });

  it('pg_terminate_backend on the LISTEN connection: the cache empties, is bypassed (a revocation meanwhile is seen), then comes back', async () => {
    const writer = open('killed');
    const cached = await upNow(cacheStore(open('killed'), { maxEntries: 100 }, () => T0));
    const record = await cachedRecord(writer, cached);
    const killed = await adminQuery(POSTGRES.port, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${db!.name}' AND query = 'LISTEN "${changesChannel('killed')}"'`);
    expect(killed.rowCount).toBe(1);
    await until(() => !cached.cacheStats.up, 'the cache saw its channel go down', 5000);
    expect(cached.cacheStats.size).toBe(0);
    // Revoked while nobody listens: the notification is lost, and the cache must not matter.
    await writer.end(record.id, 'revoked', T0 + 1);
    const hits = cached.cacheStats.hits;
    expect(await cached.get(record.id)).toMatchObject({ endReason: 'revoked' });
    const other = makeRecord();
    await writer.create({ record: other, now: T0 });
    await cached.get(other.id);
    await cached.get(other.id);
    expect(cached.cacheStats.hits).toBe(hits);
    await until(() => cached.cacheStats.up, 'the channel came back', 10_000);
    await cachedRecord(writer, cached);
  });
});

describe.runIf(HAVE_REDIS)('Redis: PUBLISH from the scripts, a subscriber connection of its own', () => {
  const clients: RedisClientType[] = [];
  afterAll(async () => {
    for (const client of clients) await client.close().catch(() => undefined);
  });
  async function named(name: string): Promise<RedisClientType> {
    const client = createClient({ url: REDIS_URL, name }) as RedisClientType;
    client.on('error', () => undefined);
    await client.connect();
    clients.push(client);
    return client;
  }

  it('another client\'s end, update and touch reach the cache within milliseconds', async () => {
    const writer = track(redisStore({ client: await named('sw-writer'), prefix }));
    const cached = await upNow(cacheStore(track(redisStore({ client: await named('sw-cache'), prefix })), { maxEntries: 100 }, () => T0));
    await changesArrive(writer, cached, true);
  });

  it('CLIENT KILL of the subscriber: the cache empties, is bypassed (a revocation meanwhile is seen), then comes back', async () => {
    const name = `swcache${process.pid}x${Date.now()}`;
    const writer = track(redisStore({ client: await named('sw-writer'), prefix }));
    const cached = await upNow(cacheStore(track(redisStore({ client: await named(name), prefix })), { maxEntries: 100 }, () => T0));
    const record = await cachedRecord(writer, cached);
    const admin = await named('sw-admin');
    const list = String(await admin.sendCommand(['CLIENT', 'LIST', 'TYPE', 'pubsub']));
    const ids = list.split('\n').filter((line) => line.includes(`name=${name} `)).map((line) => /id=(\d+)/.exec(line)![1]!);
    expect(ids).toHaveLength(1);
    await admin.sendCommand(['CLIENT', 'KILL', 'ID', ids[0]!]);
    await until(() => !cached.cacheStats.up, 'the cache saw its channel go down', 5000);
    expect(cached.cacheStats.size).toBe(0);
    await writer.end(record.id, 'revoked', T0 + 1);
    const hits = cached.cacheStats.hits;
    expect(await cached.get(record.id)).toMatchObject({ endReason: 'revoked' });
    const other = makeRecord();
    await writer.create({ record: other, now: T0 });
    await cached.get(other.id);
    await cached.get(other.id);
    expect(cached.cacheStats.hits).toBe(hits);
    await until(() => cached.cacheStats.up, 'the channel came back', 10_000);
    await cachedRecord(writer, cached);
  });

  it('a subscriber still connected but hearing nothing (pings blocked by CLIENT PAUSE, on a server of its own) counts as down within the heartbeat', async () => {
    const server = await startPrivateRedis();
    try {
      const writer = redisStore({ url: server.url, prefix });
      const cached = await upNow(cacheStore(redisStore({ url: server.url, prefix }), { maxEntries: 100 }, () => T0));
      const record = await cachedRecord(writer, cached);
      const admin = createClient({ url: server.url }) as RedisClientType;
      admin.on('error', () => undefined);
      await admin.connect();
      await admin.sendCommand(['CLIENT', 'PAUSE', '12000', 'WRITE']);
      const paused = Date.now();
      await until(() => !cached.cacheStats.up, 'the heartbeat noticed the silence', 12_000);
      // One heartbeat period to send the ping, one to wait for it: at most about 10 s.
      expect(Date.now() - paused).toBeLessThan(11_000);
      expect(cached.cacheStats.size).toBe(0);
      await admin.sendCommand(['CLIENT', 'UNPAUSE']);
      await admin.close();
      expect(await cached.get(record.id)).toEqual(record);
      await until(() => cached.cacheStats.up, 'the channel came back', 10_000);
      await cached.close();
      await writer.close();
    } finally {
      await server.destroy();
    }
  }, 40_000);
});
