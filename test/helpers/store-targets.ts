// The stores that multi-process tests run on, as store URLs (what `--store` and SESSIONWARDEN_STORE take): one table,
// so a new store joins every such test with one entry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectRedis, deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from './redis.js';
import { freshPostgresDatabase, requirePostgres } from './services.js';

/** A fresh, empty store for one test, and how to remove it. */
export interface FreshStore {
  url: string;
  remove(): Promise<void>;
}

/** One store kind the cross-process tests run on. */
export interface StoreTarget {
  name: string;
  /** True when its server is down on a developer machine (under CI a missing server fails instead). */
  skip: boolean;
  /** A new empty store (file, database) named after `label` (lower-case letters, digits, _). */
  fresh(label: string): Promise<FreshStore>;
}

const sqlite: StoreTarget = {
  name: 'SQLite',
  skip: false,
  async fresh(label) {
    const dir = mkdtempSync(join(tmpdir(), `sw-${label}-`));
    return { url: join(dir, 'sessions.sqlite'), remove: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

/**
 * Every store of the table, each checked for its server once (call it at a test file's top level).
 * @example
 * const TARGETS = await storeTargets('multi-process'); describe.each(TARGETS)('$name', (target) => { … });
 */
export async function storeTargets(suite: string): Promise<StoreTarget[]> {
  return [
    sqlite,
    {
      name: 'PostgreSQL',
      skip: await requirePostgres(suite),
      async fresh(label) {
        const db = await freshPostgresDatabase(label);
        return { url: db.url, remove: db.drop };
      },
    },
    {
      name: 'Redis',
      skip: !(await requireRedis(suite)),
      async fresh(label) {
        const prefix = uniquePrefix(label);
        return { url: `${REDIS_URL}?prefix=${prefix}`, remove: () => removePrefix(REDIS_URL, prefix) };
      },
    },
  ];
}

/** Delete every key under `prefix` (SCAN, never KEYS). */
async function removePrefix(url: string, prefix: string): Promise<void> {
  const client = await connectRedis(url);
  try {
    await deletePrefix(client, prefix);
  } finally {
    await client.close();
  }
}
