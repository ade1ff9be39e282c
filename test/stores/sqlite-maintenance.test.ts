// F12: a read-only SQLite store is refused when it opens, naming the path. F14: clear-expired deletes in batches, then
// the WAL is checkpointed and truncated and the freed pages are given back (incremental vacuum).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarden, type SessionRecord } from '../../src/index.js';
import { issueToken } from '../../src/core/token.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-sqlite-maint-'));
afterAll(() => {
  chmodSync(dir, 0o755);
  rmSync(dir, { recursive: true, force: true });
});

function openAs(path: string, asNobody: boolean): { status: number | null; stdout: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'open-sqlite.ts'), path], {
    encoding: 'utf8',
    // Root ignores file modes: the store is opened as an unprivileged user instead.
    ...(asNobody ? { uid: 65534, gid: 65534, env: { ...process.env, HOME: dir, TSX_DISABLE_CACHE: '1' } } : {}),
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout };
}

describe('SQLite store maintenance', () => {
  it('F12 a read-only store file and folder are refused when the store opens, with a message naming the path', () => {
    const folder = mkdtempSync(join(dir, 'ro-'));
    const path = join(folder, 'sessions.sqlite');
    const store = sqliteStore({ path });
    store.database.close();
    const root = process.getuid?.() === 0;
    expect(openAs(path, false).stdout).toBe('opened\n');
    chmodSync(path, 0o444);
    chmodSync(folder, 0o555);
    chmodSync(dir, 0o755);
    try {
      const result = openAs(path, root);
      expect(result.status).toBe(1);
      expect(result.stdout).toContain(`the SQLite store at ${path} is read-only`);
    } finally {
      chmodSync(folder, 0o755);
      chmodSync(path, 0o644);
    }
  }, 60_000);

  it('F14 clear-expired deletes 3,000 tombstones in batches, then the WAL is truncated and the file shrinks', async () => {
    const path = join(dir, 'sweep.sqlite');
    const store = sqliteStore({ path });
    const now = Date.UTC(2026, 0, 1);
    const insert = store.database.prepare('BEGIN');
    insert.run();
    for (let i = 0; i < 3000; i += 1) {
      const token = issueToken();
      const record: SessionRecord = { id: token.id, secretHash: token.secretHash, userId: `user-${i % 50}`, createdAt: now - 20 * 86_400_000, authenticatedAt: null, lastActiveAt: now - 20 * 86_400_000, idleTimeout: 600_000, expiresAt: now - 19 * 86_400_000, ip: '192.0.2.1', userAgent: 'x'.repeat(200), data: { pad: 'y'.repeat(200) }, endedAt: null, endReason: null, replacedBy: null };
      await store.create({ record, now: now - 20 * 86_400_000 });
    }
    store.database.exec('COMMIT');
    store.database.pragma('wal_checkpoint(TRUNCATE)');
    const fileBefore = statSync(path).size;
    const warden = createWarden({ store, now: () => now, tombstoneRetention: '7d' });
    expect(await warden.clearExpired()).toBe(3000);
    const done = await store.compact();
    expect(done.fileBefore).toBe(fileBefore);
    expect(done.walBefore).toBeGreaterThan(0);
    expect(done.walAfter).toBe(0);
    expect(done.pagesReleased).toBeGreaterThan(100);
    expect(done.fileAfter).toBeLessThan(fileBefore / 4);
    expect(Number(store.database.pragma('freelist_count', { simple: true }))).toBe(0);
    await store.close();
  }, 60_000);
});
