// The Lua port of the limit policy decides exactly as planLimit does, on random sessions, through a real Redis.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { RedisClientType } from 'redis';
import { planLimit } from '../../src/core/limit.js';
import { isLive, type StoreLimit } from '../../src/core/types.js';
import { redisStore } from '../../src/stores/redis/index.js';
import { makeRecord, T0 } from '../../src/testing/index.js';
import { connectRedis, deletePrefix, requireRedis, uniquePrefix } from '../helpers/redis.js';

const HAVE_REDIS = await requireRedis('redis limit property');
const prefix = uniquePrefix('limit-property');
let client: RedisClientType | null = null;
afterAll(async () => {
  if (client === null) return;
  await deletePrefix(client, prefix);
  await client.close();
});

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const NOW = T0 + 60 * MINUTE;
/** Times on a coarse grid, so that ties in lastActiveAt and createdAt (and in deadlines) are common. */
const instant = (from: number, to: number) => fc.integer({ min: from / SECOND, max: to / SECOND }).map((seconds) => seconds * SECOND);

const session = fc
  .record({
    createdAt: fc.oneof(instant(NOW - 120 * MINUTE, NOW + 5 * SECOND), fc.integer({ min: 0, max: 12 }).map((k) => NOW - k * 10 * MINUTE)),
    activeAt: fc.oneof(instant(NOW - 90 * MINUTE, NOW + 5 * SECOND), fc.integer({ min: 0, max: 6 }).map((k) => NOW - k * 10 * MINUTE)),
    idleTimeout: fc.constantFrom(MINUTE, 10 * MINUTE, 30 * MINUTE, 120 * MINUTE),
    lifetime: instant(MINUTE, 180 * MINUTE),
  })
  .map(({ createdAt, activeAt, idleTimeout, lifetime }) => ({ createdAt, lastActiveAt: Math.max(createdAt, activeAt), idleTimeout, expiresAt: createdAt + lifetime }));

const limit: fc.Arbitrary<StoreLimit> = fc.record({
  max: fc.integer({ min: 1, max: 5 }),
  lockMs: fc.constantFrom(0, 1, 5 * MINUTE, 30 * MINUTE, 120 * MINUTE),
  onExceed: fc.constantFrom('evict-oldest' as const, 'reject' as const),
});

describe.runIf(HAVE_REDIS)('redis limit script', () => {
  it('admits, evicts and refuses (with the same retryAt) exactly as planLimit, on 500 random cases', async () => {
    client = await connectRedis();
    const store = redisStore({ client, prefix });
    let run = 0;
    const outcomes = { admitted: 0, evicted: 0, refused: 0, refusedWithoutRetry: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(session, { minLength: 0, maxLength: 8 }), limit, async (sessions, policy) => {
        const userId = `prop-${run++}`;
        const records = sessions.map((times) => makeRecord({ userId, ...times, authenticatedAt: times.createdAt }));
        for (const record of records) await store.create({ record, now: record.createdAt });
        // The store feeds the policy sessions in id order, which planLimit keeps for full ties (its sort is stable).
        const live = records.filter((record) => isLive(record, NOW)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        const expected = planLimit(live, policy, NOW);
        const result = await store.create({ record: makeRecord({ userId, createdAt: NOW, lastActiveAt: NOW }), limit: policy, now: NOW });
        if (expected.ok) {
          expect(result).toEqual({ ok: true, evicted: expected.evict.map((victim) => ({ ...victim, endedAt: NOW, endReason: 'replaced' })) });
          outcomes[expected.evict.length > 0 ? 'evicted' : 'admitted'] += 1;
        } else {
          expect(result).toEqual({ ok: false, reason: 'limit', retryAt: expected.retryAt });
          outcomes[expected.retryAt === null ? 'refusedWithoutRetry' : 'refused'] += 1;
        }
      }),
      { numRuns: 500 },
    );
    console.log(`limit property: ${JSON.stringify(outcomes)}`);
    expect(outcomes.evicted).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  }, 120_000);
});
