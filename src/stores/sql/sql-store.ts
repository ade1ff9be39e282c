// The SQL stores' one implementation: every statement written once, over the driver seam, for SQLite and PostgreSQL.
import { createHash } from 'node:crypto';
import { CacheWatchers } from '../../core/cache-watchers.js';
import { parseSessionData } from '../../core/data.js';
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import { planLimit } from '../../core/limit.js';
import type { CreateSessionInput, CreateSessionResult, EndReason, ListSessionsQuery, SessionData, SessionPage, SessionRecord, SessionStats, SessionStore, StoreWatch, StoreWatcher } from '../../core/types.js';
import { decodeCursor, encodeCursor, listKey } from '../cursor.js';
import type { SqlDialect } from './dialect.js';
import { rows, run, type SqlDriver, type SqlParams, type SqlRow, type SqlStep } from './driver.js';
import { migrateStep } from './schema.js';

/** The default table name. */
export const DEFAULT_TABLE = 'sessionwarden_sessions';

const COLUMNS = 'id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, ip, user_agent, data, ended_at, end_reason, replaced_by';
/** Live: not ended, and neither deadline passed (`gone_at` is the earlier of the two, or the end time). */
const LIVE = 'ended_at IS NULL AND gone_at > @now';
/** `rotated` tombstones only forward a logout to their successor: no listing or count shows them. */
const NOT_ROTATED = "(end_reason IS NULL OR end_reason <> 'rotated')";
/** Rows deleted per statement by `deleteExpired`, so no single transaction (or WAL) grows with the backlog. */
const DELETE_BATCH = 500;
const IDENTIFIER = /^(?:[A-Za-z_][A-Za-z0-9_]{0,62}\.)?[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Check a table name option (optionally schema-qualified, `app.sessions`): plain identifiers only, as it is part of the SQL.
 * @example
 * tableName('sqliteStore', 'sessions') // 'sessions'
 */
export function tableName(owner: string, value: unknown): string {
  const table = value ?? DEFAULT_TABLE;
  if (typeof table !== 'string' || !IDENTIFIER.test(table)) {
    throw new SessionConfigError(`${owner} table must be an identifier such as "sessionwarden_sessions" or "auth.sessions" (letters, digits, _)`);
  }
  return table;
}

/**
 * The PostgreSQL NOTIFY channel that carries the read cache's news for a table (a short digest: any table name fits
 * the 63-byte limit of channel names).
 * @example
 * changesChannel('sessionwarden_sessions') // 'sessionwarden_3f1c…'
 */
export function changesChannel(table: string): string {
  return `sessionwarden_${createHash('sha256').update(table).digest('hex').slice(0, 24)}`;
}

/** The statements that do not depend on a query's filters, built once per table. */
function statements(table: string, dialect: SqlDialect) {
  const least = dialect.least;
  const channel = changesChannel(table);
  /**
   * A write that tells every process's read cache, in the same statement: on PostgreSQL a NOTIFY per changed row, sent
   * when (and only if) the transaction commits; SQLite has no such channel (see the store's watch()).
   */
  const announcing = (update: string, returning: string | null, message: string): string =>
    dialect.name === 'postgres'
      ? `WITH changed AS (${update} RETURNING ${returning ?? 'id'}) SELECT ${returning === null ? '' : 'changed.*, '}pg_notify('${channel}', ${message}) FROM changed`
      : returning === null
        ? update
        : `${update} RETURNING ${returning}`;
  return {
    get: `SELECT ${COLUMNS} FROM ${table} WHERE id = @id`,
    endedAtOf: `SELECT ended_at FROM ${table} WHERE id = @id`,
    insert: `INSERT INTO ${table} (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent, data)
      VALUES (@id, @secretHash, @userId, @createdAt, @authenticatedAt, @lastActiveAt, @idleTimeout, @expiresAt, @goneAt, @ip, @userAgent, @data)`,
    rotate: announcing(`UPDATE ${table} SET ended_at = @at, end_reason = 'rotated', replaced_by = @successor, gone_at = @at WHERE id = @id AND ended_at IS NULL`, null, "'x:' || changed.id"),
    liveOfUser: `SELECT ${COLUMNS} FROM ${table} WHERE user_id = @userId AND ${LIVE}`,
    update: announcing(`UPDATE ${table} SET data = @data WHERE id = @id AND ended_at IS NULL`, null, "'x:' || changed.id"),
    touch: announcing(
      `UPDATE ${table} SET last_active_at = @at, gone_at = ${least('@at + idle_timeout', 'expires_at')} WHERE id = @id AND ended_at IS NULL`,
      'id, last_active_at',
      "'t:' || changed.id || ':' || changed.last_active_at",
    ),
    end: announcing(`UPDATE ${table} SET ended_at = @at, end_reason = @reason, gone_at = @at WHERE id = @id AND ended_at IS NULL`, COLUMNS, "'x:' || changed.id"),
    endByUser: announcing(
      `UPDATE ${table} SET ended_at = @at, end_reason = @reason, gone_at = @at
      WHERE user_id = @userId AND ${LIVE} AND (CAST(@exceptId AS TEXT) IS NULL OR id <> @exceptId)`,
      COLUMNS,
      "'x:' || changed.id",
    ),
    listByUser: `SELECT ${COLUMNS} FROM ${table} WHERE user_id = @userId AND ${LIVE} ORDER BY last_active_at DESC, id DESC`,
    deleteExpired: `DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE gone_at < @before ORDER BY gone_at LIMIT ${DELETE_BATCH})`,
    stats: `SELECT
        COUNT(*) FILTER (WHERE ${LIVE}) AS live,
        COUNT(*) FILTER (WHERE ended_at IS NOT NULL AND end_reason <> 'rotated') AS ended,
        COUNT(*) FILTER (WHERE ended_at IS NULL AND gone_at <= @now) AS expired,
        COUNT(DISTINCT user_id) FILTER (WHERE ${LIVE}) AS users
      FROM ${table}`,
  };
}

/**
 * What a driver's store adds to `SqlStore`.
 * @example
 * new SqlStore(driver, table, { prepare: () => store.migrate() })
 */
export interface SqlStoreOptions {
  /** The schema migration as one step. @default migrateStep(table) */
  migration?: () => SqlStep<number>;
  /**
   * Awaited before the first call, e.g. an asynchronous driver's migration on first use; after a failure (the server
   * was down) the next call tries again. @default none
   */
  prepare?: () => Promise<unknown>;
  /**
   * The channel that tells the read cache about other processes' writes (this store's own writes are told directly);
   * it calls `watchers.up()` once news flow. @default none: up at once (a database no other process writes)
   */
  channel?: (watchers: CacheWatchers) => StoreWatch;
}

/**
 * A SessionStore over any SQL driver.
 * @example
 * const store = new SqlStore(driver, 'sessionwarden_sessions');
 */
export class SqlStore implements SessionStore {
  readonly blocking: boolean;
  private readonly sql;
  private readonly migration: () => SqlStep<number>;
  private readonly prepare: (() => Promise<unknown>) | null;
  /** False until `prepare` has succeeded: the hot path then pays no await for it. */
  private prepared: boolean;
  private preparing: Promise<void> | null = null;
  /** Read caches over this store: told of this store's own writes at once, and of others' through the channel. */
  private readonly watchers: CacheWatchers;

  constructor(
    private readonly driver: SqlDriver,
    readonly table: string,
    options: SqlStoreOptions = {},
  ) {
    this.blocking = driver.blocking;
    this.sql = statements(table, driver.dialect);
    const channel = options.channel;
    this.watchers = new CacheWatchers(
      channel ??
        ((watchers) => {
          watchers.up();
          return { stop: () => undefined };
        }),
    );
    this.migration = options.migration ?? (() => migrateStep(table));
    this.prepare = options.prepare ?? null;
    this.prepared = this.prepare === null;
  }

  watch(watcher: StoreWatcher): StoreWatch {
    return this.watchers.add(watcher);
  }

  /** The preparation, started by the first call; every caller waiting on a failed attempt sees its error, and the next call tries again. */
  private ready(): Promise<void> {
    this.preparing ??= this.prepare!().then(
      () => {
        this.prepared = true;
      },
      (error: unknown) => {
        this.preparing = null;
        throw error;
      },
    );
    return this.preparing;
  }

  /**
   * Create or upgrade the schema (idempotent; concurrent callers in other processes wait for each other).
   * @example
   * await store.migrate();
   */
  async migrate(): Promise<number> {
    const before = await this.driver.transaction(this.migration, `sessionwarden:schema:${this.table}`);
    // The schema is now what the first call would have prepared.
    this.prepared = true;
    return before;
  }

  get(id: string): Promise<SessionRecord | null> {
    // Every request's read: no async frame of its own once the schema is ready.
    if (!this.prepared) return this.ready().then(() => this.get(id));
    return this.driver.row(this.sql.get, { id }).then(recordOrNull);
  }

  async create(input: CreateSessionInput): Promise<CreateSessionResult> {
    if (!this.prepared) await this.ready();
    const { record } = input;
    try {
      // One lock per user: concurrent logins of one user are serialised, everyone else's go on in parallel.
      const result = await this.driver.transaction(() => this.createStep(input), record.userId === null ? null : `sessionwarden:user:${record.userId}`);
      if (result.ok && this.watchers.active) this.watchers.invalidate([...(input.replaces ? [input.replaces] : []), ...result.evicted.map((victim) => victim.id)]);
      return result;
    } catch (error) {
      if (this.driver.dialect.isUniqueViolation(error)) throw new SessionStoreError('STORE_CONFLICT', 'a session with this id already exists', { cause: error });
      throw error;
    }
  }

  private *createStep({ record, replaces, requireReplaced, limit, now }: CreateSessionInput): SqlStep<CreateSessionResult> {
    const sql = this.sql;
    if (requireReplaced) {
      const [found] = yield* rows(sql.endedAtOf, { id: replaces ?? '' });
      if (found === undefined || found[0] !== null) return { ok: false, reason: 'gone' };
    }
    let evict: SessionRecord[] = [];
    if (limit && record.userId !== null) {
      const live = (yield* rows(sql.liveOfUser, { userId: record.userId, now })).map(rowToRecord).filter((other) => other.id !== replaces);
      const plan = planLimit(live, limit, now);
      // Nothing has been written yet: a refusal leaves every session as it was.
      if (!plan.ok) return { ok: false, reason: 'limit', retryAt: plan.retryAt };
      evict = plan.evict;
    }
    if (replaces) {
      // The first write: with no lock for an anonymous session, a concurrent rotation may have ended it since the check.
      const rotated = yield* run(sql.rotate, { id: replaces, at: now, successor: record.id });
      if (requireReplaced && rotated === 0) return { ok: false, reason: 'gone' };
    }
    const evicted: SessionRecord[] = [];
    for (const victim of evict) {
      const [ended] = yield* rows(sql.end, { id: victim.id, reason: 'replaced', at: now });
      if (ended !== undefined) evicted.push(rowToRecord(ended));
    }
    yield* run(sql.insert, {
      id: record.id,
      secretHash: record.secretHash,
      userId: record.userId,
      createdAt: record.createdAt,
      authenticatedAt: record.authenticatedAt,
      lastActiveAt: record.lastActiveAt,
      idleTimeout: record.idleTimeout,
      expiresAt: record.expiresAt,
      goneAt: Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt),
      ip: record.ip,
      userAgent: record.userAgent,
      data: JSON.stringify(record.data),
    });
    return { ok: true, evicted };
  }

  async update(id: string, data: SessionData): Promise<boolean> {
    if (!this.prepared) await this.ready();
    const updated = (await this.driver.run(this.sql.update, { id, data: JSON.stringify(data) })) > 0;
    if (updated && this.watchers.active) this.watchers.invalidate([id]);
    return updated;
  }

  async touch(id: string, lastActiveAt: number): Promise<boolean> {
    if (!this.prepared) await this.ready();
    const touched = (await this.driver.run(this.sql.touch, { id, at: lastActiveAt })) > 0;
    if (touched && this.watchers.active) this.watchers.touched(id, lastActiveAt);
    return touched;
  }

  async end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    if (!this.prepared) await this.ready();
    const [row] = await this.driver.rows(this.sql.end, { id, reason, at });
    if (row === undefined) return null;
    if (this.watchers.active) this.watchers.invalidate([id]);
    return rowToRecord(row);
  }

  async endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    if (!this.prepared) await this.ready();
    const ended = (await this.driver.rows(this.sql.endByUser, { userId, reason, at, now: at, exceptId: exceptId ?? null })).map(rowToRecord);
    if (this.watchers.active) this.watchers.invalidate(ended.map((record) => record.id));
    return ended;
  }

  async listByUser(userId: string, now: number): Promise<SessionRecord[]> {
    if (!this.prepared) await this.ready();
    return (await this.driver.rows(this.sql.listByUser, { userId, now })).map(rowToRecord);
  }

  async deleteExpired(before: number): Promise<number> {
    if (!this.prepared) await this.ready();
    let deleted = 0;
    for (;;) {
      const changed = await this.driver.run(this.sql.deleteExpired, { before });
      deleted += changed;
      if (changed < DELETE_BATCH) return deleted;
    }
  }

  async list(query: ListSessionsQuery): Promise<SessionPage> {
    if (!this.prepared) await this.ready();
    const where: string[] = [];
    const params: Record<string, string | number> = { now: query.now, limit: query.limit + 1 };
    if (query.userId !== undefined) {
      where.push('user_id = @userId');
      params.userId = query.userId;
    }
    if (query.ip !== undefined) {
      where.push('ip = @ip');
      params.ip = query.ip;
    }
    // Status filters sort by gone_at so that both the filter and the order are one index range (no row-by-row walk).
    const key = query.status === 'active' || query.status === 'ended' ? 'gone_at' : 'created_at';
    const after = decodeCursor(query.cursor);
    if (query.status === 'active') where.push(LIVE);
    // With a cursor, (gone_at, id) < cursor already implies "ended"; a second range condition would make SQLite seek on the looser one.
    else if (query.status === 'ended' && after === null) where.push('gone_at <= @now');
    if (query.status !== 'active') where.push(NOT_ROTATED);
    if (after !== null) {
      where.push(`(${key}, id) < (@afterKey, @afterId)`);
      params.afterKey = after.key;
      params.afterId = after.id;
    }
    const sql = `SELECT ${COLUMNS} FROM ${this.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} DESC, id DESC LIMIT @limit`;
    const found = await this.driver.rows(sql, params as SqlParams);
    const page = found.slice(0, query.limit).map(rowToRecord);
    const last = page[page.length - 1];
    return { sessions: page, nextCursor: found.length > query.limit && last ? encodeCursor(listKey(last, query.status), last.id) : null };
  }

  async stats(now: number): Promise<SessionStats> {
    if (!this.prepared) await this.ready();
    const [row] = await this.driver.rows(this.sql.stats, { now });
    const [live, ended, expired, users] = (row ?? [0, 0, 0, 0]).map((value) => Number(value ?? 0));
    return { live: live!, ended: ended!, expired: expired!, users: users! };
  }

  async close(): Promise<void> {
    this.watchers.close();
    await this.driver.close();
  }
}

/** A number from a driver value (PostgreSQL's BIGINT arrives as a string). */
function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

function nullableNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : numberOf(value);
}

function textOf(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

function recordOrNull(row: SqlRow | undefined): SessionRecord | null {
  return row === undefined ? null : rowToRecord(row);
}

/** The one row-to-record function of the SQL stores (columns in COLUMNS order). */
function rowToRecord(row: SqlRow): SessionRecord {
  const id = String(row[0]);
  let data: SessionData;
  try {
    data = parseSessionData(textOf(row[10]));
  } catch (error) {
    throw new SessionStoreError('STORE_CORRUPT', `session ${id} has unreadable data`, { cause: error });
  }
  return {
    id,
    secretHash: String(row[1]),
    userId: textOf(row[2]),
    createdAt: numberOf(row[3]),
    authenticatedAt: nullableNumber(row[4]),
    lastActiveAt: numberOf(row[5]),
    idleTimeout: numberOf(row[6]),
    expiresAt: numberOf(row[7]),
    ip: textOf(row[8]),
    userAgent: textOf(row[9]),
    data,
    endedAt: nullableNumber(row[11]),
    endReason: textOf(row[12]) as EndReason | null,
    replacedBy: textOf(row[13]),
  };
}
