// The PostgreSQL store over node-postgres (pg): the shared SQL (stores/sql) behind a pooled, asynchronous driver.
import { createRequire } from 'node:module';
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import type { SessionStore } from '../../core/types.js';
import { rows, run, type SqlDriver, type SqlParams, type SqlQuery, type SqlRow, type SqlStep } from '../sql/driver.js';
import { postgresDialect } from '../sql/dialect.js';
import { checkSchemaStep, migrateStep } from '../sql/schema.js';
import { changesChannel, SqlStore, tableName } from '../sql/sql-store.js';
import { ChannelPings, type CacheWatchers } from '../../core/cache-watchers.js';
import type { StoreWatch } from '../../core/types.js';

/** The result of a query in array row mode, as the store reads it. */
export interface PostgresQueryResult {
  rows: unknown[][];
  rowCount: number | null;
  command: string;
}

/** A query as the store sends it: positional values, rows as arrays. */
export interface PostgresQueryConfig {
  text: string;
  values: unknown[];
  rowMode: 'array';
}

/** A client checked out of the pool for one transaction (pg's `PoolClient`). */
export interface PostgresPoolClient {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  query(text: string): Promise<unknown>;
  release(destroy?: Error | boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  /** LISTEN's notifications (the read cache's channel). */
  on(event: 'notification', listener: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

/**
 * The parts of a pg `Pool` the store uses, typed here so that the package's declarations need no driver types; a
 * `new Pool()` from pg fits it.
 */
export interface PostgresPool {
  query(config: PostgresQueryConfig): Promise<PostgresQueryResult>;
  connect(): Promise<PostgresPoolClient>;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
  listenerCount(event: 'error'): number;
}

/**
 * Options of `postgresStore`: a pool the app owns, or a connection string for a pool of the store's own.
 * @example
 * postgresStore({ connectionString: process.env.DATABASE_URL, schema: 'auth' })
 */
export interface PostgresStoreOptions {
  /** A pg `Pool` the app passes (and ends itself; `close()` leaves it open). @default none */
  pool?: PostgresPool;
  /** A connection URL (`postgres://user:password@host:5432/db`) for a pool the store makes and `close()` ends. @default none */
  connectionString?: string;
  /** The sessions table, optionally schema-table (`auth.sessions`). @default 'sessionwarden_sessions' */
  table?: string;
  /** The table's schema, created if missing; the same as writing `schema.table`. @default the connection's search_path */
  schema?: string;
  /**
   * Create or upgrade the schema on first use. `false` for an app role without CREATE rights: it then only checks the
   * version, and `npx sessionwarden migrate --store postgres://…` (run as the owner) does the rest.
   * @default true
   */
  migrate?: boolean;
  /** Connections of the store's own pool. @default 10 */
  maxConnections?: number;
}

/** The PostgreSQL store: a SessionStore with its pool (for maintenance and tests). */
export type PostgresSessionStore = SessionStore & Required<Pick<SessionStore, 'list' | 'stats' | 'close'>> & {
  readonly pool: PostgresPool;
  /** The table, schema-table when a schema was given. */
  readonly table: string;
  /** Create or upgrade the schema (the store also does it on first use unless `migrate: false`); gives the version found before. */
  migrate(): Promise<number>;
};

const OPTIONS = ['pool', 'connectionString', 'table', 'schema', 'migrate', 'maxConnections'];
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * A PostgreSQL store over pg (install it: `npm install pg`), for apps on several processes or machines. Takes
 * `{ pool }`, `{ connectionString }` or just the connection string. The schema is created or upgraded on first use
 * (retried on the next call if the server was down); the limit's check-and-insert holds a per-user, transaction-scoped
 * advisory lock, which also works behind PgBouncer in transaction mode.
 * @example
 * const warden = createWarden({ store: postgresStore(process.env.DATABASE_URL!) });
 */
export function postgresStore(options: PostgresStoreOptions | string): PostgresSessionStore {
  if (typeof options === 'string') return postgresStore({ connectionString: options });
  if (options === null || typeof options !== 'object') throw new SessionConfigError('postgresStore() takes { pool }, { connectionString } or a connection string');
  for (const key of Object.keys(options)) {
    if (!OPTIONS.includes(key)) throw new SessionConfigError(`postgresStore: unknown option ${JSON.stringify(key)}`);
  }
  const { pool: given, connectionString, schema, migrate = true, maxConnections = 10 } = options;
  if ((given === undefined) === (connectionString === undefined)) throw new SessionConfigError('postgresStore needs either pool (a pg Pool) or connectionString, not both');
  if (given !== undefined && (typeof given !== 'object' || given === null || typeof given.query !== 'function' || typeof given.connect !== 'function')) {
    throw new SessionConfigError('postgresStore pool must be a pg Pool (new Pool() from the pg package)');
  }
  if (connectionString !== undefined && (typeof connectionString !== 'string' || connectionString === '')) {
    throw new SessionConfigError('postgresStore connectionString must be a URL such as postgres://user:password@host:5432/database');
  }
  if (typeof migrate !== 'boolean') throw new SessionConfigError('postgresStore migrate must be true or false');
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new SessionConfigError('postgresStore maxConnections must be a whole number from 1');
  if (schema !== undefined && (typeof schema !== 'string' || !SCHEMA_NAME.test(schema))) {
    throw new SessionConfigError('postgresStore schema must be an identifier such as "auth" (letters, digits, _)');
  }
  const bare = tableName('postgresStore', options.table);
  if (schema !== undefined && bare.includes('.')) throw new SessionConfigError('postgresStore: give the schema either in table ("auth.sessions") or as schema, not both');
  const table = schema === undefined ? bare : `${schema}.${bare}`;
  const tableSchema = table.includes('.') ? table.slice(0, table.indexOf('.')) : null;

  const pool = given ?? newPool(connectionString!, maxConnections);
  // An idle connection that breaks (the server restarted) makes a pg Pool emit 'error', which would end a process that
  // does not listen: the pool drops that connection and the next call opens a new one. An app's own listener wins.
  if (given === undefined || pool.listenerCount('error') === 0) {
    pool.on('error', (error) => console.warn(`sessionwarden: a PostgreSQL connection in the pool failed while idle (it is replaced on next use): ${error.message}`));
  }
  const driver = new PostgresDriver(pool, given === undefined);
  const migration = () => migrateWithSchema(table, tableSchema);
  const store: SqlStore = new SqlStore(driver, table, {
    migration,
    prepare: migrate ? () => store.migrate() : () => driver.transaction(() => checkSchema(table), null),
    channel: (watchers) => listen(pool, changesChannel(table), watchers),
  });
  return Object.assign(store, { pool }) as unknown as PostgresSessionStore;
}

/** How long the read cache's LISTEN connection waits before it reconnects, and how often it proves it delivers. */
const LISTEN_RETRY_MS = 500;
const LISTEN_HEARTBEAT_MS = 5000;

/**
 * The read cache's channel on PostgreSQL: one pool connection held for `LISTEN` (the writes NOTIFY in their own
 * statement, delivered on commit). Up only once a ping NOTIFY sent through the pool has come back on it (so a
 * connection that cannot hear, such as one behind PgBouncer in transaction mode, never counts as up); then a ping
 * every heartbeat, and down as soon as that connection fails or a ping does not return within a heartbeat period.
 */
function listen(pool: PostgresPool, channel: string, watchers: CacheWatchers): StoreWatch {
  let stopped = false;
  let current: PostgresPoolClient | null = null;
  let retry: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const pings = new ChannelPings((message) => pool.query({ text: 'SELECT pg_notify($1, $2)', values: [channel, message], rowMode: 'array' }), LISTEN_HEARTBEAT_MS);

  const lost = (client: PostgresPoolClient, error?: Error) => {
    if (current !== client) return;
    current = null;
    clearInterval(heartbeat);
    watchers.down();
    client.release(error ?? true);
    schedule();
  };
  const schedule = () => {
    if (stopped) return;
    retry = setTimeout(() => void connect(), LISTEN_RETRY_MS);
    retry.unref();
  };
  const connect = async () => {
    let client: PostgresPoolClient;
    try {
      client = await pool.connect();
    } catch {
      schedule();
      return;
    }
    if (stopped) {
      client.release(true);
      return;
    }
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    client.on('notification', (message) => {
      if (message.channel !== channel || current !== client) return;
      const payload = message.payload ?? '';
      if (payload.startsWith('p:')) pings.received(payload);
      else watchers.receive(payload);
    });
    current = client;
    try {
      await client.query(`LISTEN "${channel}"`);
    } catch (error) {
      lost(client, error as Error);
      return;
    }
    if (!(await pings.ping())) return lost(client, new Error('sessionwarden: the LISTEN connection does not receive notifications'));
    if (current !== client) return;
    watchers.up();
    heartbeat = setInterval(() => {
      void pings.ping().then((arrived) => {
        if (!arrived) lost(client, new Error('sessionwarden: the LISTEN connection stopped receiving notifications'));
      });
    }, LISTEN_HEARTBEAT_MS);
    heartbeat.unref();
  };
  void connect();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(retry);
      clearInterval(heartbeat);
      const client = current;
      current = null;
      // Destroyed rather than returned: a pooled connection must not keep listening for someone else.
      client?.release(true);
    },
  };
}

function newPool(connectionString: string, max: number): PostgresPool {
  let pg: { Pool: new (config: object) => PostgresPool };
  try {
    // Loaded here, not at import: pg is an optional peer dependency, and a missing one is named.
    pg = createRequire(import.meta.url)('pg') as typeof pg;
  } catch (error) {
    throw new SessionConfigError(`postgresStore needs the pg package: npm install pg (${(error as Error).message.split('\n')[0]})`);
  }
  // keepAlive finds a dead server on an idle connection; the connection timeout (also the wait for a free connection
  // when all are busy) bounds calls that have sent nothing yet. Statements get no client-side timeout: one cut off
  // may still commit on the server, and the warden's storeTimeout (which reconciles a late login) answers in time.
  return new pg.Pool({ connectionString, max, keepAlive: true, connectionTimeoutMillis: 5000 });
}

/** The table's schema (when given) and the migrations, in the caller's transaction. */
function* migrateWithSchema(table: string, schema: string | null): SqlStep<number> {
  if (schema !== null) {
    // Looked up first: CREATE SCHEMA IF NOT EXISTS needs the CREATE right even when the schema exists.
    const [found] = yield* rows('SELECT 1 FROM pg_namespace WHERE nspname = lower(@schema)', { schema });
    if (found === undefined) yield* run(`CREATE SCHEMA ${schema}`, {});
  }
  return yield* migrateStep(table);
}

/** With `migrate: false`: the schema must be there, at this release's version. */
function* checkSchema(table: string): SqlStep<void> {
  const [found] = yield* rows('SELECT to_regclass(@versions) IS NOT NULL', { versions: `${table}_schema` });
  if (found?.[0] !== true) {
    throw new SessionStoreError('STORE_UNAVAILABLE', `the sessions table ${table} does not exist in this database: run \`npx sessionwarden migrate --store postgres://…\``);
  }
  yield* checkSchemaStep(table);
}

/** A statement's `@name` parameters as pg's `$n`, compiled once per SQL text. */
interface Compiled {
  text: string;
  names: readonly string[];
}

const PARAMETER = /@([A-Za-z_][A-Za-z0-9_]*)/g;

function compile(sql: string): Compiled {
  const names: string[] = [];
  const text = sql.replace(PARAMETER, (_match, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, names };
}

/**
 * pg behind the driver seam: single statements on any pooled connection; a transaction's step on one connection inside
 * BEGIN/COMMIT, after a transaction-scoped advisory lock on its key (released by COMMIT or ROLLBACK, so a connection
 * pooler in transaction mode never strands it).
 */
class PostgresDriver implements SqlDriver {
  readonly dialect = postgresDialect;
  readonly blocking = false;
  private readonly compiled = new Map<string, Compiled>();

  constructor(
    readonly pool: PostgresPool,
    private readonly ownsPool: boolean,
  ) {}

  private config(sql: string, params: SqlParams): PostgresQueryConfig {
    let compiled = this.compiled.get(sql);
    if (compiled === undefined) {
      compiled = compile(sql);
      this.compiled.set(sql, compiled);
    }
    const values = compiled.names.map((name) => {
      if (!Object.hasOwn(params, name)) throw new Error(`sessionwarden: SQL parameter @${name} has no value`);
      return params[name];
    });
    return { text: compiled.text, values, rowMode: 'array' };
  }

  async row(sql: string, params: SqlParams): Promise<SqlRow | undefined> {
    return (await this.pool.query(this.config(sql, params))).rows[0];
  }

  async rows(sql: string, params: SqlParams): Promise<SqlRow[]> {
    return (await this.pool.query(this.config(sql, params))).rows;
  }

  async run(sql: string, params: SqlParams): Promise<number> {
    return (await this.pool.query(this.config(sql, params))).rowCount ?? 0;
  }

  async transaction<T>(step: () => SqlStep<T>, lockKey: string | null): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out connection has no pool listener: one that breaks between two statements must not crash the process.
    let broken: Error | null = null;
    const onError = (error: Error) => {
      broken = error;
    };
    client.on('error', onError);
    let destroy: Error | boolean = false;
    try {
      await client.query('BEGIN');
      if (lockKey !== null) await client.query({ text: 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', values: [lockKey], rowMode: 'array' });
      const generator = step();
      let next = generator.next();
      while (!next.done) {
        const query: SqlQuery = next.value;
        const result = await client.query(this.config(query.sql, query.params));
        next = generator.next(query.kind === 'rows' ? result.rows : (result.rowCount ?? 0));
      }
      const committed = (await client.query('COMMIT')) as { command?: string };
      // COMMIT of a transaction the server had already failed answers ROLLBACK instead of an error.
      if (committed.command !== 'COMMIT') throw new SessionStoreError('STORE_WRITE_FAILED', 'PostgreSQL rolled the transaction back');
      return next.value;
    } catch (error) {
      if (broken !== null) destroy = broken;
      else {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is in an unknown state: it is closed rather than reused (the server then rolls back).
          destroy = rollbackError as Error;
        }
      }
      throw error;
    } finally {
      client.removeListener('error', onError);
      client.release(broken ?? destroy);
    }
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}
