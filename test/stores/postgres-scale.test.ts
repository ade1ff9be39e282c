// 1,000,000 PostgreSQL sessions: every statement an admin page (each filter, pages 1 and 2) or a request runs is
// planned on an index (EXPLAIN of the exact SQL and values the store sent: no sequential scan), and the times print.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ListSessionsQuery } from '../../src/index.js';
import { encodeCursor, listKey } from '../../src/stores/cursor.js';
import { postgresStore, type PostgresPool, type PostgresPoolClient, type PostgresQueryConfig, type PostgresSessionStore } from '../../src/stores/postgres/index.js';
import { schemaStatements } from '../../src/stores/sql/schema.js';
import { makeRecord } from '../../src/testing/index.js';
import { freshPostgresDatabase, requirePostgres, type FreshDatabase } from '../helpers/services.js';

const SKIP = await requirePostgres('PostgreSQL at 1,000,000 sessions');
const TABLE = 'sessionwarden_sessions';
const ROWS = 1_000_000;
const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);
const SPAN = 7 * 24 * 3_600_000;
const IDLE = 30 * 60_000;
const HOUR = 3_600_000;
/** One address behind a big NAT: every 100th session, 10,000 in all. */
const NAT_IP = '198.51.100.1';
const PAGE = 50;

/** The query shapes of the admin page (search, filters, "mine"), without a cursor (as test/admin-scale.test.ts). */
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

/**
 * Seven days of sessions in one INSERT … SELECT generate_series, with the same shape as the SQLite scale test: 2,000
 * users (every 10,000th session the admin's), live ones only in the last half hour or so, a quarter of the rest
 * signed out and the others lapsed but not yet swept.
 */
const LOAD = `
  INSERT INTO ${TABLE} (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent, data, ended_at, end_reason)
  SELECT lpad(to_hex(i), 22, '0'), 'x', CASE WHEN i % 10000 = 0 THEN 'admin' ELSE 'user' || (i % 2000) END,
    c, c, l, ${IDLE}, e,
    CASE WHEN ended THEN l ELSE LEAST(l + ${IDLE}, e) END,
    CASE WHEN i % 100 = 0 THEN '${NAT_IP}' ELSE '203.0.' || ((i % 50000) >> 8) || '.' || (i % 256) END,
    NULL, '{}', CASE WHEN ended THEN l END, CASE WHEN ended THEN 'logout' END
  FROM (
    SELECT i, c, l, e, NOT (l + ${IDLE} > ${NOW} AND e > ${NOW}) AND i % 4 = 0 AS ended
    FROM (SELECT i, c, c + (i % 30) * 60000 AS l, c + 12 * ${HOUR} AS e
          FROM (SELECT i, ${NOW - SPAN}::bigint + (i::bigint * ${SPAN}) / ${ROWS} AS c FROM generate_series(0, ${ROWS - 1}) AS i) AS created) AS times) AS rows`;

