// SlowStore: a real store whose writes take a fixed time (a remote database's round trip), to test timing rules.
import type { SessionStore } from '../../src/index.js';

const WRITES = ['create', 'update', 'touch', 'end', 'endByUser'] as const;

/**
 * Wrap `inner` so that each write waits `delayMs` before it runs; `settled` counts writes that have completed.
 * @example
 * const store = slowStore(sqliteStore({ path }), 30);
 */
export function slowStore(inner: SessionStore, delayMs: number): SessionStore & { completedWrites(): number; whenWritesSettle(): Promise<void> } {
  let completed = 0;
  const inFlight = new Set<Promise<unknown>>();
  const slowed: Record<string, unknown> = {};
  for (const method of WRITES) {
    slowed[method] = (...args: unknown[]) => {
      const write = new Promise((resolve) => setTimeout(resolve, delayMs))
        .then(() => (inner[method] as (...rest: unknown[]) => Promise<unknown>).apply(inner, args))
        .finally(() => {
          completed += 1;
          inFlight.delete(write);
        });
      inFlight.add(write);
      return write;
    };
  }
  return {
    get: (id) => inner.get(id),
    listByUser: (userId, now) => inner.listByUser(userId, now),
    deleteExpired: (before) => inner.deleteExpired(before),
    list: inner.list?.bind(inner),
    stats: inner.stats?.bind(inner),
    close: inner.close?.bind(inner),
    ...(slowed as Pick<SessionStore, (typeof WRITES)[number]>),
    completedWrites: () => completed,
    whenWritesSettle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
