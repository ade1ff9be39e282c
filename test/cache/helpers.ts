// Shared by the read-cache tests: wait for a cache's channel, and poll a condition with a bound.
import type { CachedSessionStore } from '../../src/core/cache.js';

/**
 * Resolve once `check()` is true; reject after `timeoutMs` naming `what`.
 * @example
 * await until(() => cached.cacheStats.up, 'the channel is up');
 */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * A cached store once its channel is up.
 * @example
 * const cached = await upNow(cacheStore(store, { maxEntries: 100 }, () => T0));
 */
export async function upNow(cached: CachedSessionStore): Promise<CachedSessionStore> {
  await until(() => cached.cacheStats.up, 'the cache channel is up');
  return cached;
}
