// The PostgreSQL store passes the contract on a real server (two pools for the race cases), and keeps its schema,
// its transactions and its failures honest: a failed commit rejects, a failed transaction leaves no lock behind.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionConfigError, SessionStoreError } from '../../src/index.js';
import { postgresStore, type PostgresSessionStore } from '../../src/stores/postgres/index.js';
import { SCHEMA_VERSION } from '../../src/stores/sql/schema.js';
import { makeRecord, runStoreContract, T0 } from '../../src/testing/index.js';
import { adminQuery, freshPostgresDatabase, postgresUrl, requirePostgres, type FreshDatabase } from '../helpers/services.js';

const SKIP = await requirePostgres('PostgreSQL store');
let db: FreshDatabase;
let tables = 0;
beforeAll(async () => {
  if (!SKIP) db = await freshPostgresDatabase('pg_store');
});
afterAll(async () => {
  await db?.drop();
});

/** A store on a table of its own in this file's database. */
function storeOnFreshTable(options: Omit<Parameters<typeof postgresStore>[0] & object, 'connectionString' | 'pool'> = {}): PostgresSessionStore {
  return postgresStore({ connectionString: db.url, table: `t${tables++}`, ...options });
}

if (SKIP) describe.skip('SEC-51 store contract: postgres (no PostgreSQL server)', () => it('skipped'));
else {
  runStoreContract('postgres', () => storeOnFreshTable(), {
    makePair: () => {
      const table = `pair${tables++}`;
      return [postgresStore({ connectionString: db.url, table }), postgresStore({ connectionString: db.url, table })];
    },
  });
}

