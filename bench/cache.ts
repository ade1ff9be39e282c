// `npx tsx --expose-gc bench/cache.ts [--requests N] [--store sqlite|postgres|redis] [--cache on|off]`: the read
// cache's figures without HTTP: warden.begin() per request with and without the cache on each store, the SQLite
// data_version check against a read, and the heap per cached entry. With --requests it only runs N requests of one
// configuration (for `valgrind --tool=callgrind`: instructions per request = the difference of two N over their gap).
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
import { createBenchDatabase } from './variants/sessionwarden-postgres.js';

const { values: flags } = parseArgs({
  options: {
    requests: { type: 'string' },
    store: { type: 'string', default: 'sqlite' },
    cache: { type: 'string', default: 'on' },
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

try {
  if (flags.requests !== undefined) {
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
