// The sessionwarden CLI against a real SQLite file: list, revoke, clear-expired, stats, and usage errors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { makeRecord } from '../../src/testing/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
const path = join(dir, 'sessions.sqlite');
const now = Date.now();
const ids: Record<string, string> = {};

beforeAll(async () => {
  const store = sqliteStore({ path });
  for (const [name, overrides] of Object.entries({
    alice1: { userId: 'alice', createdAt: now - 1000, lastActiveAt: now - 1000, expiresAt: now + 3_600_000 },
    alice2: { userId: 'alice', createdAt: now - 2000, lastActiveAt: now - 500, expiresAt: now + 3_600_000 },
    bob: { userId: 'bob', createdAt: now - 1000, lastActiveAt: now - 1000, expiresAt: now + 3_600_000 },
    old: { userId: 'carol', createdAt: now - 30 * 86_400_000, lastActiveAt: now - 30 * 86_400_000, expiresAt: now - 29 * 86_400_000 },
  })) {
    const record = makeRecord(overrides);
    ids[name] = record.id;
    await store.create({ record, now: record.createdAt });
  }
  await store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sessionwarden CLI', () => {
  it('stats counts live, ended and expired sessions', async () => {
    const result = await runCli(['stats', '--store', path, '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ live: 3, ended: 0, expired: 1, users: 2 });
  });

  it('list --user shows live sessions, most recent first, with a device label and no secrets', async () => {
    const result = await runCli(['list', '--user', 'alice', '--store', path]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.map((line) => line.split('  ')[0])).toEqual([ids.alice2, ids.alice1]);
    expect(result.stdout).toContain('Firefox on Linux');
    expect(result.stdout).not.toMatch(/secretHash|[A-Za-z0-9_-]{43}/);
  });

  it('revoke --id ends one session and a second attempt fails with exit 1', async () => {
    expect((await runCli(['revoke', '--id', ids.bob!, '--store', path])).code).toBe(0);
    const again = await runCli(['revoke', '--id', ids.bob!, '--store', path]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no live session/);
  });

  it('revoke --user ends every session of the user with reason revoked-by-admin', async () => {
    const result = await runCli(['revoke', '--user', 'alice', '--store', path, '--json']);
    expect(JSON.parse(result.stdout).ended).toHaveLength(2);
    const store = sqliteStore({ path });
    expect((await store.get(ids.alice1!))!.endReason).toBe('revoked-by-admin');
    await store.close();
  });

  it('clear-expired deletes old records and keeps recent tombstones', async () => {
    const result = await runCli(['clear-expired', '--store', path, '--json']);
    expect(JSON.parse(result.stdout)).toEqual({ deleted: 1 });
  });

  it('usage errors exit 2 with the usage text', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['revoke', '--store', path])).stderr).toMatch(/revoke needs --user/);
    expect((await runCli(['frobnicate', '--store', path])).stderr).toMatch(/unknown command/);
    expect((await runCli(['--bogus'])).code).toBe(2);
    expect((await runCli(['--help'])).stdout).toMatch(/^Usage: sessionwarden/);
  });

  it('runs as a real process through its entry point', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), 'stats', '--store', path], { encoding: 'utf8' });
    expect(output).toMatch(/^live \d+\nended \d+\nexpired \d+\nusers \d+\n$/);
  });
});
