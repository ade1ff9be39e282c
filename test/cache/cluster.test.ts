// The read cache on Redis Cluster: the scripts PUBLISH on whichever master holds the user's slot, and classic pub/sub
// carries it to the subscriber on any node, so an end made through another client reaches the cache for every slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedisClusterType } from 'redis';
import { cacheStore } from '../../src/core/cache.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { makeRecord, T0 } from '../../src/testing/index.js';
import { requireRedis, startLocalCluster, uniquePrefix, type LocalCluster } from '../helpers/redis.js';
import { until, upNow } from './helpers.js';

const HAVE_REDIS = await requireRedis('read cache on redis cluster');

describe.runIf(HAVE_REDIS)('read cache on a three-master Redis Cluster', () => {
  let cluster: LocalCluster | null = null;
  const clients: RedisClusterType[] = [];
  beforeAll(async () => {
    cluster = await startLocalCluster(20_000);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
    await cluster?.destroy();
  });

  it('ends made through another cluster client reach the cache, whatever master holds the session', async () => {
    for (let k = 0; k < 2; k += 1) clients.push(await cluster!.connect());
    const prefix = uniquePrefix('cache_cluster');
    const writer = redisStore({ client: clients[0]!, prefix });
    const store = redisStore({ client: clients[1]!, prefix });
    expect(store.cluster).toBe(true);
    const cached = await upNow(cacheStore(store, { maxEntries: 100 }, () => T0));
    const records = Array.from({ length: 12 }, (_, k) => makeRecord({ userId: `user-${k}` }));
    for (const record of records) {
      await writer.create({ record, now: T0 });
      await cached.get(record.id);
      await cached.get(record.id);
    }
    expect(cached.cacheStats).toMatchObject({ size: 12, hits: 12 });
    for (const record of records) await writer.end(record.id, 'revoked', T0 + 1);
    await until(() => cached.cacheStats.size === 0, 'every end reached the cache', 5000);
    for (const record of records) expect((await cached.get(record.id))!.endReason).toBe('revoked');
    await cached.close();
    await writer.close();
  }, 30_000);
});
