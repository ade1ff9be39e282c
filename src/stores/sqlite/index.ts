// The embedded default store: one SQLite file (WAL) over better-sqlite3; the SQL itself is shared (stores/sql).
import { mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import type { CacheWatchers } from '../../core/cache-watchers.js';
import type { SessionStore, StoreWatch } from '../../core/types.js';
import type { SqlDriver, SqlParams, SqlRow, SqlStep } from '../sql/driver.js';
import { sqliteDialect } from '../sql/dialect.js';
import { migrateStep } from '../sql/schema.js';
import { SqlStore, tableName } from '../sql/sql-store.js';

/**
 * Options of `sqliteStore`.
 * @example
 * sqliteStore({ path: 'data/sessions.sqlite' })
 */
export interface SqliteStoreOptions {
  /** The database file, created with its folder on first use; `':memory:'` for a private in-memory database. @default 'sessionwarden.sqlite' */
  path?: string;
  /** How long a writer waits for another process's lock before failing. @default 5000 (ms) */
  busyTimeout?: number;
  /** The sessions table. @default 'sessionwarden_sessions' */
  table?: string;
}

/**
 * The parts of a better-sqlite3 `Database` the store exposes (for backups, maintenance and tests), typed here so
 * that the package's declarations need no driver types.
 */
export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string, options?: { simple?: boolean }): unknown;
  close(): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/** A prepared statement of `SqliteDatabase`. */
export interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
  raw(toggle?: boolean): SqliteStatement;
  readonly reader: boolean;
}

interface SqliteTransaction<T> {
  immediate(): T;
}

/** The better-sqlite3 Database as the driver uses it. */
interface Database extends SqliteDatabase {
  transaction<T>(work: () => T): SqliteTransaction<T>;
}

/** The SQLite store: a SessionStore with its database handle (for maintenance, backups and tests). */
export type SqliteSessionStore = SessionStore & Required<Pick<SessionStore, 'list' | 'stats' | 'close'>> & {
  readonly database: SqliteDatabase;
  readonly path: string;
  /** Create or upgrade the schema (already done when the store opens); gives the version found before. */
  migrate(): Promise<number>;
  /**
   * Give space back after `clear-expired`: checkpoint the WAL and truncate it, and release free pages
   * (incremental vacuum; files created before auto_vacuum was set reuse free pages but need one VACUUM to shrink).
   */
  compact(): Promise<SqliteCompaction>;
};

/** What `compact()` did: sizes in bytes before and after, and the free pages it released. */
export interface SqliteCompaction {
  fileBefore: number;
  fileAfter: number;
  walBefore: number;
  walAfter: number;
  pagesReleased: number;
}

/**
 * A SQLite store over better-sqlite3 (install it: `npm install better-sqlite3`); several processes may share the file.
 * Takes `{ path, … }` or just the path. The schema is created or upgraded when the store opens; a file that cannot be
 * opened throws here.
 * @example
 * const warden = createWarden({ store: sqliteStore({ path: 'data/sessions.sqlite' }) });
 */
export function sqliteStore(options: SqliteStoreOptions | string = {}): SqliteSessionStore {
  if (typeof options === 'string') return sqliteStore({ path: options });
  if (options === null || typeof options !== 'object') throw new SessionConfigError('sqliteStore() takes { path } or a file path');
  for (const key of Object.keys(options)) {
    if (!['path', 'busyTimeout', 'table'].includes(key)) throw new SessionConfigError(`sqliteStore: unknown option ${JSON.stringify(key)}`);
  }
  const path = options.path ?? 'sessionwarden.sqlite';
  if (typeof path !== 'string' || path.length === 0) throw new SessionConfigError('sqliteStore path must be a file path or ":memory:"');
  const busyTimeout = options.busyTimeout ?? 5000;
  if (!Number.isInteger(busyTimeout) || busyTimeout < 0) throw new SessionConfigError('sqliteStore busyTimeout must be a whole number of milliseconds');
  const table = tableName('sqliteStore', options.table);
  const driver = new SqliteDriver(openDatabase(path, busyTimeout));
  try {
    if (path !== ':memory:') refuseReadOnly(driver.database, path);
    driver.runStep(() => migrateStep(table));
  } catch (error) {
    driver.database.close();
    if (error instanceof SessionStoreError) throw error;
    throw new SessionStoreError('STORE_UNAVAILABLE', `cannot prepare the SQLite store at ${path}: ${(error as Error).message}`, { cause: error });
  }
  const store = new SqlStore(driver, table, { channel: (watchers) => watchDataVersion(driver.database, watchers) });
  const compact = async (): Promise<SqliteCompaction> => compactDatabase(driver.database, path);
  // SqlStore has migrate() (an own property calling store.migrate() would call itself).
  return Object.assign(store, { database: driver.database as SqliteDatabase, path, compact }) as unknown as SqliteSessionStore;
}

/**
 * A store that cannot write would start "healthy" and refuse every sign-in: refuse to open instead, naming the path.
 * The probe takes the write lock and changes nothing (rolled back).
 */
function refuseReadOnly(database: Database, path: string): void {
  try {
    database.exec('BEGIN IMMEDIATE');
    try {
      database.pragma(`user_version = ${Number(database.pragma('user_version', { simple: true }))}`);
    } finally {
      database.exec('ROLLBACK');
    }
  } catch (error) {
    throw readOnlyError(path, error) ?? error;
  }
}

