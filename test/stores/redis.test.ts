// The Redis store passes the contract on the shared server (two clients per race case), and keeps its keys tidy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClientType } from 'redis';
import { SessionConfigError } from '../../src/core/errors.js';
import { redisStore, redisStoreFromUrl } from '../../src/stores/redis/index.js';
import { makeRecord, runStoreContract, T0 } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, keysOf, REDIS_URL, requireRedis, uniquePrefix } from '../helpers/redis.js';

const HAVE_REDIS = await requireRedis('redis store');
const clients: RedisClientType[] = [];
const prefixes: string[] = [];

async function client(): Promise<RedisClientType> {
  const connected = await connectRedis();
  clients.push(connected);
  return connected;
}

function prefix(): string {
  const value = uniquePrefix('contract');
  prefixes.push(value);
  return value;
}

afterAll(async () => {
  if (clients.length > 0) for (const value of prefixes) await deletePrefix(clients[0]!, value);
  await Promise.all(clients.map((connected) => connected.close()));
});

describe.runIf(HAVE_REDIS)('redis', () => {
  runStoreContract('redis', async () => redisStore({ client: await client(), prefix: prefix() }), {
    makePair: async () => {
      const shared = prefix();
      return [redisStore({ client: await client(), prefix: shared }), redisStore({ client: await client(), prefix: shared })];
    },
  });
});

