// The Redis the Redis variants measure against (BENCH_REDIS_URL, default the local server), with a key prefix per run.
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

/** Where the Redis variants keep their sessions. */
export const BENCH_REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A fresh key prefix for one variant server, and a function that deletes its keys (SCAN + UNLINK) when it stops.
 * @example
 * const { prefix, clear } = benchPrefix('sessionwarden'); … await clear();
 */
export function benchPrefix(label: string): { prefix: string; clear(): Promise<void> } {
  const prefix = `swbench:${label}:${randomBytes(4).toString('hex')}:`;
  return {
    prefix,
    async clear() {
      const client = createClient({ url: BENCH_REDIS_URL });
      client.on('error', () => undefined);
      await client.connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length > 0) await client.unlink(keys);
      } finally {
        await client.close();
      }
    },
  };
}
