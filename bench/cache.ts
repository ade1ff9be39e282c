// `npx tsx --expose-gc bench/cache.ts [--requests N] [--store sqlite|postgres|redis] [--cache on|off]`: the read
// cache's figures without HTTP: warden.begin() per request with and without the cache on each store, the SQLite
// data_version check against a read, and the heap per cached entry. With --requests it only runs N requests of one
// configuration (for `valgrind --tool=callgrind`: instructions per request = the difference of two N over their gap).
// With --scale N: N live sessions in a SQLite store, a working set of 10,000 of them requested round-robin through
// warden.begin() with and without the cache; memory of the process before and after, and requests per second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cacheStore } from '../src/core/cache.js';
import { issueToken } from '../src/core/token.js';
import { createWarden, type SessionStore } from '../src/index.js';
import { openStore } from '../src/stores/open.js';
import { sqliteStore } from '../src/stores/sqlite/index.js';
import { BENCH_REDIS_URL, benchPrefix } from './variants/redis-bench.js';
import { createBenchDatabase } from './variants/stores.js';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string' },
    store: { type: 'string', default: 'sqlite' },
    cache: { type: 'string', default: 'on' },
    scale: { type: 'string' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'sessionwarden-cache-bench-'));
/** Removed at the end: the fresh database and the Redis keys. */
const cleanups: (() => Promise<void>)[] = [];

/** A store of the kind named, on a file, database and key prefix of its own. */
async function storeOf(kind: string): Promise<SessionStore> {
  if (kind === 'sqlite') return sqliteStore({ path: join(dir, 'bench.sqlite') });
  if (kind === 'postgres') {
    const db = await createBenchDatabase('cache');
    cleanups.push(db.drop);
    return openStore(db.url).store;
  }
  if (kind === 'redis') {
    const { prefix, clear } = benchPrefix('cache');
    cleanups.push(clear);
    return openStore(`${BENCH_REDIS_URL}?prefix=${prefix}`).store;
  }
  throw new Error(`unknown --store ${kind}`);
}

/** A signed-in session of the bench user in `store`: the Cookie header. */
async function session(store: SessionStore): Promise<string> {
  const token = issueToken();
  const now = Date.now();
  await store.create({
    now,
    record: {
      id: token.id, secretHash: token.secretHash, userId: 'alice', createdAt: now, authenticatedAt: now, lastActiveAt: now,
      idleTimeout: 30 * 60_000, expiresAt: now + 12 * 3_600_000, ip: '127.0.0.1', userAgent: 'bench', data: { locale: 'en' }, endedAt: null, endReason: null, replacedBy: null,
    },
  });
  return `__Host-sid=${token.value}`;
}

async function wardenOn(kind: string, cached: boolean) {
  const store = await storeOf(kind);
  const warden = createWarden({ store, ...(cached ? { cache: { maxEntries: 10_000 } } : {}) });
  if (warden.cache !== null) while (!warden.cache.cacheStats.up) await new Promise((resolve) => setTimeout(resolve, 5));
  const cookie = await session(store);
  const input = { cookie, ip: '127.0.0.1', userAgent: 'bench', method: 'GET', path: '/me' };
  return { warden, store, input };
}

/** µs per call: the median of 5 runs of enough calls for ~100 ms. */
async function time(operation: () => unknown): Promise<number> {
  let calls = 200;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await operation();
    if (performance.now() - started > 100) break;
    calls *= 2;
  }
  const samples: number[] = [];
  for (let repeat = 0; repeat < 5; repeat += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await operation();
    samples.push(((performance.now() - started) * 1000) / calls);
  }
  return samples.sort((a, b) => a - b)[2]!;
}

