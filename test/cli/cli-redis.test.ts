// The CLI on Redis: --store redis:// URLs run stats, list, revoke and clear-expired; an unreachable server is exit 3.
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from 'redis';
import { runCli } from '../../src/cli/main.js';
import { parseStoreArg } from '../../src/cli/store-from-arg.js';
import { EXIT } from '../../src/cli/cli-error.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { makeRecord } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, REDIS_URL, requireRedis, sparePort, uniquePrefix } from '../helpers/redis.js';

const HAVE_REDIS = await requireRedis('CLI on redis');
const clients: RedisClientType[] = [];
const prefixes: string[] = [];
afterAll(async () => {
  if (clients.length === 0) return;
  for (const prefix of prefixes) await deletePrefix(clients[0]!, prefix);
  await Promise.all(clients.map((client) => client.close()));
});

/** A key prefix of the test's own, and the --store URL that names it. */
function storeUrl(): { prefix: string; url: string } {
  const prefix = uniquePrefix('cli');
  prefixes.push(prefix);
  return { prefix, url: `${REDIS_URL}/0?prefix=${encodeURIComponent(prefix)}` };
}

describe.runIf(HAVE_REDIS)('the CLI on redis://', () => {
  it('stats, list, revoke and clear-expired work on a redis:// store (its ?prefix= naming the key prefix); the label never shows the password', async () => {
    const client = await connectRedis();
    clients.push(client);
    const { prefix, url } = storeUrl();
    const store = redisStore({ client, prefix });
    const now = Date.now();
    const alice = [makeRecord({ userId: 'cli-alice', createdAt: now, lastActiveAt: now, expiresAt: now + 3_600_000 }), makeRecord({ userId: 'cli-alice', createdAt: now, lastActiveAt: now, expiresAt: now + 3_600_000 })];
    const bob = makeRecord({ userId: 'cli-bob', createdAt: now - 40 * 86_400_000, lastActiveAt: now - 40 * 86_400_000, expiresAt: now - 39 * 86_400_000 });
    for (const record of [...alice, bob]) await store.create({ record, now: record.createdAt });
    // bob expired 39 days ago, beyond the store's 7-day retention: stats counts only what the TTLs keep.
    expect(JSON.parse((await runCli(['stats', '--store', url, '--json'])).stdout)).toEqual({ live: 2, ended: 0, expired: 0, users: 1 });

    const listed = await runCli(['list', 'cli-alice', '--store', url, '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((session) => session.id).sort()).toEqual(alice.map((record) => record.id).sort());
    const revoked = await runCli(['revoke', alice[0]!.id, '--store', url, '--json']);
    expect(revoked.code).toBe(0);
    expect((await store.get(alice[0]!.id))!.endReason).toBe('revoked-by-admin');
    expect((await runCli(['revoke', '--user', 'cli-alice', '--store', url])).stdout).toMatch(/^ended 1 session\(s\) of cli-alice/);

    const cleared = await runCli(['clear-expired', '--retention', '30d', '--store', url, '--json']);
    expect(cleared.code).toBe(0);
    expect(JSON.parse(cleared.stdout)).toEqual({ deleted: 1 });
    expect(await store.get(bob.id)).toBeNull();
    expect(await store.get(alice[1]!.id)).not.toBeNull();
    expect(parseStoreArg('redis://:s3cret-pw@cache.example:6379/0').label).not.toContain('s3cret-pw');
  });

  it('a redis:// server that does not answer is "store unavailable" (exit 3) within seconds, and the process can exit', async () => {
    const url = `redis://:s3cret-pw@127.0.0.1:${await sparePort()}`;
    const started = Date.now();
    const result = await runCli(['stats', '--store', url]);
    expect(result.code).toBe(EXIT.storeUnavailable);
    expect(result.stderr).toMatch(/^sessionwarden: redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/?: /);
    expect(result.stderr).not.toContain('s3cret-pw');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});
