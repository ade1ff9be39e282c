// The embedded default store: one SQLite file (WAL), schema created on first use, limit checks under BEGIN IMMEDIATE.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import { parseSessionData } from '../../core/data.js';
import type { CreateSessionInput, CreateSessionResult, EndReason, ListSessionsQuery, SessionData, SessionPage, SessionRecord, SessionStats, SessionStore } from '../../core/types.js';
import { decodeCursor, encodeCursor, listKey } from '../cursor.js';
import { planLimit } from '../limit.js';
import { SCHEMA, TABLE } from './schema.js';

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
}

/** A row as better-sqlite3's raw mode returns it, in COLUMNS order (arrays are cheaper to build than keyed objects). */
type Row = [
  id: string,
  secretHash: string,
  userId: string | null,
  createdAt: number,
  authenticatedAt: number | null,
  lastActiveAt: number,
  idleTimeout: number,
  expiresAt: number,
  ip: string | null,
  userAgent: string | null,
  data: string,
  endedAt: number | null,
  endReason: string | null,
];

const COLUMNS = 'id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, ip, user_agent, data, ended_at, end_reason';
const ENDED_AT = 11;

/**
 * A SQLite store over better-sqlite3; several processes may share the file.
 * @example
 * const warden = createWarden({ store: sqliteStore({ path: 'data/sessions.sqlite' }) });
 */
export function sqliteStore(options: SqliteStoreOptions = {}): SqliteSessionStore {
  const path = options.path ?? 'sessionwarden.sqlite';
  if (typeof path !== 'string' || path.length === 0) throw new SessionConfigError('sqliteStore path must be a file path or ":memory:"');
  return new SqliteStore(path, options.busyTimeout ?? 5000);
}

/** The SQLite store: a SessionStore with its database handle (for migrations, tests and backups). */
export type SqliteSessionStore = SessionStore & Required<Pick<SessionStore, 'list' | 'stats' | 'close'>> & { readonly database: Database.Database };

const LIVE = 'ended_at IS NULL AND gone_at > @now';

class SqliteStore implements SessionStore {
  readonly synchronous = true;
  readonly database: Database.Database;
  private readonly statements;
  private readonly createStep;

