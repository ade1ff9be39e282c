// Redis at 1,000,000 sessions (a private server): admin listing, search and filters in milliseconds, then 1,000,000
// expiries after which every index holds only what is live or a tombstone. Figures are printed, never asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from 'redis';
import type { ListSessionsQuery } from '../../src/core/types.js';
import { redisStore, type RedisSessionStore } from '../../src/stores/redis/index.js';
import { scriptSource } from '../../src/stores/redis/scripts.js';
import { makeRecord } from '../../src/testing/index.js';
import { ON_CI } from '../helpers/chromium.js';
import { connectRedis, keysOf, requireRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

const HAVE_REDIS = await requireRedis('redis scale');
/**
 * 1,000,000 under CI; 100,000 on a developer machine unless SW_SCALE_TOTAL says otherwise (loading a million takes
 * about a minute and a half on an idle machine, far longer on a busy shared one).
 */
const TOTAL = Number(process.env.SW_SCALE_TOTAL ?? (ON_CI ? 1_000_000 : 100_000));
const BATCH = Number(process.env.SW_SCALE_BATCH ?? 10_000);
const PREFIX = 'scale:';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const RETENTION = DAY;
/** The bulk data set ends here; its sessions were created over the 11 hours before. */
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * The bulk path: the store's own create() (and finish() for one in ten) run in a server-side loop, BATCH per call, so
 * the data set has exactly the keys and indexes logins make, without a million round trips.
 */
const BULK = scriptSource(String.raw`
local B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
local function b64url(s)
  local out = {}
  for k = 1, #s, 3 do
    local a, b, c = string.byte(s, k, k + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local chars = 4
    if not b then chars = 2 elseif not c then chars = 3 end
    for j = 1, chars do
      local v = math.floor(n / 2 ^ (18 - 6 * (j - 1))) % 64
      out[#out + 1] = string.sub(B64, v + 1, v + 1)
    end
  end
  return table.concat(out)
end
local first, count, total, base = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
for n = first, first + count - 1 do
  local id = string.format('bulk%018d', n)
  local c = base - (total - n) * 40
  local l = math.min(c + (n % 7) * 300000, base)
  local x = c + 12 * 3600000
  local ip = '10.0.' .. (n % 250) .. '.' .. (n % 4)
  if n % 10 == 3 then ip = '203.0.113.9' end
  local tag, user = 'a:' .. id, nil
  if n % 5 ~= 0 then
    user = 'user-' .. (n % 200000)
    tag = 'u:' .. b64url(user)
  end
  local A = { ARGV[1], ARGV[2], ARGV[3], fmt(c), '', '', '', '', '', '', fmt(x + RETAIN - c),
    'id', id, 't', tag, 'sh', 'bulk', 'c', fmt(c), 'l', fmt(l), 'i', '1800000', 'x', fmt(x), 'd', '{}', 'ip', ip, 'ua', 'bulk/1.0' }
  if user then A[#A + 1] = 'u'; A[#A + 1] = user; A[#A + 1] = 'a'; A[#A + 1] = fmt(c) end
  create(hkey(tag, id), A)
  if n % 10 == 7 then
    finish(hkey(tag, id), 'logout', l + 60000)
    sync_users()
  end
end
return count`);

/** Median of five runs of `work`, in milliseconds. */
async function timed(work: () => Promise<unknown>): Promise<number> {
  const runs: number[] = [];
  for (let k = 0; k < 5; k += 1) {
    const started = process.hrtime.bigint();
    await work();
    runs.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return runs.sort((a, b) => a - b)[2]!;
}

describe.runIf(HAVE_REDIS)(`redis at ${TOTAL.toLocaleString('en')} sessions`, () => {
  let redis: PrivateRedis;
  let client: RedisClientType;
  let store: RedisSessionStore;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    client = await connectRedis(redis.url);
    store = redisStore({ client, prefix: PREFIX, tombstoneRetention: RETENTION });
    const started = Date.now();
    for (let first = 1; first <= TOTAL; first += BATCH) {
      await client.sendCommand(['EVAL', BULK, '0', PREFIX, '1', String(RETENTION), String(first), String(BATCH), String(TOTAL), String(NOW)]);
    }
    const memory = /used_memory_human:(\S+)/.exec(await client.sendCommand<string>(['INFO', 'memory']))?.[1];
    console.log(`scale: ${TOTAL.toLocaleString('en')} sessions loaded in ${((Date.now() - started) / 1000).toFixed(1)} s; Redis memory ${memory}`);
  }, 1_200_000);

  afterAll(async () => {
    await client?.close().catch(() => undefined);
    await redis?.destroy();
  }, 60_000);

  it('lists, searches and filters in milliseconds (median of 5, printed)', async () => {
    const stats = await store.stats(NOW);
    console.log(`scale: stats ${JSON.stringify(stats)}`);
    expect(stats.live + stats.ended + stats.expired).toBe(TOTAL);
    const first = await store.list({ limit: 50, now: NOW, status: 'all' });
    const ended = await store.list({ limit: 50, now: NOW, status: 'ended' });
    // The newest bulk session (n = TOTAL - 1) is live: search for its user and IP.
    const last = TOTAL - 1;
    const user = `user-${last % 200_000}`;
    const ip = `10.0.${last % 250}.${last % 4}`;
    const queries: Record<string, Omit<ListSessionsQuery, 'now'>> = {
      'all, first page': { limit: 50, status: 'all' },
      'all, next page (cursor)': { limit: 50, status: 'all', cursor: first.nextCursor },
      'active, first page': { limit: 50, status: 'active' },
      'ended, first page': { limit: 50, status: 'ended' },
      'ended, next page (cursor)': { limit: 50, status: 'ended', cursor: ended.nextCursor },
      [`user search (${user})`]: { limit: 50, userId: user, status: 'all' },
      'user search, active': { limit: 50, userId: user, status: 'active' },
      'IP search (10.0.42.2, ~1,000 sessions)': { limit: 50, ip: '10.0.42.2', status: 'all' },
      'IP search (203.0.113.9, 100,000 sessions), active': { limit: 50, ip: '203.0.113.9', status: 'active' },
      'IP + user (filter in the user index)': { limit: 50, ip, userId: user },
    };
    const figures: string[] = [];
    for (const [label, query] of Object.entries(queries)) {
      const page = await store.list({ ...query, now: NOW });
      expect(page.sessions.length, label).toBeGreaterThan(0);
      figures.push(`${label}: ${(await timed(() => store.list({ ...query, now: NOW }))).toFixed(2)} ms (${page.sessions.length} rows)`);
    }
    figures.push(`stats: ${(await timed(() => store.stats(NOW))).toFixed(2)} ms`);
    figures.push(`get by id: ${(await timed(() => store.get('bulk000000000000424242'))).toFixed(2)} ms`);
    console.log(`scale (admin at ${TOTAL.toLocaleString('en')}):\n  ${figures.join('\n  ')}`);
  }, 120_000);

  it(`after ${TOTAL.toLocaleString('en')} expiries, every index holds only what is live or a tombstone`, async () => {
    const later = NOW + 13 * HOUR + RETENTION + 1;
    const fresh = Array.from({ length: 1000 }, (_, k) => makeRecord({ userId: `fresh-${k % 100}`, ip: `192.0.2.${k % 10}`, createdAt: later, lastActiveAt: later, authenticatedAt: later, expiresAt: later + 12 * HOUR }));
    for (const record of fresh) await store.create({ record, now: later });
    for (const record of fresh.slice(0, 100)) await store.end(record.id, 'logout', later);
    const started = Date.now();
    const deleted = await store.deleteExpired(later - RETENTION);
    // The 1,000 logins above already purged a few dead records each (bounded pruning); deleteExpired did the rest.
    console.log(`scale: deleteExpired removed ${deleted.toLocaleString('en')} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(deleted).toBeGreaterThanOrEqual(TOTAL - 8 * fresh.length);
    const ids = new Set(fresh.map((record) => record.id));
    const zcard = (key: string) => client.zCard(`${PREFIX}{i}:${key}`);
    expect([await zcard('c'), await zcard('o'), await zcard('e'), await zcard('users')]).toEqual([1000, 900, 100, 100]);
    const leaked: string[] = [];
    let sets = 0;
    for (const key of await keysOf(client, PREFIX)) {
      const type = await client.type(key);
      if (type === 'zset') {
        sets += 1;
        for (const member of await client.zRange(key, 0, -1)) {
          const id = member.split('#')[0]!;
          if (!ids.has(id) && !key.endsWith('{i}:users')) leaked.push(`${key} ${member}`);
        }
      } else if (type === 'hash' && !ids.has(key.slice(key.lastIndexOf(':') + 1))) leaked.push(key);
      else if (type === 'string' && !ids.has(/\{a:([^}]+)\}/.exec(key)?.[1] ?? '')) leaked.push(key);
    }
    console.log(`scale: after the expiries, ${sets} sorted sets hold ${leaked.length} dead members or keys`);
    expect(leaked.slice(0, 10)).toEqual([]);
    expect(await store.stats(later)).toEqual({ live: 900, ended: 100, expired: 0, users: 100 });
  }, 1_200_000);
});
