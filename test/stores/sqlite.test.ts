// The SQLite store passes the contract on a real file, and keeps its schema, WAL mode and indexes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { makeRecord, runStoreContract } from '../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-sqlite-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('sqlite', () => sqliteStore({ path: join(dir, `contract-${n++}.sqlite`) }), {
  makePair: () => {
    const path = join(dir, `pair-${n++}.sqlite`);
    return [sqliteStore({ path }), sqliteStore({ path })];
  },
});

describe('sqliteStore()', () => {
  it('creates the file, its folder and the schema on first use, in WAL mode', async () => {
    const store = sqliteStore({ path: join(dir, 'nested', 'deeper', 'sessions.sqlite') });
    expect(store.database.pragma('journal_mode', { simple: true })).toBe('wal');
    const indexes = store.database.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sessionwarden_sessions'").all() as { name: string }[];
    expect(store.database.prepare('SELECT version FROM sessionwarden_sessions_schema').all()).toEqual([{ version: 2 }]);
    expect(indexes.map((index) => index.name)).toEqual(expect.arrayContaining(['sessionwarden_sessions_user_gone', 'sessionwarden_sessions_gone_id', 'sessionwarden_sessions_created']));
    await store.close();
  });

  it('looks sessions up by primary key, users by index and expiry by index', async () => {
    const store = sqliteStore({ path: join(dir, 'plan.sqlite') });
    const plan = (sql: string) => (store.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' | ');
    expect(plan("SELECT * FROM sessionwarden_sessions WHERE id = 'x'")).toMatch(/USING INDEX sqlite_autoindex|PRIMARY KEY/);
    expect(plan("SELECT * FROM sessionwarden_sessions WHERE user_id = 'a' AND ended_at IS NULL AND gone_at > 1")).toMatch(/sessionwarden_sessions_user_gone/);
    expect(plan('DELETE FROM sessionwarden_sessions WHERE gone_at < 1')).toMatch(/sessionwarden_sessions_gone_id/);
    await store.close();
  });

  it('reopens an existing file with its sessions', async () => {
    const path = join(dir, 'reopen.sqlite');
    const first = sqliteStore({ path });
    const record = makeRecord();
    await first.create({ record, now: record.createdAt });
    await first.close();
    const second = sqliteStore({ path });
    expect(await second.get(record.id)).toEqual(record);
    await second.close();
  });
});
