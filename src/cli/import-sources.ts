// Where `sessionwarden import` reads express-session sessions: connect-redis, connect-pg-simple and the SQLite stores.
import { existsSync } from 'node:fs';
import { CliError, EXIT, messageOf } from './cli-error.js';

/** One stored express-session session, as read (its data not checked yet). */
export interface SourceSession {
  /** The express-session id (the cookie's `s:<id>.<signature>`). */
  oldId: string;
  /** The stored JSON text (or an already parsed value, as PostgreSQL's json column gives it). */
  data: unknown;
  /** When the source store would drop it (epoch ms), or null when it does not say. */
  expiresAt: number | null;
}

/** An opened source: batches of sessions, then close(). */
export interface SessionSource {
  /** How messages name it (URLs without their password). */
  label: string;
  /** Every session, in batches. */
  batches(): AsyncIterable<SourceSession[]>;
  close(): Promise<void>;
}

const BATCH = 500;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Open the express-session store `--from` names: `redis://…` or `rediss://…` (connect-redis; `?prefix=sess:`),
 * `postgres://…` (connect-pg-simple; `?table=session&schema=public`), or `sqlite:<file>` / a file path
 * (better-sqlite3-session-store or connect-sqlite3, told apart by their columns; `?table=sessions`).
 * @example
 * const source = await openSource('redis://127.0.0.1:6379?prefix=sess:');
 */
export async function openSource(from: string): Promise<SessionSource> {
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(from)?.[1]?.toLowerCase();
  if (scheme === 'redis' || scheme === 'rediss') return openRedis(from);
  if (scheme === 'postgres' || scheme === 'postgresql') return openPostgres(from);
  if (scheme === undefined || scheme === 'sqlite' || scheme === 'file') return openSqlite(from, scheme);
  throw new CliError(EXIT.usage, `--from: unknown source "${scheme}:" (redis://… for connect-redis, postgres://… for connect-pg-simple, sqlite:<file> for the SQLite stores)`);
}

/** Load an optional driver, or say how to install it. */
async function driver<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new CliError(EXIT.storeUnavailable, `--from needs the ${name} package (npm install ${name}): ${messageOf(error)}`, { cause: error });
  }
}

function parseUrl(value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new CliError(EXIT.usage, `--from: ${value.replace(/:[^:@/]*@/, ':***@')} is not a valid URL`);
  }
}

function labelOf(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== '') copy.password = '***';
  return copy.href;
}

/** Take our own parameters off a URL (the rest goes to the driver). */
function takeParam(url: URL, name: string): string | null {
  const value = url.searchParams.get(name);
  url.searchParams.delete(name);
  return value;
}

function identifier(value: string, what: string): string {
  if (!IDENTIFIER.test(value)) throw new CliError(EXIT.usage, `--from: ${what} ${JSON.stringify(value)} must be a plain SQL name (letters, digits, _)`);
  return `"${value}"`;
}

