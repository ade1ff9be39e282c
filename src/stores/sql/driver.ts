// The seam between the SQL written once (sql-store.ts) and a database driver: four calls, and transactions as steps.
import type { SqlDialect } from './dialect.js';

/** A bound value. Named parameters are written `@name` in the SQL text; each driver maps them to its own syntax. */
export type SqlValue = string | number | null;

/** Named parameters of one statement. */
export type SqlParams = Readonly<Record<string, SqlValue>>;

/** A result row, its values in the order of the SELECT (or RETURNING) list. */
export type SqlRow = readonly unknown[];

/** One statement a transaction step asks the driver to run. */
export interface SqlQuery {
  readonly kind: 'rows' | 'run';
  readonly sql: string;
  readonly params: SqlParams;
}

/**
 * A transaction written once for every driver: a generator that yields its statements one by one and receives each
 * result. A blocking driver (better-sqlite3) runs it synchronously inside its transaction, so no other statement can
 * interleave; an asynchronous one (pg) awaits each statement on the transaction's own connection.
 * @example
 * function* step(): SqlStep<number> { const found = yield* rows('SELECT 1', {}); return found.length; }
 */
export type SqlStep<T> = Generator<SqlQuery, T, unknown>;

/**
 * Inside a step: run a statement that returns rows (SELECT, or a write with RETURNING).
 * @example
 * const live = yield* rows(sql, { userId });
 */
export function* rows(sql: string, params: SqlParams): Generator<SqlQuery, SqlRow[], unknown> {
  return (yield { kind: 'rows', sql, params }) as SqlRow[];
}

/**
 * Inside a step: run a statement without result rows; gives the number of rows it changed.
 * @example
 * const changed = yield* run(sql, { id });
 */
export function* run(sql: string, params: SqlParams): Generator<SqlQuery, number, unknown> {
  return (yield { kind: 'run', sql, params }) as number;
}

/**
 * What a SQL store needs from a driver. Every write must reject when its commit fails (a full disk, a lost
 * connection): a store never reports a change that did not happen.
 * @example
 * const store = new SqlStore(driver, { table: 'sessionwarden_sessions' });
 */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  /** True when every call has finished by the time it returns (see `SessionStore.blocking`). */
  readonly blocking: boolean;
  /** The first row of a read-only query, or undefined. */
  row(sql: string, params: SqlParams): Promise<SqlRow | undefined>;
  /** All rows of a query (a SELECT, or a write with RETURNING). */
  rows(sql: string, params: SqlParams): Promise<SqlRow[]>;
  /** Run a statement without result rows; resolves to the number of rows changed. */
  run(sql: string, params: SqlParams): Promise<number>;
  /**
   * Run `step` as one transaction. Transactions with the same `lockKey` never overlap, in this process or any other
   * on the same database (SQLite: the database write lock; PostgreSQL: a transaction-scoped advisory lock).
   */
  transaction<T>(step: () => SqlStep<T>, lockKey: string | null): Promise<T>;
  close(): Promise<void>;
}