  constructor(path: string, busyTimeout: number) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    try {
      this.database = new Database(path);
      this.database.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeout))}`);
      if (path !== ':memory:') this.database.pragma('journal_mode = WAL');
      this.database.pragma('synchronous = NORMAL');
      this.database.exec(SCHEMA);
    } catch (error) {
      throw new SessionStoreError('STORE_UNAVAILABLE', `cannot open the SQLite store: ${(error as Error).message}`, { cause: error });
    }
    const db = this.database;
    this.statements = {
      get: db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE id = ?`).raw(),
      insert: db.prepare(`INSERT INTO ${TABLE} (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent, data, ended_at, end_reason)
        VALUES (@id, @secretHash, @userId, @createdAt, @authenticatedAt, @lastActiveAt, @idleTimeout, @expiresAt, @goneAt, @ip, @userAgent, @data, NULL, NULL)`),
      remove: db.prepare(`DELETE FROM ${TABLE} WHERE id = ?`),
      liveOfUser: db.prepare<{ userId: string; now: number }, Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE user_id = @userId AND ${LIVE}`).raw(),
      update: db.prepare(`UPDATE ${TABLE} SET data = ? WHERE id = ? AND ended_at IS NULL`),
      touch: db.prepare(`UPDATE ${TABLE} SET last_active_at = @at, gone_at = MIN(@at + idle_timeout, expires_at) WHERE id = @id AND ended_at IS NULL`),
      end: db.prepare<{ id: string; reason: string; at: number }, Row>(`UPDATE ${TABLE} SET ended_at = @at, end_reason = @reason, gone_at = @at WHERE id = @id AND ended_at IS NULL RETURNING ${COLUMNS}`).raw(),
      endByUser: db
        .prepare<{ userId: string; reason: string; at: number; now: number; exceptId: string | null }, Row>(
          `UPDATE ${TABLE} SET ended_at = @at, end_reason = @reason, gone_at = @at WHERE user_id = @userId AND ${LIVE} AND id IS NOT @exceptId RETURNING ${COLUMNS}`,
        )
        .raw(),
      listByUser: db.prepare<{ userId: string; now: number }, Row>(`SELECT ${COLUMNS} FROM ${TABLE} WHERE user_id = @userId AND ${LIVE} ORDER BY last_active_at DESC, id DESC`).raw(),
      deleteExpired: db.prepare(`DELETE FROM ${TABLE} WHERE gone_at < ?`),
      stats: db.prepare<{ now: number }, { live: number; ended: number; expired: number; users: number }>(`SELECT
          COUNT(*) FILTER (WHERE ${LIVE}) AS live,
          COUNT(*) FILTER (WHERE ended_at IS NOT NULL) AS ended,
          COUNT(*) FILTER (WHERE ended_at IS NULL AND gone_at <= @now) AS expired,
          COUNT(DISTINCT user_id) FILTER (WHERE ${LIVE}) AS users
        FROM ${TABLE}`),
    };
    // One IMMEDIATE transaction takes the write lock before counting, so no other process can insert in between.
    this.createStep = db.transaction(({ record, replaces, requireReplaced, limit, now }: CreateSessionInput): CreateSessionResult => {
      if (requireReplaced && (!replaces || this.statements.get.get(replaces)?.[ENDED_AT] !== null)) return { ok: false, reason: 'gone' };
      let evict: SessionRecord[] = [];
      if (limit && record.userId !== null) {
        const live = this.statements.liveOfUser.all({ userId: record.userId, now }).filter((row) => row[0] !== replaces).map(rowToRecord);
        const plan = planLimit(live, limit, now);
        if (!plan.ok) return { ok: false, reason: 'limit', retryAt: plan.retryAt, live: live.length };
        evict = plan.evict;
      }
      if (replaces) this.statements.remove.run(replaces);
      const evicted = evict.map((victim) => rowToRecord(this.statements.end.get({ id: victim.id, reason: 'replaced', at: now })!));
      this.statements.insert.run({ ...record, goneAt: Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt), data: JSON.stringify(record.data) });
      return { ok: true, evicted };
    });
  }

  async get(id: string): Promise<SessionRecord | null> {
    const row = this.statements.get.get(id);
    return row === undefined ? null : rowToRecord(row);
  }

  async create(input: CreateSessionInput): Promise<CreateSessionResult> {
    try {
      return this.createStep.immediate(input);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
        throw new SessionStoreError('STORE_CONFLICT', 'a session with this id already exists', { cause: error });
      }
      throw error;
    }
  }

  async update(id: string, data: SessionData): Promise<boolean> {
    return this.statements.update.run(JSON.stringify(data), id).changes > 0;
  }

  async touch(id: string, lastActiveAt: number): Promise<boolean> {
    return this.statements.touch.run({ id, at: lastActiveAt }).changes > 0;
  }

  async end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    const row = this.statements.end.get({ id, reason, at });
    return row === undefined ? null : rowToRecord(row);
  }

  async endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    return this.statements.endByUser.all({ userId, reason, at, now: at, exceptId: exceptId ?? null }).map(rowToRecord);
  }

  async listByUser(userId: string, now: number): Promise<SessionRecord[]> {
    return this.statements.listByUser.all({ userId, now }).map(rowToRecord);
  }

  async deleteExpired(before: number): Promise<number> {
    return this.statements.deleteExpired.run(before).changes;
  }

  async list(query: ListSessionsQuery): Promise<SessionPage> {
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
    if (after !== null) {
      where.push(`(${key}, id) < (@afterKey, @afterId)`);
      params.afterKey = after.key;
      params.afterId = after.id;
    }
    const sql = `SELECT ${COLUMNS} FROM ${TABLE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${key} DESC, id DESC LIMIT @limit`;
    const rows = this.database.prepare<Record<string, string | number>, Row>(sql).raw().all(params);
    const page = rows.slice(0, query.limit).map(rowToRecord);
    const last = page[page.length - 1];
    return { sessions: page, nextCursor: rows.length > query.limit && last ? encodeCursor(listKey(last, query.status), last.id) : null };
  }

  async stats(now: number): Promise<SessionStats> {
    return { ...this.statements.stats.get({ now })! };
  }

  async close(): Promise<void> {
    this.database.close();
  }
}

function rowToRecord(row: Row): SessionRecord {
  const [id, secretHash, userId, createdAt, authenticatedAt, lastActiveAt, idleTimeout, expiresAt, ip, userAgent, text, endedAt, endReason] = row;
  let data: SessionData;
  try {
    data = parseSessionData(text);
  } catch (error) {
    throw new SessionStoreError('STORE_CORRUPT', `session ${id} has unreadable data`, { cause: error });
  }
  return { id, secretHash, userId, createdAt, authenticatedAt, lastActiveAt, idleTimeout, expiresAt, ip, userAgent, data, endedAt, endReason: endReason as EndReason | null };
}
