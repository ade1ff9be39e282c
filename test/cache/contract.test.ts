// The store contract passes with the read cache in front of every store (memory, SQLite, PostgreSQL, Redis), and the
// cache really answers some of those reads. On SQLite and memory the two-handle race cases run too: there the
// other handle's commit is seen on the next read (data_version / the shared instance). On PostgreSQL and Redis the
// other handle's news arrive over the network a few ms later (the measured window, see revocation-window.test.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheStore, type CachedSessionStore } from '../../src/core/cache.js';
import type { SessionStore } from '../../src/core/types.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { runStoreContract, T0 } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from '../helpers/redis.js';
import { freshPostgresDatabase, requirePostgres, type FreshDatabase } from '../helpers/services.js';
import { upNow } from './helpers.js';

const HAVE_REDIS = await requireRedis('read cache contract');
const SKIP_PG = await requirePostgres('read cache contract');
const dir = mkdtempSync(join(tmpdir(), 'sw-cache-'));
const db: FreshDatabase | null = SKIP_PG ? null : await freshPostgresDatabase('cache_contract');
const prefixes: string[] = [];
const caches = new Map<string, CachedSessionStore[]>();
let n = 0;

/** The contract's clock stands at T0: records live there are cached, so the cache answers for real. */
async function cached(kind: string, store: SessionStore): Promise<CachedSessionStore> {
  const wrapped = await upNow(cacheStore(store, { maxEntries: 64 }, () => T0));
  caches.set(kind, [...(caches.get(kind) ?? []), wrapped]);
  return wrapped;
}

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (prefixes.length > 0) {
    const client = await connectRedis();
    for (const prefix of prefixes) await deletePrefix(client, prefix);
    await client.close();
  }
  await db?.drop();
});

runStoreContract('memory + cache', () => cached('memory', memoryStore()), {
  makePair: async () => {
    const shared = memoryStore();
    return [await cached('memory', shared), await cached('memory', shared)];
  },
});

runStoreContract('sqlite + cache', () => cached('sqlite', sqliteStore({ path: join(dir, `c-${n++}.sqlite`) })), {
  makePair: async () => {
    const path = join(dir, `pair-${n++}.sqlite`);
    return [await cached('sqlite', sqliteStore({ path })), await cached('sqlite', sqliteStore({ path }))];
  },
});

if (db !== null) runStoreContract('postgres + cache', () => cached('postgres', postgresStore({ connectionString: db.url, table: `t${n++}` })));

if (HAVE_REDIS) {
  runStoreContract('redis + cache', () => {
    const prefix = uniquePrefix('cache_contract');
    prefixes.push(prefix);
    return cached('redis', redisStore({ url: REDIS_URL, prefix }));
  });
}

describe('the contract above ran through the cache', () => {
  it('answered repeated reads from the cache on every store (fresh objects each time), and forgot records on writes', () => {
    const kinds = ['memory', 'sqlite', ...(db !== null ? ['postgres'] : []), ...(HAVE_REDIS ? ['redis'] : [])];
    for (const kind of kinds) {
      const all = caches.get(kind) ?? [];
      const hits = all.reduce((sum, cache) => sum + cache.cacheStats.hits, 0);
      const invalidations = all.reduce((sum, cache) => sum + cache.cacheStats.invalidations, 0);
      expect(hits, kind).toBeGreaterThanOrEqual(2);
      expect(invalidations, kind).toBeGreaterThan(20);
    }
  });
});
