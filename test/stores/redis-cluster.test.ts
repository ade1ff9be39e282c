// Redis Cluster: a local three-master cluster of the test's own runs the store contract through node-redis's cluster client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClusterType } from 'redis';
import { redisStore } from '../../src/stores/redis/index.js';
import { makeRecord, runStoreContract, T0 } from '../../src/testing/index.js';
import { keysOf, requireRedis, startLocalCluster, uniquePrefix, type LocalCluster } from '../helpers/redis.js';
import { startRaceWorker, startRedisApp, twoProcessScenarios, type AppProcess } from '../helpers/redis-processes.js';

const HAVE_REDIS = await requireRedis('redis cluster');
let cluster: LocalCluster | null = null;
const clients: RedisClusterType[] = [];

async function connect(): Promise<RedisClusterType> {
  const client = await cluster!.connect();
  clients.push(client);
  return client;
}

describe.runIf(HAVE_REDIS)('redis cluster (three masters)', () => {
  beforeAll(async () => {
    cluster = await startLocalCluster(20_000);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
    await cluster?.destroy();
  });

  runStoreContract('redis cluster', async () => redisStore({ client: await connect(), prefix: uniquePrefix('cluster') }), {
    makePair: async () => {
      const prefix = uniquePrefix('cluster-pair');
      return [redisStore({ client: await connect(), prefix }), redisStore({ client: await connect(), prefix })];
    },
  });

  it('spreads users over the three masters, and a login from an anonymous session ends it in its own slot', async () => {
    const client = await connect();
    const prefix = uniquePrefix('spread');
    const store = redisStore({ client, prefix });
    expect(store.cluster).toBe(true);
    for (let k = 0; k < 30; k += 1) await store.create({ record: makeRecord({ userId: `user-${k}` }), now: T0 });
    const perNode = await Promise.all(client.masters.map(async (node) => (await keysOf(await client.nodeClient(node), prefix)).length));
    expect(perNode.every((count) => count > 0), `keys per master: ${perNode.join(', ')}`).toBe(true);
    const anonymous = makeRecord({ userId: null });
    await store.create({ record: anonymous, now: T0 });
    const signedIn = makeRecord({ userId: 'carol' });
    expect(await store.create({ record: signedIn, replaces: anonymous.id, now: T0 + 1 })).toEqual({ ok: true, evicted: [] });
    expect(await store.get(anonymous.id)).toMatchObject({ endReason: 'rotated', replacedBy: signedIn.id });
    expect((await store.list({ limit: 100, now: T0 + 2, status: 'all' })).sessions).toHaveLength(31);
    expect(await store.stats(T0 + 2)).toEqual({ live: 31, ended: 0, expired: 0, users: 31 });
  });

  it('SEC-49 two processes on the cluster never exceed max (reject, 100 rounds x 2 x 12 logins)', async () => {
    const prefix = uniquePrefix('cluster-race');
    const target = `cluster:${cluster!.ports.join(',')}`;
    const workers = await Promise.all(['A', 'B'].map((tag) => startRaceWorker([target, prefix, 'reject', '100', '12', tag])));
    workers.forEach((worker) => worker.go());
    const [a, b] = await Promise.all(workers.map((worker) => worker.result));
    const store = redisStore({ client: await connect(), prefix });
    let over = 0;
    for (let i = 0; i < 100; i += 1) {
      const live = (await store.listByUser(`user-${i}`, Date.now())).length;
      if (live !== 3 || a!.results[i]!.ok + b!.results[i]!.ok !== 3) over += 1;
    }
    expect(over).toBe(0);
  }, 120_000);

  describe('two app processes on the cluster', () => {
    let apps: [AppProcess, AppProcess] | null = null;
    beforeAll(async () => {
      const prefix = uniquePrefix('cluster-apps');
      const target = `cluster:${cluster!.ports.join(',')}`;
      apps = (await Promise.all([startRedisApp(target, prefix), startRedisApp(target, prefix)])) as [AppProcess, AppProcess];
    }, 60_000);
    afterAll(async () => {
      await Promise.all((apps ?? []).map((app) => app.stop()));
    });
    twoProcessScenarios(() => apps!);
  });
});
