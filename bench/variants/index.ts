// The benchmark's variants in one table: a name, a label, whether it has a store to fill, how to start it; and the targets.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchStoreKind } from './stores.js';

/** The user every variant signs in and `GET /me` answers with. */
export const BENCH_USER = 'alice';

/**
 * What a variant's server child gets.
 * @example
 * await VARIANT_TABLE.floor.start({ dataDir, sessions: 100_000 })
 */
export interface VariantOptions {
  /** A private folder for the variant's database files. */
  dataDir: string;
  /** Sessions of other users to store before the first request. @default 0 */
  sessions: number;
  /** The warden's read cache size (`cache: { maxEntries }`); absent: no cache. @default none */
  cache?: number;
}

/** The read cache size of every "+ cache" variant: the working set of the scale figure. */
export const BENCH_CACHE_ENTRIES = 10_000;

/**
 * The same variant with the read cache on: a "+ cache" row is one table entry, `start: (o) => startX(withCache(o))`.
 * @example
 * start: async (options) => (await import('./sessionwarden-express.js')).startSessionwardenExpress('sqlite', withCache(options))
 */
export function withCache(options: VariantOptions): VariantOptions {
  return { ...options, cache: BENCH_CACHE_ENTRIES };
}

/** The warden options a variant adds for its cache (none without one). */
export function cacheOption(options: VariantOptions): { cache?: { maxEntries: number } } {
  return options.cache === undefined ? {} : { cache: { maxEntries: options.cache } };
}

/** A started variant: every one serves `POST /login` (sets the session cookie) and `GET /me` answering `{"user":"alice"}`. */
export interface VariantServer {
  /** Listen on 127.0.0.1 at `port` (0: any free port); resolves to the port. */
  listen(port: number): Promise<number>;
  /** Stop listening, drop open connections and release the store. */
  close(): Promise<void>;
}

/** The frameworks measured; every ratio is to the bare variant (and the floor) of the row's own framework. */
export type BenchFramework = 'express' | 'fastify' | 'hono';

/** One row of the table. */
export interface Variant {
  /** How the results table names it. */
  label: string;
  /** The framework it runs on. */
  framework: BenchFramework;
  /** Whether `--100k` fills its store first (a variant without a store has nothing to fill). */
  hasStore: boolean;
  /** Build the app and its store, in the server child. */
  start(options: VariantOptions): Promise<VariantServer>;
}

const FRAMEWORK_NAMES: Readonly<Record<BenchFramework, string>> = { express: 'Express', fastify: 'Fastify', hono: 'Hono' };
const STORE_NAMES: Readonly<Record<BenchStoreKind, string>> = { sqlite: 'SQLite', postgres: 'PostgreSQL', redis: 'Redis' };

/** Each framework's sessionwarden server, taking the store kind (one file per framework). */
const SESSIONWARDEN_ON: Readonly<Record<BenchFramework, () => Promise<(kind: BenchStoreKind, options: VariantOptions) => Promise<VariantServer>>>> = {
  express: async () => (await import('./sessionwarden-express.js')).startSessionwardenExpress,
  fastify: async () => (await import('./fastify.js')).startSessionwardenFastify,
  hono: async () => (await import('./hono.js')).startSessionwardenHono,
};

/**
 * A sessionwarden row: a framework, a store (a file, database or key prefix of its own) and the read cache on or off.
 * @example
 * 'sessionwarden-hono-redis-cache': sessionwardenRow('hono', 'redis', { cache: true }) // "sessionwarden on Hono + Redis + cache (dist/, node-redis)"
 */
function sessionwardenRow(framework: BenchFramework, kind: BenchStoreKind, { cache }: { cache: boolean }): Variant {
  const on = framework === 'express' ? '' : ` on ${FRAMEWORK_NAMES[framework]}`;
  return {
    label: `sessionwarden${on} + ${STORE_NAMES[kind]}${cache ? ' + cache' : ''} (dist/${kind === 'redis' ? ', node-redis' : ''})`,
    framework,
    hasStore: true,
    start: async (options) => (await SESSIONWARDEN_ON[framework]())(kind, cache ? withCache(options) : options),
  };
}