/** N sessions in one SQLite transaction; the first `working` get real tokens, whose Cookie headers are returned. */
function fill(store: ReturnType<typeof sqliteStore>, total: number, working: number): string[] {
  const now = Date.now();
  const insert = store.database.prepare(`INSERT INTO sessionwarden_sessions (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const cookies: string[] = [];
  store.database.exec('BEGIN');
  for (let i = 0; i < total; i += 1) {
    const token = issueToken();
    if (i < working) cookies.push(`__Host-sid=${token.value}`);
    const expires = now + 12 * 3_600_000;
    insert.run(token.id, token.secretHash, `user-${i}`, now, now, now, 30 * 60_000, expires, Math.min(now + 30 * 60_000, expires), '203.0.113.7', 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', '{"locale":"en"}');
  }
  store.database.exec('COMMIT');
  return cookies;
}

/** Requests per second of begin() over the working set, round-robin, for `ms`. */
async function throughput(warden: ReturnType<typeof createWarden>, cookies: string[], ms: number): Promise<number> {
  let done = 0;
  const started = performance.now();
  while (performance.now() - started < ms) {
    for (let k = 0; k < 1000; k += 1) await warden.begin({ cookie: cookies[done++ % cookies.length]!, ip: '127.0.0.1', userAgent: 'bench', method: 'GET', path: '/me' });
  }
  return (done * 1000) / (performance.now() - started);
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(0)} MB`;

try {
  if (flags.scale !== undefined) {
    const total = Number(flags.scale);
    const store = sqliteStore({ path: join(dir, 'scale.sqlite') });
    const started = performance.now();
    const cookies = fill(store, total, 10_000);
    console.log(`${total.toLocaleString('en')} live sessions stored in ${((performance.now() - started) / 1000).toFixed(0)} s; working set ${cookies.length.toLocaleString('en')}`);
    const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
    for (const cached of [false, true]) {
      const warden = createWarden({ store, touchInterval: '1h', ...(cached ? { cache: { maxEntries: 10_000 } } : {}) });
      gc();
      const before = process.memoryUsage();
      const rate = await throughput(warden, cookies, 5000);
      gc();
      const after = process.memoryUsage();
      console.log(
        `${cached ? 'with cache   ' : 'without cache'}: ${Math.round(rate).toLocaleString('en')} begin()/s; heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)}, RSS ${mb(before.rss)} -> ${mb(after.rss)}` +
          (warden.cache ? `; cache size ${warden.cache.cacheStats.size}, hits ${warden.cache.cacheStats.hits}, misses ${warden.cache.cacheStats.misses}` : ''),
      );
    }
    await store.close();
  } else if (flags.requests !== undefined) {
    const { warden, store, input } = await wardenOn(flags.store!, flags.cache === 'on');
    const count = Number(flags.requests);
    for (let i = 0; i < count; i += 1) await warden.begin(input);
    await (warden.cache ?? store).close?.();
  } else {
    console.log(`Node ${process.version}; µs per call, median of 5 runs, each call awaited in a loop (no HTTP).\n`);
    console.log('| store | warden.begin() without cache | with cache | cache hits |\n| --- | ---: | ---: | ---: |');
    for (const kind of ['sqlite', 'postgres', 'redis']) {
      const plain = await wardenOn(kind, false);
      const without = await time(() => plain.warden.begin(plain.input));
      await plain.store.close?.();
      const cached = await wardenOn(kind, true);
      const withCache = await time(() => cached.warden.begin(cached.input));
      console.log(`| ${kind} | ${without.toFixed(2)} | ${withCache.toFixed(2)} | ${cached.warden.cache!.cacheStats.hits} |`);
      await cached.warden.cache!.close?.();
    }

    const sqlite = sqliteStore({ path: join(dir, 'version.sqlite') });
    const version = sqlite.database.prepare('PRAGMA data_version').raw(true);
    const cookie = await session(sqlite);
    const id = cookie.split('=')[1]!.split('.')[0]!;
    console.log(`\nSQLite: PRAGMA data_version ${(await time(() => version.get())).toFixed(2)} µs; store.get(id) ${(await time(() => sqlite.get(id))).toFixed(2)} µs`);

    // Heap per cached entry: 10,000 live records of the bench's shape (user id, IP, user agent, small data) cached.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) console.log('heap per entry: run with --expose-gc');
    else {
      const entries = 10_000;
      const cache = cacheStore(sqlite, { maxEntries: entries }, Date.now);
      const ids: string[] = [];
      for (let i = 0; i < entries; i += 1) ids.push((await session(sqlite)).split('=')[1]!.split('.')[0]!);
      gc();
      const before = process.memoryUsage().heapUsed;
      for (const each of ids) await cache.get(each);
      gc();
      const after = process.memoryUsage().heapUsed;
      console.log(`heap per cached entry: ${Math.round((after - before) / entries)} bytes (${entries} entries, size ${cache.cacheStats.size}; user agent "bench", data {"locale":"en"})`);
    }
    await sqlite.close();
  }
} finally {
  for (const cleanup of cleanups) await cleanup();
  rmSync(dir, { recursive: true, force: true });
}
