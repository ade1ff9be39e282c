// The admin listing on 1,000,000 SQLite sessions: every query shape uses an index and a page comes back fast.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ListSessionsQuery } from '../src/index.js';
import { encodeCursor, listKey } from '../src/stores/cursor.js';
import { schemaStatements } from '../src/stores/sql/schema.js';
import { sqliteStore, type SqliteSessionStore } from '../src/stores/sqlite/index.js';

const TABLE = 'sessionwarden_sessions';
const ROWS = 1_000_000;
const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
const SPAN = 7 * 24 * 3_600_000;
const IDLE = 30 * 60_000;
/** One address behind a big NAT: every 100th session, 10,000 in all. */
const NAT_IP = '198.51.100.1';
const PAGE = 50;
/** Generous, so a slow CI machine does not fail; the measured times are printed (they are a few ms here). */
const BOUND_MS = 500;

/** The id of row `i`: the 22-character shape of real ids, in creation order. */
function idOf(i: number): string {
  return i.toString(36).padStart(22, '0');
}

/**
 * Seven days of sessions, oldest first: 2,000 users (every 10,000th session is the admin's), live ones only in the
 * last half hour or so, a quarter of the rest signed out and the others lapsed (idle or expired) but not yet swept.
 */
function load(path: string): void {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  // Only the first CREATE TABLE (a table from before schema versioning): the store builds the indexes and runs the
  // later migrations when it opens, far faster than keeping indexes up row by row.
  const createTable = schemaStatements(TABLE)[0]!;
  expect(createTable.trim()).toMatch(/^CREATE TABLE IF NOT EXISTS sessionwarden_sessions \(/);
  db.exec(createTable);
  const insert = db.prepare(`INSERT INTO ${TABLE} (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent, data, ended_at, end_reason)
    VALUES (?, 'x', ?, ?, ?, ?, ${IDLE}, ?, ?, ?, NULL, '{}', ?, ?)`);
  db.transaction(() => {
    for (let i = 0; i < ROWS; i += 1) {
      const createdAt = NOW - SPAN + Math.floor((i * SPAN) / ROWS);
      const lastActiveAt = createdAt + (i % 30) * 60_000;
      const expiresAt = createdAt + 12 * 3_600_000;
      const live = lastActiveAt + IDLE > NOW && expiresAt > NOW;
      const endedAt = !live && i % 4 === 0 ? lastActiveAt : null;
      const goneAt = endedAt ?? Math.min(lastActiveAt + IDLE, expiresAt);
      const ip = i % 100 === 0 ? NAT_IP : `203.0.${(i % 50_000) >> 8}.${i % 256}`;
      const userId = i % 10_000 === 0 ? 'admin' : `user${i % 2_000}`;
      insert.run(idOf(i), userId, createdAt, createdAt, lastActiveAt, expiresAt, goneAt, ip, endedAt, endedAt === null ? null : 'logout');
    }
  })();
  db.close();
}

/** The query shapes of the admin page (search, filters, "mine"), without a cursor. */
const SHAPES: Record<string, Omit<ListSessionsQuery, 'limit' | 'now' | 'cursor'>> = {
  'no filter': { status: 'all' },
  'status active': { status: 'active' },
  'status ended': { status: 'ended' },
  'user id': { userId: 'user7', status: 'all' },
  'user id + active': { userId: 'user7', status: 'active' },
  'IP (10,000 sessions)': { ip: NAT_IP, status: 'all' },
  'IP + ended': { ip: NAT_IP, status: 'ended' },
  mine: { userId: 'admin', status: 'all' },
};

describe('admin listing on 1,000,000 SQLite sessions', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sw-scale-'));
  let store: SqliteSessionStore;
  const timings: string[] = [];

  /** The last statement `list()` ran, captured as the store's driver prepares (once) and runs it. */
  let captured: { sql: string; params: unknown } | null = null;

  beforeAll(() => {
    const path = join(dir, 'scale.sqlite');
    load(path);
    store = sqliteStore({ path });
    const db = store.database;
    const prepare = db.prepare.bind(db);
    vi.spyOn(db, 'prepare').mockImplementation(((sql: string) => {
      const statement = prepare(sql);
      const all = statement.all.bind(statement);
      statement.all = ((params: unknown) => {
        captured = { sql, params };
        return all(params as never);
      }) as typeof statement.all;
      return statement;
    }) as typeof db.prepare);
  }, 120_000);

  afterAll(async () => {
    vi.restoreAllMocks();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
    console.info(`admin listing over ${ROWS.toLocaleString('en')} sessions:\n${timings.join('\n')}`);
  });

  /** The SQL and parameters `list()` runs for a query, and the page it returns. */
  async function run(query: ListSessionsQuery): Promise<{ sql: string; params: unknown; ms: number; page: Awaited<ReturnType<NonNullable<SqliteSessionStore['list']>>> }> {
    captured = null;
    const started = performance.now();
    const page = await store.list(query);
    const ms = performance.now() - started;
    if (captured === null) throw new Error('list() ran no captured query');
    const { sql, params } = captured as { sql: string; params: unknown };
    return { sql, params, ms, page };
  }

  function planOf(sql: string, params: unknown): string[] {
    return (store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).raw(false).all(params) as { detail: string }[]).map((row) => row.detail);
  }

  it.each(Object.entries(SHAPES))('%s: pages 1 and 2 use an index (no table scan, no full sort) and each takes well under 100 ms', async (name, shape) => {
    const first = await run({ ...shape, cursor: null, limit: PAGE, now: NOW });
    const last = first.page.sessions.at(-1);
    expect(last, 'the shape must match some sessions').toBeDefined();
    // Page 2 is the same shape with a cursor (from the page, or after its last row when it was the only page).
    const second = await run({ ...shape, cursor: first.page.nextCursor ?? encodeCursor(listKey(last!, shape.status), last!.id), limit: PAGE, now: NOW });
    timings.push(`  ${name.padEnd(22)} page 1 ${first.ms.toFixed(1).padStart(6)} ms, page 2 ${second.ms.toFixed(1).padStart(6)} ms`);
    for (const { sql, params, ms } of [first, second]) {
      const plan = planOf(sql, params);
      // "SCAN <table>" without "USING … INDEX" reads every row; "USE TEMP B-TREE FOR ORDER BY" sorts every match.
      expect(plan.filter((step) => /^SCAN sessionwarden_sessions(?! USING (COVERING )?INDEX)/.test(step)), plan.join(' | ')).toEqual([]);
      expect(plan.filter((step) => step.includes('USE TEMP B-TREE FOR ORDER BY')), plan.join(' | ')).toEqual([]);
      expect(ms).toBeLessThan(BOUND_MS);
    }
  });

  // Status filters sort by gone_at, so the filter and the order are one index range: the page after the last live
  // session reads nothing more (it used to walk the rest of the table, about 300 ms here).
  it('the page after the last live session does not read the rest of the table', async () => {
    const lastLive = store.database.prepare(`SELECT gone_at, id FROM ${TABLE} WHERE ended_at IS NULL AND gone_at > ? ORDER BY gone_at, id LIMIT 1`).get(NOW) as { gone_at: number; id: string };
    const last = await run({ status: 'active', cursor: encodeCursor(lastLive.gone_at, lastLive.id), limit: PAGE, now: NOW });
    timings.push(`  ${'past the last live'.padEnd(22)} page   ${last.ms.toFixed(1).padStart(6)} ms`);
    expect(last.page.sessions).toEqual([]);
    expect(last.ms).toBeLessThan(50);
  });
});
