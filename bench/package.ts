// The built package for the measured servers: loaded by its own name, so Node resolves it through `exports` to dist/.
import type * as Core from '../src/index.js';
import type * as ExpressAdapter from '../src/express/index.js';
import type * as FastifyAdapter from '../src/fastify/index.js';
import type * as HonoAdapter from '../src/hono/index.js';
import type * as SqliteStore from '../src/stores/sqlite/index.js';
import type * as RedisStore from '../src/stores/redis/index.js';
import type * as PostgresStore from '../src/stores/postgres/index.js';

/** The entries of the installed package the benchmark uses, typed from their sources. */
export interface BuiltPackage {
  core: typeof Core;
  express: typeof ExpressAdapter;
  fastify: typeof FastifyAdapter;
  hono: typeof HonoAdapter;
  sqlite: typeof SqliteStore;
}

const NAME = 'sessionwarden';

/**
 * Import `sessionwarden`, its Express, Fastify and Hono adapters and `sessionwarden/stores/sqlite` as an app does (from dist/).
 * @example
 * const { core, express, fastify, hono, sqlite } = await loadBuiltPackage();
 */
export async function loadBuiltPackage(): Promise<BuiltPackage> {
  // Specifiers computed at run time: neither TypeScript nor the bundler follows them, so the only copy of the
  // library that runs is the one the package's exports point to (dist/), never src/.
  const [core, express, fastify, hono, sqlite] = await Promise.all([
    import(NAME) as Promise<typeof Core>,
    import(`${NAME}/express`) as Promise<typeof ExpressAdapter>,
    import(`${NAME}/fastify`) as Promise<typeof FastifyAdapter>,
    import(`${NAME}/hono`) as Promise<typeof HonoAdapter>,
    import(`${NAME}/stores/sqlite`) as Promise<typeof SqliteStore>,
  ]);
  return { core, express, fastify, hono, sqlite };
}

/**
 * Import `sessionwarden/stores/redis` from dist/, as an app does (only the Redis variant needs it, and the redis package).
 * @example
 * const { redisStoreFromUrl } = await loadBuiltRedisStore();
 */
export async function loadBuiltRedisStore(): Promise<typeof RedisStore> {
  return import(`${NAME}/stores/redis`) as Promise<typeof RedisStore>;
}

/**
 * Import `sessionwarden/stores/postgres` from dist/, as an app does (only the PostgreSQL variants need it, and pg).
 * @example
 * const { postgresStore } = await loadBuiltPostgresStore();
 */
export async function loadBuiltPostgresStore(): Promise<typeof PostgresStore> {
  return import(`${NAME}/stores/postgres`) as Promise<typeof PostgresStore>;
}
