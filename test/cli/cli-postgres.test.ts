// The sessionwarden CLI on PostgreSQL (--store postgres://… and SESSIONWARDEN_STORE): migrate, list, revoke,
// clear-expired and stats on a real server; a missing table or a server that is down exits 3 without the password.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { makeRecord } from '../../src/testing/index.js';
import { freshPostgresDatabase, requirePostgres, type FreshDatabase } from '../helpers/services.js';

const SKIP = await requirePostgres('CLI on PostgreSQL');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.skipIf(SKIP)('sessionwarden CLI with --store postgres://…', () => {
  let db: FreshDatabase;
  beforeAll(async () => {
    db = await freshPostgresDatabase('pg_cli');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('every command but migrate refuses a database without the table (exit 3, says to run migrate) and creates nothing', async () => {
    for (const argv of [['stats'], ['list', 'alice'], ['revoke', '--user', 'alice'], ['clear-expired']]) {
      const result = await runCli([...argv, '--store', db.url]);
      expect(result.code, argv.join(' ')).toBe(3);
      expect(result.stderr, argv.join(' ')).toBe(`sessionwarden: ${db.url}: the sessions table sessionwarden_sessions does not exist in this database: run \`npx sessionwarden migrate --store postgres://…\`\n`);
    }
    const store = postgresStore({ connectionString: db.url, migrate: false });
    expect((await store.pool.query({ text: "SELECT to_regclass('sessionwarden_sessions')", values: [], rowMode: 'array' })).rows).toEqual([[null]]);
    await store.close();
  });

  it('migrate creates the schema (twice is fine); then list, revoke, clear-expired and stats work on it, also through SESSIONWARDEN_STORE', async () => {
    expect(await runCli(['migrate', '--store', db.url])).toEqual({ code: 0, stdout: `schema ready in ${db.url}\n`, stderr: '' });
    expect(await runCli(['migrate', '--store', db.url, '--json'])).toEqual({ code: 0, stdout: `${JSON.stringify({ ok: true, store: db.url })}\n`, stderr: '' });
    const now = Date.now();
    const store = postgresStore(db.url);
    const live = [makeRecord({ userId: 'alice', createdAt: now, lastActiveAt: now, expiresAt: now + 12 * HOUR }), makeRecord({ userId: 'alice', createdAt: now, lastActiveAt: now, expiresAt: now + 12 * HOUR })];
    const bob = makeRecord({ userId: 'bob', createdAt: now, lastActiveAt: now, expiresAt: now + 12 * HOUR });
    const longGone = makeRecord({ userId: 'carol', createdAt: now - 30 * DAY, lastActiveAt: now - 30 * DAY, expiresAt: now - 29 * DAY });
    for (const record of [...live, bob, longGone]) await store.create({ record, now: record.createdAt });
    await store.close();
    const env = { SESSIONWARDEN_STORE: db.url };

    expect(JSON.parse((await runCli(['stats', '--json'], env)).stdout)).toEqual({ live: 3, ended: 0, expired: 1, users: 2 });
    const listed = JSON.parse((await runCli(['list', 'alice', '--json'], env)).stdout) as Array<{ id: string }>;
    expect(listed.map((session) => session.id).sort()).toEqual(live.map((record) => record.id).sort());
    expect((await runCli(['list', 'alice', '--store', db.url])).stdout).toMatch(/^session id +last active \(UTC\) +ip +device\n/);
    expect(await runCli(['revoke', live[0]!.id, '--store', db.url])).toEqual({ code: 0, stdout: `ended session ${live[0]!.id} of alice\n`, stderr: '' });
    expect((await runCli(['revoke', live[0]!.id, '--store', db.url])).code).toBe(1);
    expect(JSON.parse((await runCli(['revoke', '--user', 'alice', '--json'], env)).stdout)).toEqual({ ended: [live[1]!.id] });
    expect(JSON.parse((await runCli(['clear-expired', '--json'], env)).stdout)).toEqual({ deleted: 1 });
    expect(JSON.parse((await runCli(['stats', '--json', '--store', db.url])).stdout)).toEqual({ live: 1, ended: 2, expired: 0, users: 1 });
    expect(JSON.parse((await runCli(['clear-expired', '--retention', '0s', '--json'], env)).stdout)).toEqual({ deleted: 2 });
  });

  it('a server that is down exits 3 and never prints the password', async () => {
    const url = 'postgres://app:s3cret-pw@127.0.0.1:1/app';
    for (const argv of [['stats'], ['migrate']]) {
      const result = await runCli([...argv, '--store', url]);
      expect(result.code, argv.join(' ')).toBe(3);
      expect(result.stderr).toMatch(/^sessionwarden: /);
      expect(result.stderr).toContain('ECONNREFUSED');
      expect(result.stderr).not.toContain('s3cret-pw');
    }
  });

  it('the command itself (a separate process) takes the URL', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'stats', '--json', '--store', db.url], { encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ live: expect.any(Number) });
  });
});