describe('redisStore() options', () => {
  it('refuses a bad prefix, unknown options, both or neither of client and url, a short retention', () => {
    for (const prefix of ['', 'a{b}', 'sw*', 'with space', 'x'.repeat(65)]) {
      expect(() => redisStore({ url: 'redis://127.0.0.1:1', prefix }), prefix).toThrow(/^sessionwarden: redisStore prefix must be/);
    }
    expect(() => redisStore({ url: 'redis://127.0.0.1:1', prefx: 'a' } as never)).toThrow(/unknown option "prefx"/);
    expect(() => redisStore({} as never)).toThrow(/exactly one of \{ client \} or \{ url \}/);
    expect(() => redisStore('http://127.0.0.1')).toThrow(/url must start with redis:\/\/, rediss:\/\//);
    expect(() => redisStore({ url: 'redis://127.0.0.1:1', tombstoneRetention: '10ms' })).toThrow(SessionConfigError);
  });

  it('refuses a client that is not connected yet, naming the fix', () => {
    expect(() => redisStore({ client: createClient() })).toThrow(/^sessionwarden: redisStore client is not connected: await client.connect\(\) first/);
  });

  it('without the redis package installed, throws at construction naming it (npm install redis)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-no-redis-'));
    try {
      const hide = join(dir, 'hide-redis.cjs');
      // Resolution of "redis" fails as it would in an app that never installed it.
      writeFileSync(hide, `const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'redis') throw Object.assign(new Error("Cannot find module 'redis'"), { code: 'MODULE_NOT_FOUND' });
  return resolve.call(this, request, ...rest);
};`);
      const script = "import('./src/stores/redis/index.ts').then((m) => { try { m.redisStore('redis://127.0.0.1:1'); console.log('created'); } catch (e) { console.log(e.message); } })";
      const output = execFileSync(process.execPath, ['--require', hide, '--import', 'tsx', '-e', script], { encoding: 'utf8' });
      expect(output.trim()).toMatch(/^sessionwarden: redisStore needs the redis package \(v5\): npm install redis/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.runIf(HAVE_REDIS)('redis keys', () => {
  it('SEC-05 malformed ids cost no Redis call and address nothing', async () => {
    const prefix = uniquePrefix('sec05');
    prefixes.push(prefix);
    const real = await client();
    let calls = 0;
    const counting = { isOpen: true, sendCommand: (args: string[]) => ((calls += 1), real.sendCommand(args)) };
    const store = redisStore({ client: counting, prefix });
    for (const id of ['', '.', '*', 'a'.repeat(10_000), "' OR '1'='1", 'a\r\nSET x y', '%00', '..%2F', 'ünïcode', 'x}{u:alice}', 'id#user#ip', 'sw:*']) {
      expect(await store.get(id), id).toBeNull();
      expect(await store.update(id, { a: 1 }), id).toBe(false);
      expect(await store.touch(id, T0), id).toBe(false);
      expect(await store.end(id, 'logout', T0), id).toBeNull();
    }
    expect(calls).toBe(0);
    expect(await keysOf(real, prefix)).toEqual([]);
  });

  it('SEC-05 a user id with braces, # or a colon reaches only its own keys, all in one hash slot', async () => {
    const prefix = uniquePrefix('keys');
    prefixes.push(prefix);
    const store = redisStore({ client: await client(), prefix });
    for (const userId of ['a}b{c', 'x#y', 'u:1', '{i}']) {
      const record = makeRecord({ userId });
      await store.create({ record, now: T0 });
      expect(await store.get(record.id)).toEqual(record);
      expect((await store.listByUser(userId, T0)).map((found) => found.id)).toEqual([record.id]);
    }
    const keys = await keysOf(clients[0]!, prefix);
    const tags = new Set(keys.map((key) => /^[^{]*\{([^}]*)\}/.exec(key)?.[1]));
    // Four users (base64url tags), four pointers, and the admin index slot.
    expect([...tags].filter((tag) => tag?.startsWith('u:'))).toHaveLength(4);
    expect([...tags].every((tag) => tag === 'i' || /^[ua]:[A-Za-z0-9_-]+$/.test(tag ?? ''))).toBe(true);
  });

  it('a URL store connects on first use, takes ?prefix=, and close() ends its own client', async () => {
    const prefix = uniquePrefix('url');
    prefixes.push(prefix);
    const store = redisStoreFromUrl(`${REDIS_URL}?prefix=${encodeURIComponent(prefix)}`);
    expect(store.prefix).toBe(prefix);
    await store.probe(5000);
    const record = makeRecord();
    await store.create({ record, now: T0 });
    expect(await store.get(record.id)).toEqual(record);
    await store.close();
    await expect(store.get(record.id)).rejects.toThrow();
  });
});

describe.runIf(HAVE_REDIS)('redis TTLs and pruning', () => {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;

  it("SEC-20 TTLs are garbage collection only: a record's keys outlive its absolute deadline by the retention, a tombstone lives the retention after its end", async () => {
    const prefix = uniquePrefix('ttl');
    prefixes.push(prefix);
    const connected = await client();
    const store = redisStore({ client: connected, prefix, tombstoneRetention: '1d' });
    const record = makeRecord({ userId: 'ttl-user', expiresAt: T0 + 12 * HOUR });
    await store.create({ record, now: T0 });
    const user = `${prefix}{u:${Buffer.from('ttl-user').toString('base64url')}}`;
    const hash = `${user}:s:${record.id}`;
    const expected = 12 * HOUR + DAY;
    const ttl = async (key: string) => Number(await connected.pTTL(key));
    for (const key of [hash, `${prefix}{a:${record.id}}:p`, `${user}:o`, `${user}:c`]) {
      expect(await ttl(key), key).toBeGreaterThan(expected - 60_000);
      expect(await ttl(key), key).toBeLessThanOrEqual(expected);
    }
    // Long idle (in the record's own time) yet still there: the deadlines decide, not Redis; activity never extends a TTL.
    const before = await ttl(hash);
    expect(await store.touch(record.id, T0 + 11 * HOUR)).toBe(true);
    expect(await ttl(hash)).toBeLessThanOrEqual(before);
    expect(await ttl(hash)).toBeGreaterThan(expected - 60_000);
    expect(await store.get(record.id)).toMatchObject({ lastActiveAt: T0 + 11 * HOUR, endedAt: null });
    await store.end(record.id, 'logout', T0 + 11 * HOUR);
    expect(await ttl(hash)).toBeGreaterThan(DAY - 60_000);
    expect(await ttl(hash)).toBeLessThanOrEqual(DAY);
    expect(await ttl(`${user}:e`)).toBeGreaterThan(DAY - 60_000);
  });

  it('without clear-expired, logins prune index members that ended longer than the retention ago, with their records', async () => {
    const prefix = uniquePrefix('prune');
    prefixes.push(prefix);
    const connected = await client();
    const store = redisStore({ client: connected, prefix, tombstoneRetention: '1d' });
    const old = Array.from({ length: 60 }, (_, k) => makeRecord({ userId: k % 3 === 0 ? null : `old-${k % 7}`, ip: `198.51.100.${k % 5}` }));
    for (const record of old) await store.create({ record, now: T0 });
    for (const record of old.slice(0, 30)) await store.end(record.id, 'logout', T0 + HOUR);
    const later = T0 + 12 * HOUR + DAY + HOUR;
    const fresh = Array.from({ length: 20 }, () => makeRecord({ userId: 'new', createdAt: later, lastActiveAt: later, expiresAt: later + HOUR }));
    for (const record of fresh) await store.create({ record, now: later });
    const members = async (key: string) => connected.zRange(`${prefix}{i}:${key}`, 0, -1);
    const ids = new Set(fresh.map((record) => record.id));
    for (const key of ['c', 'o', 'e']) expect((await members(key)).every((member) => ids.has(member.split('#')[0]!)), key).toBe(true);
    expect(await members('c')).toHaveLength(20);
    for (const record of old) expect(await store.get(record.id)).toBeNull();
    expect(await keysOf(connected, `${prefix}{i}:ip:198.51.100.`)).toEqual([]);
    expect(await store.stats(later)).toEqual({ live: 20, ended: 0, expired: 0, users: 1 });
  });
});