interface RedisClient {
  connect(): Promise<unknown>;
  close?(): Promise<void>;
  quit?(): Promise<unknown>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[] | string>;
  mGet(keys: string[]): Promise<(string | null)[]>;
  pTTL(key: string): Promise<number>;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

async function openRedis(from: string): Promise<SessionSource> {
  const url = parseUrl(from);
  const prefix = takeParam(url, 'prefix') ?? 'sess:';
  const { createClient } = await driver('redis', () => import('redis') as Promise<{ createClient(options: { url: string }): RedisClient }>);
  const client = createClient({ url: url.href });
  let failure: unknown = null;
  client.on('error', (error) => {
    failure = error;
  });
  try {
    await client.connect();
  } catch (error) {
    throw new CliError(EXIT.storeUnavailable, `${labelOf(url)}: ${messageOf(error)}`, { cause: error });
  }
  return {
    label: `${labelOf(url)} (keys ${prefix}*)`,
    async *batches() {
      for await (const found of client.scanIterator({ MATCH: `${prefix}*`, COUNT: BATCH })) {
        const keys = Array.isArray(found) ? found : [found];
        if (keys.length === 0) continue;
        // Commands sent in one tick go out as one pipeline.
        const [values, ttls] = await Promise.all([client.mGet(keys), Promise.all(keys.map((key) => client.pTTL(key)))]);
        const now = Date.now();
        yield keys.map((key, index) => ({
          oldId: key.slice(prefix.length),
          data: values[index],
          expiresAt: (ttls[index] ?? -1) >= 0 ? now + ttls[index]! : null,
        }));
      }
      if (failure !== null) throw failure;
    },
    async close() {
      await (client.close?.() ?? client.quit?.());
    },
  };
}

interface PgClient {
  connect(): Promise<unknown>;
  query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

async function openPostgres(from: string): Promise<SessionSource> {
  const url = parseUrl(from);
  const table = identifier(takeParam(url, 'table') ?? 'session', 'table');
  const schema = takeParam(url, 'schema');
  const qualified = schema === null ? table : `${identifier(schema, 'schema')}.${table}`;
  const pg = await driver('pg', () => import('pg') as unknown as Promise<{ default: { Client: new (options: { connectionString: string }) => PgClient } }>);
  const client = new pg.default.Client({ connectionString: url.href });
  try {
    await client.connect();
    await client.query(`SELECT 1 FROM ${qualified} LIMIT 0`);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new CliError(EXIT.storeUnavailable, `${labelOf(url)} ${qualified}: ${messageOf(error)}`, { cause: error });
  }
  return {
    label: `${labelOf(url)} (table ${qualified})`,
    async *batches() {
      let after = '';
      for (;;) {
        // Read as connect-pg-simple compares it: the timestamp in the connection's time zone.
        const { rows } = await client.query(
          `SELECT sid, sess::text AS sess, (extract(epoch from expire::timestamptz) * 1000)::float8 AS expires FROM ${qualified} WHERE sid > $1 ORDER BY sid LIMIT ${BATCH}`,
          [after],
        );
        if (rows.length === 0) return;
        after = String(rows[rows.length - 1]!.sid);
        yield rows.map((row) => ({ oldId: String(row.sid), data: row.sess, expiresAt: typeof row.expires === 'number' ? row.expires : null }));
      }
    },
    async close() {
      await client.end();
    },
  };
}

interface SqliteStatement {
  all(...values: unknown[]): Record<string, unknown>[];
}
interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  close(): void;
}

async function openSqlite(from: string, scheme: string | undefined): Promise<SessionSource> {
  let path = scheme === undefined ? from : from.slice(scheme.length + 1);
  let tableName = 'sessions';
  const query = path.indexOf('?');
  if (query >= 0) {
    const params = new URLSearchParams(path.slice(query + 1));
    tableName = params.get('table') ?? tableName;
    path = path.slice(0, query);
  }
  if (path.startsWith('//')) path = new URL(`file:${path}`).pathname;
  if (!existsSync(path)) throw new CliError(EXIT.storeUnavailable, `--from: no SQLite file at ${path}`);
  const table = identifier(tableName, 'table');
  const { default: Database } = await driver('better-sqlite3', () => import('better-sqlite3') as Promise<{ default: new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteDatabase }>);
  let db: SqliteDatabase;
  let columns: Set<string>;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    columns = new Set(db.prepare(`PRAGMA table_info(${table})`).all().map((column) => String(column.name)));
  } catch (error) {
    throw new CliError(EXIT.storeUnavailable, `${path}: ${messageOf(error)}`, { cause: error });
  }
  // better-sqlite3-session-store keeps an ISO date in `expire`; connect-sqlite3 epoch milliseconds in `expired`.
  const expiry = columns.has('expire') ? 'expire' : columns.has('expired') ? 'expired' : null;
  if (!columns.has('sid') || !columns.has('sess') || expiry === null) {
    db.close();
    throw new CliError(EXIT.storeUnavailable, `${path}: table ${tableName} is not an express-session store (sid, sess and expire or expired columns)`);
  }
  const select = db.prepare(`SELECT sid, sess, ${expiry} AS expiry FROM ${table} WHERE sid > ? ORDER BY sid LIMIT ${BATCH}`);
  return {
    label: `${path} (table ${tableName}, ${expiry === 'expire' ? 'better-sqlite3-session-store' : 'connect-sqlite3'})`,
    async *batches() {
      let after = '';
      for (;;) {
        const rows = select.all(after);
        if (rows.length === 0) return;
        after = String(rows[rows.length - 1]!.sid);
        yield rows.map((row) => ({ oldId: String(row.sid), data: row.sess, expiresAt: expiryOf(row.expiry) }));
      }
    },
    async close() {
      db.close();
    },
  };
}

function expiryOf(value: unknown): number | null {
  if (typeof value === 'number' || typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const parsed = /^\d+$/.test(value) ? Number(value) : Date.parse(value.endsWith('Z') || /[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}