/** A pg Pool that remembers every statement the store sends through it (transactions included). */
function recordingPool(real: pg.Pool, sent: PostgresQueryConfig[]): PostgresPool {
  return {
    query: (config) => {
      sent.push(config);
      return real.query(config);
    },
    connect: async () => {
      const client = await real.connect();
      const recording: PostgresPoolClient = {
        query: ((config: PostgresQueryConfig | string) => {
          if (typeof config !== 'string') sent.push(config);
          return client.query(config as PostgresQueryConfig);
        }) as PostgresPoolClient['query'],
        release: (destroy) => client.release(destroy),
        on: (event, listener) => client.on(event, listener),
        removeListener: (event, listener) => client.removeListener(event, listener),
      };
      return recording;
    },
    end: () => real.end(),
    on: (event, listener) => real.on(event, listener),
    listenerCount: (event) => real.listenerCount(event),
  };
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

describe.skipIf(SKIP)(`PostgreSQL with ${ROWS.toLocaleString('en')} sessions`, () => {
  let db: FreshDatabase;
  let real: pg.Pool;
  let store: PostgresSessionStore;
  const sent: PostgresQueryConfig[] = [];
  const report: string[] = [];

  beforeAll(async () => {
    db = await freshPostgresDatabase('pg_scale');
    real = new pg.Pool({ connectionString: db.url, max: 4 });
    store = postgresStore({ pool: recordingPool(real, sent) });
    await store.migrate();
    // Bulk load without the secondary indexes, then build them from the schema's own statements: far faster than
    // keeping seven indexes up row by row.
    const indexes = schemaStatements(TABLE).filter((statement) => statement.startsWith('CREATE INDEX'));
    expect(indexes).toHaveLength(6);
    for (const statement of indexes) await real.query(`DROP INDEX ${/INDEX IF NOT EXISTS (\w+)/.exec(statement)![1]}`);
    let started = performance.now();
    await real.query(LOAD);
    report.push(`  load ${ROWS.toLocaleString('en')} rows: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    started = performance.now();
    await real.query('SET maintenance_work_mem = "128MB"');
    for (const statement of indexes) await real.query(statement);
    await real.query(`VACUUM ANALYZE ${TABLE}`);
    report.push(`  build 6 indexes + analyze: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(async () => {
    await store?.close();
    await real?.end();
    await db?.drop();
    console.info(`PostgreSQL over ${ROWS.toLocaleString('en')} sessions:\n${report.join('\n')}`);
  });

  /** Run `operation`, then EXPLAIN every data statement it sent, exactly as sent; returns its time and the plans. */
  async function explained<T>(operation: () => Promise<T>): Promise<{ result: T; ms: number; plans: Array<{ sql: string; nodes: PlanNode[] }> }> {
    sent.length = 0;
    const started = performance.now();
    const result = await operation();
    const ms = performance.now() - started;
    const statements = sent.filter((config) => !/^\s*SELECT pg_advisory_xact_lock/.test(config.text));
    const plans = [];
    for (const config of statements) {
      const [[plan]] = (await real.query({ text: `EXPLAIN (FORMAT JSON) ${config.text}`, values: config.values, rowMode: 'array' })).rows[0] as [[{ Plan: PlanNode }]];
      plans.push({ sql: config.text.replace(/\s+/g, ' ').slice(0, 120), nodes: nodesOf(plan!.Plan) });
    }
    return { result, ms, plans };
  }

  function expectNoFullScan(plans: Array<{ sql: string; nodes: PlanNode[] }>): string {
    for (const { sql, nodes } of plans) {
      expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan').map((node) => node['Relation Name']), sql).toEqual([]);
    }
    return [...new Set(plans.flatMap(({ nodes }) => nodes.flatMap((node) => node['Index Name'] ?? [])))].join(', ');
  }

  it.each(Object.entries(SHAPES))('admin listing "%s": pages 1 and 2 are planned on an index, no sequential scan', async (name, shape) => {
    const first = await explained(() => store.list({ ...shape, cursor: null, limit: PAGE, now: NOW }));
    const last = first.result.sessions.at(-1);
    expect(last, 'the shape must match some sessions').toBeDefined();
    const cursor = first.result.nextCursor ?? encodeCursor(listKey(last!, shape.status), last!.id);
    const second = await explained(() => store.list({ ...shape, cursor, limit: PAGE, now: NOW }));
    const used = [expectNoFullScan(first.plans), expectNoFullScan(second.plans)];
    report.push(`  ${name.padEnd(22)} page 1 ${first.ms.toFixed(1).padStart(6)} ms, page 2 ${second.ms.toFixed(1).padStart(6)} ms  (${[...new Set(used)].join(' / ')})`);
  });

  it('every request-path statement (read, touch, update, login with limit and rotation, end, end others, list own, sweep) is planned on an index', async () => {
    const limit = { max: 2, lockMs: 0, onExceed: 'evict-oldest' as const };
    const first = makeRecord({ userId: 'user42', createdAt: NOW, lastActiveAt: NOW, expiresAt: NOW + 12 * HOUR });
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['create (login with limit, evicting)', () => store.create({ record: first, limit, now: NOW })],
      ['get', () => store.get(first.id)],
      ['touch', () => store.touch(first.id, NOW + 1000)],
      ['update', () => store.update(first.id, { theme: 'dark' })],
      ['create (rotation, requireReplaced)', () => store.create({ record: makeRecord({ userId: 'user42', createdAt: NOW, lastActiveAt: NOW, expiresAt: NOW + 12 * HOUR }), replaces: first.id, requireReplaced: true, limit, now: NOW + 2000 })],
      ['listByUser', () => store.listByUser('user42', NOW + 3000)],
      ['endByUser (all others)', () => store.endByUser('user43', 'revoked', NOW + 3000, 'none')],
      ['end', () => store.end(first.id, 'logout', NOW + 4000)],
      ['deleteExpired (one batch)', () => store.deleteExpired(NOW - SPAN + 60_000)],
    ];
    for (const [name, step] of steps) {
      const { ms, plans } = await explained(step);
      expect(plans.length, name).toBeGreaterThan(0);
      report.push(`  ${name.padEnd(36)} ${ms.toFixed(1).padStart(6)} ms  (${expectNoFullScan(plans) || 'no index needed'})`);
    }
  });
});
