// Token guessing made visible: invalid session tokens counted per client, in bounded memory.
import { SessionConfigError } from './errors.js';
import { toMilliseconds, type Duration } from './duration.js';

/**
 * Options of the invalid-token counter (`createWarden({ bruteForce })`).
 * @example
 * bruteForce: { threshold: 20, window: '1m', blockFor: '5m' }
 */
export interface BruteForceOptions {
  /** Invalid tokens from one client within `window` that raise `bruteforce-suspected`. @default 20 */
  threshold?: number;
  /** The counting window. @default '1m' */
  window?: Duration;
  /** After the threshold, answer that client's requests carrying a session cookie with 429 for this long; 0 only reports. @default 0 */
  blockFor?: Duration;
  /** Clients tracked at once; past it the longest-tracked is forgotten (memory stays bounded under any address spread). @default 10000 */
  maxClients?: number;
}

/** The resolved counter settings. */
export interface BruteForcePolicy {
  readonly threshold: number;
  readonly windowMs: number;
  readonly blockMs: number;
  readonly maxClients: number;
}

/**
 * Validate `bruteForce` (false turns the counter off).
 * @example
 * resolveBruteForce({ threshold: 10 })
 */
export function resolveBruteForce(options: BruteForceOptions | false | undefined): BruteForcePolicy | null {
  if (options === false) return null;
  const given = options ?? {};
  if (given === null || typeof given !== 'object') throw new SessionConfigError('bruteForce must be false or { threshold, window, blockFor, maxClients }');
  const threshold = given.threshold ?? 20;
  if (!Number.isInteger(threshold) || threshold < 1) throw new SessionConfigError('bruteForce.threshold must be a whole number >= 1');
  const maxClients = given.maxClients ?? 10_000;
  if (!Number.isInteger(maxClients) || maxClients < 1) throw new SessionConfigError('bruteForce.maxClients must be a whole number >= 1');
  const windowMs = toMilliseconds(given.window ?? '1m', 'bruteForce.window');
  if (windowMs <= 0) throw new SessionConfigError('bruteForce.window must be longer than 0');
  const blockMs = given.blockFor === undefined || given.blockFor === 0 ? 0 : toMilliseconds(given.blockFor, 'bruteForce.blockFor');
  return Object.freeze({ threshold, windowMs, blockMs, maxClients });
}

interface ClientCount {
  windowStart: number;
  count: number;
  reported: boolean;
  blockedUntil: number;
}

/**
 * Invalid tokens per client in a fixed window: `fail()` returns the count when it reaches the threshold (once per
 * window), `retryAfter()` how many seconds a blocked client must wait (null when it is not blocked).
 * @example
 * const counter = new BruteForceCounter(policy, Date.now); if (counter.fail(ip) !== null) emit(…)
 */
export class BruteForceCounter {
  private readonly clients = new Map<string, ClientCount>();

  constructor(
    private readonly policy: BruteForcePolicy,
    private readonly now: () => number,
  ) {}

  /** Record one invalid token; the window's count when this one crossed the threshold, else null. */
  fail(client: string | null): number | null {
    const key = client ?? 'unknown';
    const now = this.now();
    let entry = this.clients.get(key);
    if (entry === undefined || now - entry.windowStart >= this.policy.windowMs) {
      const blockedUntil = entry?.blockedUntil ?? 0;
      // Refreshed entries move to the end: the Map's first entry is always the longest-untouched one.
      this.clients.delete(key);
      if (this.clients.size >= this.policy.maxClients) this.clients.delete(this.clients.keys().next().value!);
      entry = { windowStart: now, count: 0, reported: false, blockedUntil };
      this.clients.set(key, entry);
    }
    entry.count += 1;
    if (entry.count < this.policy.threshold || entry.reported) return null;
    entry.reported = true;
    if (this.policy.blockMs > 0) entry.blockedUntil = now + this.policy.blockMs;
    return entry.count;
  }

  /** Whether this policy ever blocks (`blockFor` set): only then does a request need its client address resolved. */
  get blocks(): boolean {
    return this.policy.blockMs > 0;
  }

  /** Seconds until a blocked client may present session cookies again, or null. */
  retryAfter(client: string | null): number | null {
    if (this.policy.blockMs === 0) return null;
    const entry = this.clients.get(client ?? 'unknown');
    if (entry === undefined) return null;
    const left = entry.blockedUntil - this.now();
    return left > 0 ? Math.ceil(left / 1000) : null;
  }

  /** Clients tracked now (bounded by `maxClients`). */
  get size(): number {
    return this.clients.size;
  }
}