/**
 * Every variant, in the order each round measures them (and the results table lists them), grouped by framework. A new
 * sessionwarden row is one `sessionwardenRow()` entry; another server is one entry here and one file beside this one.
 */
export const VARIANT_TABLE = {
  bare: {
    label: 'bare Express 5 (no session)',
    framework: 'express',
    hasStore: false,
    start: async (options) => (await import('./express-bare.js')).startBareExpress(options),
  },
  floor: {
    label: 'floor: cookie + SHA-256 + one SQLite read',
    framework: 'express',
    hasStore: true,
    start: async (options) => (await import('./floor.js')).startFloor(options),
  },
  sessionwarden: sessionwardenRow('express', 'sqlite', { cache: false }),
  'sessionwarden-cache': sessionwardenRow('express', 'sqlite', { cache: true }),
  'express-session-memory': {
    label: 'express-session + MemoryStore',
    framework: 'express',
    hasStore: true,
    start: async (options) => (await import('./express-session.js')).startExpressSession('memory', options),
  },
  'express-session-sqlite': {
    label: 'express-session + better-sqlite3-session-store',
    framework: 'express',
    hasStore: true,
    start: async (options) => (await import('./express-session.js')).startExpressSession('sqlite', options),
  },
  'sessionwarden-postgres': sessionwardenRow('express', 'postgres', { cache: false }),
  'sessionwarden-postgres-cache': sessionwardenRow('express', 'postgres', { cache: true }),
  'express-session-postgres': {
    label: 'express-session + connect-pg-simple (same server)',
    framework: 'express',
    hasStore: true,
    start: async (options) => (await import('./express-session-postgres.js')).startExpressSessionPostgres(options),
  },
  'sessionwarden-redis': sessionwardenRow('express', 'redis', { cache: false }),
  'sessionwarden-redis-cache': sessionwardenRow('express', 'redis', { cache: true }),
  'express-session-redis': {
    label: 'express-session + connect-redis (node-redis)',
    framework: 'express',
    hasStore: true,
    start: async (options) => (await import('./express-session-redis.js')).startExpressSessionRedis(options),
  },
  'fastify-bare': {
    label: 'bare Fastify 5 (no session)',
    framework: 'fastify',
    hasStore: false,
    start: async (options) => (await import('./fastify.js')).startBareFastify(options),
  },
  'fastify-floor': {
    label: 'floor on Fastify: cookie + SHA-256 + one SQLite read',
    framework: 'fastify',
    hasStore: true,
    start: async (options) => (await import('./fastify.js')).startFastifyFloor(options),
  },
  'sessionwarden-fastify': sessionwardenRow('fastify', 'sqlite', { cache: false }),
  'sessionwarden-fastify-cache': sessionwardenRow('fastify', 'sqlite', { cache: true }),
  'sessionwarden-fastify-postgres': sessionwardenRow('fastify', 'postgres', { cache: false }),
  'sessionwarden-fastify-postgres-cache': sessionwardenRow('fastify', 'postgres', { cache: true }),
  'sessionwarden-fastify-redis': sessionwardenRow('fastify', 'redis', { cache: false }),
  'sessionwarden-fastify-redis-cache': sessionwardenRow('fastify', 'redis', { cache: true }),
  'fastify-session-memory': {
    label: '@fastify/session + MemoryStore',
    framework: 'fastify',
    hasStore: true,
    start: async (options) => (await import('./fastify.js')).startFastifySession(options),
  },
  'hono-bare': {
    label: 'bare Hono 4 on @hono/node-server (no session)',
    framework: 'hono',
    hasStore: false,
    start: async (options) => (await import('./hono.js')).startBareHono(options),
  },
  'hono-floor': {
    label: 'floor on Hono: cookie + SHA-256 + one SQLite read',
    framework: 'hono',
    hasStore: true,
    start: async (options) => (await import('./hono.js')).startHonoFloor(options),
  },
  'sessionwarden-hono': sessionwardenRow('hono', 'sqlite', { cache: false }),
  'sessionwarden-hono-cache': sessionwardenRow('hono', 'sqlite', { cache: true }),
  'sessionwarden-hono-postgres': sessionwardenRow('hono', 'postgres', { cache: false }),
  'sessionwarden-hono-postgres-cache': sessionwardenRow('hono', 'postgres', { cache: true }),
  'sessionwarden-hono-redis': sessionwardenRow('hono', 'redis', { cache: false }),
  'sessionwarden-hono-redis-cache': sessionwardenRow('hono', 'redis', { cache: true }),
} satisfies Record<string, Variant>;

