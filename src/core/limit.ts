// The concurrency-policy decision every store makes inside its atomic step: admit, evict whom, or refuse until when.
import { deadlineOf, type SessionRecord, type StoreLimit } from './types.js';

/** The decision for one login. */
export type LimitPlan = { ok: true; evict: SessionRecord[] } | { ok: false; retryAt: number | null };

/**
 * Decide a login against the user's other live sessions (the session being replaced already excluded).
 * Sessions younger than `lockMs` (from `createdAt`) are never displaced; the least recently active go first.
 * @example
 * planLimit(liveSessions, { max: 1, lockMs: 300_000, onExceed: 'evict-oldest' }, Date.now())
 */
export function planLimit(live: readonly SessionRecord[], limit: StoreLimit, now: number): LimitPlan {
  const excess = live.length + 1 - limit.max;
  if (excess <= 0) return { ok: true, evict: [] };
  if (limit.onExceed === 'reject') {
    // A slot opens when enough sessions end by themselves.
    return { ok: false, retryAt: kthSmallest(live.map(deadlineOf), excess) };
  }
  // With no lock, clock skew between processes (a createdAt a few ms "ahead") must not protect anyone.
  const isLocked = (record: SessionRecord) => limit.lockMs > 0 && now - record.createdAt < limit.lockMs;
  const displaceable = live
    .filter((record) => !isLocked(record))
    .sort((a, b) => a.lastActiveAt - b.lastActiveAt || a.createdAt - b.createdAt);
  if (displaceable.length >= excess) return { ok: true, evict: displaceable.slice(0, excess) };
  const locked = live.filter(isLocked);
  const opensAt = locked.map((record) => Math.min(record.createdAt + limit.lockMs, deadlineOf(record)));
  return { ok: false, retryAt: kthSmallest(opensAt, excess - displaceable.length) };
}

function kthSmallest(values: number[], k: number): number | null {
  if (k < 1 || k > values.length) return null;
  return [...values].sort((a, b) => a - b)[k - 1] ?? null;
}