describe.skipIf(SKIP)('postgresStore()', () => {
  it('creates its table, indexes and version on first use, not before', async () => {
    const store = storeOnFreshTable();
    const exists = async () => (await store.pool.query({ text: 'SELECT to_regclass($1) IS NOT NULL', values: [store.table], rowMode: 'array' })).rows[0]![0];
    expect(await exists()).toBe(false);
    expect(await store.get('nothing-here')).toBeNull();
    expect(await exists()).toBe(true);
    const versions = await store.pool.query({ text: `SELECT version FROM ${store.table}_schema`, values: [], rowMode: 'array' });
    expect(versions.rows).toEqual([[SCHEMA_VERSION]]);
    const indexes = await store.pool.query({ text: 'SELECT indexname FROM pg_indexes WHERE tablename = $1 ORDER BY 1', values: [store.table], rowMode: 'array' });
    expect(indexes.rows.flat()).toEqual(['t0_created', 't0_gone_id', 't0_ip_created', 't0_ip_gone', 't0_pkey', 't0_user_created', 't0_user_gone'].map((name) => name.replace('t0', store.table)));
    expect(await store.migrate()).toBe(SCHEMA_VERSION);
    await store.close();
  });

  it('puts the table in a schema of its own, created if missing, given as an option or as schema.table', async () => {
    for (const [options, table] of [
      [{ schema: 'sw_auth_a', table: 'sessions' }, 'sw_auth_a.sessions'],
      [{ schema: 'sw_auth_b' }, 'sw_auth_b.sessionwarden_sessions'],
      [{ table: 'sw_auth_c.sessions' }, 'sw_auth_c.sessions'],
    ] as const) {
      const store = postgresStore({ connectionString: db.url, ...options });
      expect(store.table).toBe(table);
      const record = makeRecord();
      await store.create({ record, now: T0 });
      expect(await store.get(record.id)).toEqual(record);
      const found = await store.pool.query({ text: 'SELECT schemaname FROM pg_tables WHERE schemaname || $2 || tablename = $1', values: [table, '.'], rowMode: 'array' });
      expect(found.rows, table).toHaveLength(1);
      await store.close();
    }
    expect(() => postgresStore({ connectionString: db.url, schema: 'a', table: 'b.c' })).toThrow(/either in table/);
    expect(() => postgresStore({ connectionString: db.url, schema: 'bad-name' })).toThrow(SessionConfigError);
    expect(() => postgresStore({ connectionString: db.url, table: 'x; DROP TABLE y' })).toThrow(SessionConfigError);
  });

  it('with migrate: false, a missing table fails every call (saying to run migrate) until `sessionwarden migrate` made it', async () => {
    const table = `t${tables++}`;
    const store = postgresStore({ connectionString: db.url, table, migrate: false });
    const error = await store.get('x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionStoreError);
    expect((error as Error).message).toMatch(new RegExp(`the sessions table ${table} does not exist in this database: run \`npx sessionwarden migrate`));
    expect(await store.pool.query({ text: 'SELECT to_regclass($1)', values: [table], rowMode: 'array' })).toMatchObject({ rows: [[null]] });
    await postgresStore({ connectionString: db.url, table }).migrate();
    expect(await store.get('x')).toBeNull();
    await store.close();
  });

  it('refuses a table whose schema version is newer than this release, or older with migrate: false', async () => {
    const store = storeOnFreshTable();
    await store.migrate();
    await store.pool.query({ text: `UPDATE ${store.table}_schema SET version = $1`, values: [SCHEMA_VERSION + 1], rowMode: 'array' });
    const newer = postgresStore({ connectionString: db.url, table: store.table });
    await expect(newer.get('x')).rejects.toThrow(/newer than this release's .*upgrade sessionwarden/);
    await store.pool.query({ text: `UPDATE ${store.table}_schema SET version = 1`, values: [], rowMode: 'array' });
    const older = postgresStore({ connectionString: db.url, table: store.table, migrate: false });
    await expect(older.get('x')).rejects.toThrow(/schema version 1, this release needs 2: run `npx sessionwarden migrate`/);
    await Promise.all([store.close(), newer.close(), older.close()]);
  });

  it('retries the schema after a failure: a database that did not exist at start works once it does', async () => {
    const name = `sw_pg_late_${process.pid}`;
    const store = postgresStore(postgresUrl(name));
    try {
      await expect(store.get('x')).rejects.toThrow(/does not exist/);
      await expect(store.create({ record: makeRecord(), now: T0 })).rejects.toThrow(/does not exist/);
      await adminQuery(5432, `CREATE DATABASE ${name}`);
      const record = makeRecord();
      expect(await store.create({ record, now: T0 })).toEqual({ ok: true, evicted: [] });
      expect(await store.get(record.id)).toEqual(record);
    } finally {
      await store.close();
      await adminQuery(5432, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  it('uses a pool the app passes and leaves it open on close(); keeps the pool error listener the app set', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const appListener = () => undefined;
    pool.on('error', appListener);
    const store = postgresStore({ pool, table: `t${tables++}` });
    expect(store.pool).toBe(pool);
    expect(pool.listeners('error')).toEqual([appListener]);
    const record = makeRecord();
    await store.create({ record, now: T0 });
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
    // Without the app's own listener, the store adds one: a broken idle connection must not end the process.
    const bare = new pg.Pool({ connectionString: db.url, max: 1 });
    postgresStore({ pool: bare });
    expect(bare.listenerCount('error')).toBe(1);
    await bare.end();
  });

  it('a write whose COMMIT fails rejects and leaves nothing: create (a transaction) and update (one statement)', async () => {
    const store = storeOnFreshTable();
    await store.migrate();
    // A deferred constraint trigger runs at COMMIT: the statement succeeds, the commit does not.
    await store.pool.query({
      text: `CREATE FUNCTION ${store.table}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN
          IF NEW.user_id = 'doomed' OR NEW.data LIKE '%doomed%' THEN RAISE EXCEPTION 'refused at commit'; END IF; RETURN NULL; END $$`,
      values: [],
      rowMode: 'array',
    });
    await store.pool.query({
      text: `CREATE CONSTRAINT TRIGGER ${store.table}_refuse AFTER INSERT OR UPDATE ON ${store.table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ${store.table}_refuse()`,
      values: [],
      rowMode: 'array',
    });
    const doomed = makeRecord({ userId: 'doomed' });
    await expect(store.create({ record: doomed, limit: { max: 1, lockMs: 0, onExceed: 'evict-oldest' }, now: T0 })).rejects.toThrow(/refused at commit/);
    expect(await store.get(doomed.id)).toBeNull();
    const kept = makeRecord();
    await store.create({ record: kept, now: T0 });
    await expect(store.update(kept.id, { note: 'doomed' })).rejects.toThrow(/refused at commit/);
    expect((await store.get(kept.id))!.data).toEqual(kept.data);
    // The failed transaction rolled back and released its connection and its advisory lock.
    const locks = await store.pool.query({ text: "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", values: [], rowMode: 'array' });
    expect(locks.rows).toEqual([['0']]);
    expect((await store.create({ record: makeRecord({ userId: 'doomed-not' }), limit: { max: 1, lockMs: 0, onExceed: 'evict-oldest' }, now: T0 })).ok).toBe(true);
    await store.close();
  });

  it('serialises logins of one user on a transaction-scoped advisory lock that a COMMIT releases', async () => {
    const store = storeOnFreshTable();
    await store.migrate();
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      // Another session holding alice's lock holds alice's logins back, and nobody else's.
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', ['sessionwarden:user:alice']);
      const alice = store.create({ record: makeRecord(), limit: { max: 1, lockMs: 0, onExceed: 'evict-oldest' }, now: T0 });
      let aliceDone = false;
      void alice.then(() => (aliceDone = true));
      expect((await store.create({ record: makeRecord({ userId: 'bob' }), limit: { max: 1, lockMs: 0, onExceed: 'evict-oldest' }, now: T0 })).ok).toBe(true);
      expect(aliceDone).toBe(false);
      await holder.query('COMMIT');
      expect((await alice).ok).toBe(true);
    } finally {
      await holder.end();
      await store.close();
    }
  });

  it('throws at construction, naming the package to install, when pg is missing', () => {
    // A preloaded script that hides pg from require(), as in an app that never installed it.
    const dir = mkdtempSync(join(tmpdir(), 'sw-no-pg-'));
    const hide = join(dir, 'hide-pg.cjs');
    writeFileSync(
      hide,
      `const Module = require('node:module'); const resolve = Module._resolveFilename;
       Module._resolveFilename = function (request, ...rest) {
         if (request === 'pg') throw Object.assign(new Error("Cannot find module 'pg'"), { code: 'MODULE_NOT_FOUND' });
         return resolve.call(this, request, ...rest);
       };`,
    );
    const script = `
      const { postgresStore } = await import('./src/stores/postgres/index.ts');
      try { postgresStore('postgres://nobody@127.0.0.1:1/none'); console.log('constructed'); } catch (error) { console.log(error.name + ': ' + error.message); }`;
    const run = spawnSync(process.execPath, ['--require', hide, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
    expect(run.stdout.trim()).toBe("SessionConfigError: sessionwarden: postgresStore needs the pg package: npm install pg (Cannot find module 'pg')");
  });

  it('validates its options at construction', () => {
    expect(() => postgresStore({} as never)).toThrow(/either pool .* or connectionString/);
    expect(() => postgresStore({ connectionString: db.url, pool: new pg.Pool() })).toThrow(/not both/);
    expect(() => postgresStore({ pool: {} as never })).toThrow(/must be a pg Pool/);
    expect(() => postgresStore({ connectionString: db.url, maxConnections: 0 })).toThrow(/maxConnections/);
    expect(() => postgresStore({ connectionString: db.url, bogus: 1 } as never)).toThrow(/unknown option "bogus"/);
  });
});
