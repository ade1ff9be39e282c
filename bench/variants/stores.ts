// The store under a sessionwarden row, by kind: an SQLite file, a fresh PostgreSQL database or a fresh Redis prefix, each opened from dist/ with its warden, filled, and released on close.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { SessionStore, Warden } from '../../src/index.js';
import { loadBuiltPackage, loadBuiltPostgresStore, loadBuiltRedisStore } from '../package.js';
import { cacheOption, type VariantOptions } from './index.js';
import { BENCH_REDIS_URL, benchPrefix } from './redis-bench.js';

/** The stores every framework's sessionwarden rows run on. */
export type BenchStoreKind = 'sqlite' | 'postgres' | 'redis';

/** The server the PostgreSQL variants use (its database is only where fresh ones are created from). */
const SERVER_URL = process.env.SESSIONWARDEN_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh database on the benchmark's PostgreSQL server, dropped by `drop()`: each variant measures its own.
 * @example
 * const db = await createBenchDatabase('sessionwarden'); … await db.drop();
 */
export async function createBenchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sw_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * A warden on a store of `kind` with the variant's cache option, filled first with `sessions` logins of other users;
 * `release()` stops the cache's watch, closes the store and removes its database or keys.
 * @example
 * const { warden, release } = await openBenchWarden('postgres', options);
 */
export async function openBenchWarden(kind: BenchStoreKind, options: VariantOptions): Promise<{ warden: Warden; release(): Promise<void> }> {
  const { core } = await loadBuiltPackage();
  const { store, remove } = await openStore(kind, options.dataDir);
  const warden = core.createWarden({ store, insecureDevelopmentMode: false, ...cacheOption(options) });
  const release = async () => {
    try {
      // The cache's close stops its watch (a LISTEN connection, a subscriber) and closes the store under it.
      await (warden.cache ?? store).close?.();
    } finally {
      await remove();
    }
  };
  try {
    // A network store takes 32 logins at a time (its round trips overlap); SQLite's writes are one at a time anyway.
    await fillWithLogins(warden, options.sessions, kind === 'sqlite' ? 1 : 32);
  } catch (error) {
    await release();
    throw error;
  }
  return { warden, release };
}

/** A store of `kind` on a file, database or key prefix of its own, and how to remove that. */
async function openStore(kind: BenchStoreKind, dataDir: string): Promise<{ store: SessionStore; remove(): Promise<void> }> {
  if (kind === 'sqlite') {
    const { sqlite } = await loadBuiltPackage();
    // The file goes with the variant's data folder (the server child removes it).
    return { store: sqlite.sqliteStore({ path: join(dataDir, 'sessionwarden.sqlite') }), remove: async () => undefined };
  }
  if (kind === 'postgres') {
    const { postgresStore } = await loadBuiltPostgresStore();
    const db = await createBenchDatabase('sessionwarden');
    try {
      const store = postgresStore({ connectionString: db.url });
      await store.migrate();
      return { store, remove: db.drop };
    } catch (error) {
      await db.drop();
      throw error;
    }
  }
  const { redisStoreFromUrl } = await loadBuiltRedisStore();
  const { prefix, clear } = benchPrefix('sessionwarden');
  const store = redisStoreFromUrl(BENCH_REDIS_URL, { prefix });
  await store.probe(5000);
  return { store, remove: clear };
}

/**
 * Sessions of other users, each made by a login through the core's public API (no store internals), `concurrency` at a time.
 * @example
 * await fillWithLogins(warden, 100_000, 32);
 */
export async function fillWithLogins(warden: Warden, count: number, concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const session = await warden.begin({ cookie: null, ip: '127.0.0.1', userAgent: 'autocannon', method: 'POST', path: '/login' });
      await session.login(`user-${i}`);
      await session.commit();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
