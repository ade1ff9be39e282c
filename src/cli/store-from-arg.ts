// `--store` for the CLI: a SQLite path or a store URL (sqlite:, file:, postgres:, redis:) opened by one table of openers.
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SessionStore } from '../core/types.js';
import { CliError, EXIT, messageOf } from './cli-error.js';

/** A store the CLI can run every command on (admin counts and a way to release it). */
export type CliStore = SessionStore & Required<Pick<SessionStore, 'stats' | 'close'>>;

/** An opened store and how messages name it (a path, or a URL without its password). */
export interface OpenedStore {
  store: CliStore;
  label: string;
}

/**
 * What `--store` names: the store kind, what its opener receives (a file path or the URL) and a printable label.
 * @example
 * parseStoreArg('sqlite:data/sessions.sqlite') // { kind: 'sqlite', address: 'data/sessions.sqlite', label: 'data/sessions.sqlite' }
 */
export interface StoreTarget {
  kind: string;
  address: string;
  label: string;
}

/**
 * Options of `openStoreFromUrl`.
 * @example
 * await openStoreFromUrl('data/sessions.sqlite', { create: false })
 */
export interface OpenStoreOptions {
  /** Create the store when it does not exist: only `migrate` does, so a mistyped path is an error, not an empty store. */
  create: boolean;
}

type StoreOpener = (target: StoreTarget, options: OpenStoreOptions) => Promise<OpenedStore>;

/** A store kind this version does not include: refused as a usage error that says so. */
function notInThisVersion(kind: string): StoreOpener {
  return async () => {
    throw new CliError(EXIT.usage, `the ${kind} store is not available in this version of sessionwarden; use a SQLite file (a path or sqlite:<path>)`);
  };
}

async function openSqlite(target: StoreTarget, options: OpenStoreOptions): Promise<OpenedStore> {
  const path = target.address;
  if (!options.create) {
    if (!existsSync(path)) throw new CliError(EXIT.storeUnavailable, `no store at ${path} (run \`sessionwarden migrate --store ${path}\` to create one)`);
    if (!statSync(path).isFile()) throw new CliError(EXIT.storeUnavailable, `${path} is not a SQLite file`);
  }
  try {
    // Loaded here, not at start-up: better-sqlite3 is an optional dependency and only this store needs it.
    const { sqliteStore } = await import('../stores/sqlite/index.js');
    return { store: sqliteStore({ path }), label: path };
  } catch (error) {
    throw new CliError(EXIT.storeUnavailable, `${path}: ${messageOf(error)}`, { cause: error });
  }
}

async function openRedis(target: StoreTarget): Promise<OpenedStore> {
  let store: CliStore & { probe(timeoutMs: number): Promise<void> };
  try {
    // Loaded here, not at start-up: redis is an optional peer dependency and only this store needs it.
    const { redisStoreFromUrl } = await import('../stores/redis/index.js');
    store = redisStoreFromUrl(target.address);
  } catch (error) {
    throw new CliError(EXIT.storeUnavailable, `${target.label}: ${messageOf(error)}`, { cause: error });
  }
  try {
    await store.probe(5000);
  } catch (error) {
    await store.close();
    throw new CliError(EXIT.storeUnavailable, `${target.label}: ${messageOf(error)}`, { cause: error });
  }
  return { store, label: target.label };
}

/** Store kinds by URL scheme; a new store is one line here. */
const OPENERS: Readonly<Record<string, StoreOpener>> = {
  sqlite: openSqlite,
  postgres: notInThisVersion('postgres'),
  redis: openRedis,
};

/** URL schemes and the store kind each one names. */
const SCHEMES: Readonly<Record<string, keyof typeof OPENERS>> = {
  sqlite: 'sqlite',
  file: 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  redis: 'redis',
  rediss: 'redis',
};

// Two characters at least, so that a Windows drive letter (C:\…) stays a path.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;

/**
 * Read a `--store` value: a plain path is a SQLite file; `sqlite:<path>` and `file:<path>` take the rest as it is,
 * `sqlite:///abs/path` and `file:///abs/path` are URLs (percent-decoded); postgres(ql):// and redis(s):// name those stores.
 * @example
 * parseStoreArg('sqlite:///var/lib/app/sessions.sqlite').address // '/var/lib/app/sessions.sqlite'
 */
export function parseStoreArg(value: string): StoreTarget {
  const scheme = SCHEME.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', address: value, label: value };
  const kind = SCHEMES[scheme];
  if (kind === undefined) {
    throw new CliError(
      EXIT.usage,
      `--store: unknown store URL scheme "${scheme}:" (use a file path, sqlite:<path>, postgres://… or redis://…; write ./${value} for a file whose name has a colon)`,
    );
  }
  if (kind !== 'sqlite') return { kind, address: value, label: withoutPassword(value) };
  const rest = value.slice(scheme.length + 1);
  let path = rest;
  if (rest.startsWith('//')) {
    try {
      path = fileURLToPath(`file:${rest}`);
    } catch (error) {
      throw new CliError(EXIT.usage, `--store: ${value} is not a local file URL (${messageOf(error)}); write sqlite:///absolute/path or sqlite:relative/path`);
    }
  }
  if (path === '') throw new CliError(EXIT.usage, `--store: ${value} names no file`);
  return { kind, address: path, label: path };
}

/** A URL as it may be printed: its password replaced. */
function withoutPassword(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(EXIT.usage, `--store: ${value.replace(/:[^:@/]*@/, ':***@')} is not a valid URL`);
  }
  if (url.password !== '') url.password = '***';
  return url.href;
}

/**
 * Open the store a `--store` value (path or URL) names; a missing store is an error unless `create` is set.
 * Throws a CliError: usage (bad URL, store kind not in this version) or store unavailable (missing, unopenable).
 * @example
 * const { store, label } = await openStoreFromUrl(process.env.SESSIONWARDEN_STORE ?? 'sessionwarden.sqlite', { create: false });
 */
export async function openStoreFromUrl(value: string, options: OpenStoreOptions): Promise<OpenedStore> {
  const target = parseStoreArg(value);
  return OPENERS[target.kind]!(target, options);
}
