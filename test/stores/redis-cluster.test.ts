// Redis Cluster: a local three-master cluster of the test's own runs the store contract through node-redis's cluster client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClusterType } from 'redis';
import { redisStore } from '../../src/stores/redis/index.js';
import { makeRecord, runStoreContract, T0 } from '../../src/testing/index.js';
import { deletePrefix, keysOf, requireRedis, startLocalCluster, uniquePrefix, type LocalCluster } from '../helpers/redis.js';
import { processRaceSpec, twoAppProcessesSpec } from '../helpers/cross-process.js';
import type { StoreTarget } from '../helpers/store-targets.js';

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

  // The cross-process scenarios every store runs, here on the cluster, by its URL (as SESSIONWARDEN_STORE takes it).
  const clusterTarget: StoreTarget = {
    name: 'Redis Cluster',
    skip: !HAVE_REDIS,
    async fresh(label) {
      const prefix = uniquePrefix(label);
      const client = await connect();
      return { url: `redis+cluster://${cluster!.ports.map((port) => `127.0.0.1:${port}`).join(',')}?prefix=${prefix}`, remove: async () => void (await deletePrefix(client, prefix)) };
    },
  };
  processRaceSpec(clusterTarget, 20);
  twoAppProcessesSpec(clusterTarget);
});
