// A store from one string (a SQLite path or a store URL): the table of URL schemes the CLI and the demo share.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SessionConfigError, SessionStoreError } from '../core/errors.js';
import type { SessionStore } from '../core/types.js';
import { postgresStore } from './postgres/index.js';
import { redisStoreFromUrl } from './redis/index.js';
import { sqliteStore } from './sqlite/index.js';

/** A store opened from a string: every admin method, a way to release it, and its schema migration. */
export type OpenedSessionStore = SessionStore & Required<Pick<SessionStore, 'list' | 'stats' | 'close'>> & { migrate(): Promise<number> };

/** An opened store, its kind, and how messages name it (a path, or a URL without its password). */
export interface OpenedStore {
  store: OpenedSessionStore;
  kind: StoreKind;
  label: string;
}

/** The kinds of store a string can name. */
export type StoreKind = 'sqlite' | 'postgres' | 'redis';

/**
 * What a store string names: the store kind, what its opener receives (a file path or the URL) and a printable label.
 * @example
 * parseStoreUrl('sqlite:data/sessions.sqlite') // { kind: 'sqlite', address: 'data/sessions.sqlite', label: 'data/sessions.sqlite' }
 */
export interface StoreTarget {
  kind: StoreKind;
  address: string;
  label: string;
}

/**
 * Options of `openStore`.
 * @example
 * openStore('postgres://app@db/app', { create: false })
 */
export interface OpenStoreOptions {
  /**
   * Create the store (SQLite: the file; SQL: the schema on first use) when it does not exist. The CLI sets it only for
   * `migrate`, so a mistyped path is an error, not an empty store.
   * @default true
   */
  create?: boolean;
}

type StoreOpener = (target: StoreTarget, create: boolean) => OpenedSessionStore;

function openSqlite(target: StoreTarget, create: boolean): OpenedSessionStore {
  const path = target.address;
  if (!create) {
    if (!existsSync(path)) throw new SessionStoreError('STORE_UNAVAILABLE', `no store at ${path} (run \`sessionwarden migrate --store ${path}\` to create one)`);
    if (!statSync(path).isFile()) throw new SessionStoreError('STORE_UNAVAILABLE', `${path} is not a SQLite file`);
  }
  return unavailableUnless(target, () => sqliteStore({ path }));
}

function openPostgres(target: StoreTarget, create: boolean): OpenedSessionStore {
  // Without create, a missing table is reported on first use instead of being made.
  return unavailableUnless(target, () => postgresStore({ connectionString: target.address, migrate: create }));
}

function openRedis(target: StoreTarget): OpenedSessionStore {
  // Redis has no schema to create: a missing server shows on first use (the CLI probes it first).
  return unavailableUnless(target, () => {
    const store = redisStoreFromUrl(target.address);
    return Object.assign(store, { migrate: async () => 0 });
  });
}

/** A store that cannot be opened (missing driver, unreadable file) fails as unavailable, naming it. */
function unavailableUnless(target: StoreTarget, open: () => OpenedSessionStore): OpenedSessionStore {
  try {
    return open();
  } catch (error) {
    throw new SessionStoreError('STORE_UNAVAILABLE', `${target.label}: ${(error as Error).message.replace(/^sessionwarden: /, '')}`, { cause: error });
  }
}

/** Store kinds and their openers; a new store is one line here. */
const OPENERS: Readonly<Record<StoreKind, StoreOpener>> = {
  sqlite: openSqlite,
  postgres: openPostgres,
  redis: openRedis,
};

/** URL schemes and the store kind each one names. */
const SCHEMES: Readonly<Record<string, StoreKind>> = {
  sqlite: 'sqlite',
  file: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  redis: 'redis',
  rediss: 'redis',
  'redis+cluster': 'redis',
  'rediss+cluster': 'redis',
};

// Two characters at least, so that a Windows drive letter (C:\…) stays a path.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Read a store string: a plain path is a SQLite file; `sqlite:<path>` and `file:<path>` take the rest as it is,
 * `sqlite:///abs/path` and `file:///abs/path` are URLs (percent-decoded); postgres(ql):// and redis(s):// name those
 * stores (`redis+cluster://host:port,host:port` a Redis Cluster by its seed nodes). Throws SessionConfigError for a
 * string that names no store.
 * @example
 * parseStoreUrl('sqlite:///var/lib/app/sessions.sqlite').address // '/var/lib/app/sessions.sqlite'
 */
export function parseStoreUrl(value: string): StoreTarget {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', address: value, label: value };
  const kind = SCHEMES[scheme];
  if (kind === undefined) {
    throw new SessionConfigError(
      `unknown store URL scheme "${scheme}:" (use a file path, sqlite:<path>, postgres://… or redis://…; write ./${value} for a file whose name has a colon)`,
    );
  }
  if (kind !== 'sqlite') return { kind, address: value, label: withoutPassword(value) };
  const rest = value.slice(scheme.length + 1);
  let path = rest;
  if (rest.startsWith('//')) {
    try {
      path = fileURLToPath(`file:${rest}`);
    } catch (error) {
      throw new SessionConfigError(`${value} is not a local file URL (${(error as Error).message}); write sqlite:///absolute/path or sqlite:relative/path`);
    }
  }
  if (path === '') throw new SessionConfigError(`${value} names no file`);
  return { kind, address: path, label: path };
}

/** A URL as it may be printed: its password replaced (a cluster URL's host list is not one URL, so it is masked by hand). */
function withoutPassword(value: string): string {
  if (/^rediss?\+cluster:\/\//i.test(value)) {
    if (!/^rediss?\+cluster:\/\/(?:[^@/]*@)?[^/?#@]+(?::\d+)?(?:,[^/?#@,]+)*(?:[/?#].*)?$/i.test(value)) {
      throw new SessionConfigError(`${value.replace(/:[^:@/]*@/, ':***@')} is not a valid cluster URL (redis+cluster://host:port,host:port)`);
    }
    return value.replace(/^(rediss?\+cluster:\/\/[^:@/]*):[^@/]*@/i, '$1:***@');
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new SessionConfigError(`${value.replace(/:[^:@/]*@/, ':***@')} is not a valid URL`);
  }
  if (url.password !== '') url.password = '***';
  return url.href;
}

/**
 * Open the store a path or URL names (synchronously: SQL stores connect on first use). Throws SessionConfigError for a
 * string that names no store or a kind this version lacks, SessionStoreError for a store that is missing (without
 * `create`) or cannot be opened.
 * @example
 * const { store } = openStore(process.env.SESSIONWARDEN_STORE ?? 'data/sessions.sqlite');
 */
export function openStore(value: string | StoreTarget, options: OpenStoreOptions = {}): OpenedStore {
  const target = typeof value === 'string' ? parseStoreUrl(value) : value;
  return { store: OPENERS[target.kind](target, options.create ?? true), kind: target.kind, label: target.label };
}