/** The refusal of a read-only store, naming its path; null for any other error. */
function readOnlyError(path: string, error: unknown): SessionStoreError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_READONLY')) return null;
  return new SessionStoreError('STORE_UNAVAILABLE', `the SQLite store at ${path} is read-only (${code}): sessions could not be saved. Make the file, its -wal and -shm files and their folder writable by this process`, { cause: error });
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    // No WAL file (checkpointed and removed) is zero bytes of WAL.
    return 0;
  }
}

function compactDatabase(database: Database, path: string): SqliteCompaction {
  const memory = path === ':memory:';
  const fileBefore = memory ? 0 : sizeOf(path);
  const walBefore = memory ? 0 : sizeOf(`${path}-wal`);
  const freeBefore = Number(database.pragma('freelist_count', { simple: true }));
  // Write what the WAL holds into the file, then release free pages (only with auto_vacuum = INCREMENTAL, 2).
  if (!memory) database.pragma('wal_checkpoint(TRUNCATE)');
  if (Number(database.pragma('auto_vacuum', { simple: true })) === 2) database.pragma('incremental_vacuum');
  if (!memory) database.pragma('wal_checkpoint(TRUNCATE)');
  const freeAfter = Number(database.pragma('freelist_count', { simple: true }));
  return { fileBefore, fileAfter: memory ? 0 : sizeOf(path), walBefore, walAfter: memory ? 0 : sizeOf(`${path}-wal`), pagesReleased: Math.max(0, freeBefore - freeAfter) };
}

/**
 * The read cache's news on SQLite: this store's own writes are told directly; a commit by any other connection to the
 * file (another process, or another store on the same file) shows as a new `PRAGMA data_version`, checked before every
 * answer from the cache (about the cost of one indexed read: see the README), and empties the whole cache, since SQLite
 * cannot say which rows changed. So nothing another process committed is ever answered from the cache.
 */
function watchDataVersion(database: SqliteDatabase, watchers: CacheWatchers): StoreWatch {
  const statement = database.prepare('PRAGMA data_version').raw(true);
  const version = () => (statement.get() as [number])[0];
  let seen = version();
  watchers.up();
  return {
    stop: () => undefined,
    check: () => {
      if (!database.open) return watchers.flush();
      const now = version();
      if (now !== seen) {
        seen = now;
        watchers.flush();
      }
    },
  };
}

function openDatabase(path: string, busyTimeout: number): Database {
  let Driver: new (path: string) => Database;
  try {
    // Loaded here, not at import: the package's root never loads the native module, and a missing one is named.
    Driver = createRequire(import.meta.url)('better-sqlite3') as typeof Driver;
  } catch (error) {
    throw new SessionConfigError(`sqliteStore needs the better-sqlite3 package: npm install better-sqlite3 (${(error as Error).message})`);
  }
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const database = new Driver(path);
    database.pragma(`busy_timeout = ${busyTimeout}`);
    // A new file releases deleted records' pages on compact() (no effect on a file that already has tables).
    database.pragma('auto_vacuum = INCREMENTAL');
    if (path !== ':memory:') database.pragma('journal_mode = WAL');
    // After a checkpoint the WAL is cut back to this size instead of keeping its peak (e.g. after clear-expired).
    database.pragma('journal_size_limit = 8388608');
    database.pragma('synchronous = NORMAL');
    return database;
  } catch (error) {
    throw readOnlyError(path, error) ?? new SessionStoreError('STORE_UNAVAILABLE', `cannot open the SQLite store at ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * better-sqlite3 behind the driver seam: statements prepared once per SQL text; every call completes synchronously,
 * and a transaction's step runs to its end inside `BEGIN IMMEDIATE`, so nothing else can interleave.
 */
class SqliteDriver implements SqlDriver {
  readonly dialect = sqliteDialect;
  readonly blocking = true;
  private readonly prepared = new Map<string, SqliteStatement>();

  constructor(readonly database: Database) {}

  private statement(sql: string): SqliteStatement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.database.prepare(sql);
      // Rows as arrays: cheaper to build than keyed objects, and the SQL store reads them by position.
      if (statement.reader) statement.raw(true);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  row(sql: string, params: SqlParams): Promise<SqlRow | undefined> {
    try {
      return Promise.resolve(this.statement(sql).get(params) as SqlRow | undefined);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async rows(sql: string, params: SqlParams): Promise<SqlRow[]> {
    // all(), never get(), for writes with RETURNING: get() stops after the first row and misses a failed commit.
    return this.statement(sql).all(params) as SqlRow[];
  }

  async run(sql: string, params: SqlParams): Promise<number> {
    return this.statement(sql).run(params).changes;
  }

  async transaction<T>(step: () => SqlStep<T>): Promise<T> {
    // BEGIN IMMEDIATE takes the database's write lock first: no other process can write between our reads and writes.
    return this.database.transaction(() => this.drive(step())).immediate();
  }

  /** Run a step synchronously in its own transaction (used when the store opens). */
  runStep<T>(step: () => SqlStep<T>): T {
    return this.database.transaction(() => this.drive(step())).immediate();
  }

  private drive<T>(generator: SqlStep<T>): T {
    let next = generator.next();
    while (!next.done) {
      const query = next.value;
      const statement = this.statement(query.sql);
      next = generator.next(query.kind === 'rows' ? statement.all(query.params) : statement.run(query.params).changes);
    }
    return next.value;
  }

  async close(): Promise<void> {
    if (this.database.open) this.database.close();
  }
}