/** One variant's name. */
export type VariantName = keyof typeof VARIANT_TABLE;

/** The variant names in measuring order. */
export const VARIANTS = Object.keys(VARIANT_TABLE) as VariantName[];

/** The yardstick of every "× bare" ratio. */
export const BASELINE: VariantName = 'bare';

/** Each framework's bare variant (its rows' "× bare") and floor (their "× floor"). */
export const BARE_OF: Readonly<Record<BenchFramework, VariantName>> = { express: 'bare', fastify: 'fastify-bare', hono: 'hono-bare' };
export const FLOOR_OF: Readonly<Record<BenchFramework, VariantName>> = { express: 'floor', fastify: 'fastify-floor', hono: 'hono-floor' };

/** A goal checked after every run: `variant`'s req/s over `against`'s (per-round median) must reach `atLeast`. */
export interface Target {
  variant: VariantName;
  against: VariantName;
  atLeast: number;
}

/** The goals the report marks PASS or FAIL; a target whose variants were not measured is left out. */
export const TARGETS: readonly Target[] = [
  { variant: 'sessionwarden', against: 'floor', atLeast: 0.97 },
  { variant: 'sessionwarden', against: 'express-session-memory', atLeast: 1 },
  { variant: 'sessionwarden', against: 'express-session-sqlite', atLeast: 1 },
  { variant: 'sessionwarden-postgres', against: 'bare', atLeast: 0.5 },
  { variant: 'sessionwarden-postgres', against: 'express-session-postgres', atLeast: 1 },
  { variant: 'sessionwarden-redis', against: 'bare', atLeast: 0.6 },
  { variant: 'sessionwarden-redis', against: 'express-session-redis', atLeast: 1 },
  { variant: 'sessionwarden-fastify', against: 'fastify-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-fastify', against: 'fastify-session-memory', atLeast: 1 },
  { variant: 'sessionwarden-hono', against: 'hono-bare', atLeast: 0.8 },
  // Issue 14: with the read cache, at least 0.90x bare Express on every store.
  { variant: 'sessionwarden-cache', against: 'bare', atLeast: 0.9 },
  { variant: 'sessionwarden-postgres-cache', against: 'bare', atLeast: 0.9 },
  { variant: 'sessionwarden-redis-cache', against: 'bare', atLeast: 0.9 },
  // Issue 14: with the read cache, at least 0.80x the bare framework on Fastify and Hono, on every store.
  { variant: 'sessionwarden-fastify-cache', against: 'fastify-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-fastify-postgres-cache', against: 'fastify-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-fastify-redis-cache', against: 'fastify-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-hono-cache', against: 'hono-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-hono-postgres-cache', against: 'hono-bare', atLeast: 0.8 },
  { variant: 'sessionwarden-hono-redis-cache', against: 'hono-bare', atLeast: 0.8 },
];

/** Whether a string names a variant. */
export function isVariantName(value: string): value is VariantName {
  return Object.hasOwn(VARIANT_TABLE, value);
}

/**
 * Serve a request listener (an Express app) as a variant server.
 * @example
 * return serveListener(app, () => store.close());
 */
export function serveListener(listener: RequestListener, release: () => Promise<void> | void): VariantServer {
  const server: Server = createServer(listener);
  return {
    listen: (port) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
      }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await release();
    },
  };
}
