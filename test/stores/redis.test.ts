// The Redis store passes the contract on the shared server (two clients per race case), and keeps its keys tidy.
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from 'redis';
import { redisStore } from '../../src/stores/redis/index.js';
import { runStoreContract } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, requireRedis, uniquePrefix } from '../helpers/redis.js';

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
