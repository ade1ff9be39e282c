// SEC-49 and SEC-30 on Redis: 1,000 rounds of parallel logins over two store handles, 1,000 writes racing an end,
// one race across two real processes, and two app processes on one Redis behaving as one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from 'redis';
import type { StoreLimit } from '../../src/core/types.js';
import { redisStore, type RedisSessionStore } from '../../src/stores/redis/index.js';
import { makeRecord, T0 } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from '../helpers/redis.js';
import { startRaceWorker, startRedisApp, twoProcessScenarios, type AppProcess } from '../helpers/redis-processes.js';

const HAVE_REDIS = await requireRedis('redis races');
const prefix = uniquePrefix('race');
const clients: RedisClientType[] = [];

describe.runIf(HAVE_REDIS)('redis under races', () => {
  let a: RedisSessionStore;
  let b: RedisSessionStore;
  beforeAll(async () => {
    clients.push(await connectRedis(), await connectRedis());
    a = redisStore({ client: clients[0]!, prefix });
    b = redisStore({ client: clients[1]!, prefix });
  });
  afterAll(async () => {
    if (clients.length === 0) return;
    await deletePrefix(clients[0]!, prefix);
    await Promise.all(clients.map((client) => client.close()));
  });

  it('SEC-49 1,000 rounds of 12 simultaneous logins over two handles: no round over the limit (max 3; reject, then evict-oldest)', async () => {
    let over = 0;
    let admitted = 0;
    const started = Date.now();
    for (let round = 0; round < 1000; round += 1) {
      const onExceed = round % 2 === 0 ? 'reject' : 'evict-oldest';
      const limit: StoreLimit = { max: 3, lockMs: 0, onExceed };
      const userId = `race-${round}`;
      const results = await Promise.all(Array.from({ length: 12 }, (_, k) => [a, b][k % 2]!.create({ record: makeRecord({ userId, createdAt: T0 + k }), limit, now: T0 + k })));
      const ok = results.filter((result) => result.ok).length;
      admitted += ok;
      const live = (await [a, b][round % 2]!.listByUser(userId, T0 + 20)).length;
      if (live !== 3 || (onExceed === 'reject' && ok !== 3) || (onExceed === 'evict-oldest' && ok !== 12)) over += 1;
    }
    console.log(`limit race: 1000 rounds x 12 logins over two handles in ${Date.now() - started} ms, ${admitted} admitted, ${over} rounds over the limit`);
    expect(over).toBe(0);
  }, 120_000);

  it('SEC-30 1,000 updates and touches racing an end on the other handle: none resurrects the session', async () => {
    let resurrected = 0;
    for (let round = 0; round < 1000; round += 1) {
      const record = makeRecord({ userId: round % 3 === 0 ? null : `resurrect-${round % 7}` });
      await a.create({ record, now: T0 });
      const [, , ended] = await Promise.all([a.update(record.id, { round }), a.touch(record.id, T0 + 5), b.end(record.id, 'logout', T0 + 1)]);
      const after = await b.get(record.id);
      const late = await Promise.all([a.update(record.id, { late: true }), b.touch(record.id, T0 + 9)]);
      if (ended === null || after?.endedAt !== T0 + 1 || late.some(Boolean) || (await a.get(record.id))?.endedAt !== T0 + 1) resurrected += 1;
    }
    console.log(`end race: 1000 rounds, ${resurrected} sessions resurrected`);
    expect(resurrected).toBe(0);
    // No ended session is left in any user's open set.
    for (let user = 0; user < 7; user += 1) expect(await a.listByUser(`resurrect-${user}`, T0 + 2)).toEqual([]);
  }, 120_000);

  it.each(['reject', 'evict-oldest'] as const)('SEC-49 two processes on one Redis never exceed max (%s, 200 rounds x 2 x 12 logins)', async (mode) => {
    const shared = uniquePrefix(`race-${mode}`);
    const rounds = 200;
    try {
      const workers = await Promise.all(['A', 'B'].map((tag) => startRaceWorker([REDIS_URL, shared, mode, String(rounds), '12', tag])));
      workers.forEach((worker) => worker.go());
      const [resultA, resultB] = await Promise.all(workers.map((worker) => worker.result));
      const store = redisStore({ client: clients[0]!, prefix: shared });
      let over = 0;
      for (let i = 0; i < rounds; i += 1) {
        const live = (await store.listByUser(`user-${i}`, Date.now())).length;
        const ok = resultA!.results[i]!.ok + resultB!.results[i]!.ok;
        if (live !== 3 || ok !== (mode === 'reject' ? 3 : 24)) over += 1;
      }
      console.log(`two processes (${mode}): ${rounds} rounds, ${over} rounds over the limit`);
      expect(over).toBe(0);
    } finally {
      await deletePrefix(clients[0]!, shared);
    }
  }, 120_000);

  describe('two app processes on one Redis', () => {
    const appPrefix = uniquePrefix('apps');
    let apps: [AppProcess, AppProcess] | null = null;
    beforeAll(async () => {
      apps = (await Promise.all([startRedisApp(REDIS_URL, appPrefix), startRedisApp(REDIS_URL, appPrefix)])) as [AppProcess, AppProcess];
    }, 60_000);
    afterAll(async () => {
      await Promise.all((apps ?? []).map((app) => app.stop()));
      if (clients.length > 0) await deletePrefix(clients[0]!, appPrefix);
    });
    twoProcessScenarios(() => apps!);
  });
});
