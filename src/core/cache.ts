// The opt-in read cache: a store decorator that answers get() for live records from process memory, and forgets a
// record as soon as the store says it changed anywhere (or everything, while the store cannot say).
import { SessionConfigError } from './errors.js';
import { parseSessionData } from './data.js';
import { isLive, type CreateSessionInput, type CreateSessionResult, type EndReason, type SessionData, type SessionRecord, type SessionStore, type StoreWatch, type StoreWatcher } from './types.js';

/**
 * The `cache` option of `createWarden()`.
 * @example
 * createWarden({ store, cache: { maxEntries: 10_000 } })
 */
export interface CacheOptions {
  /** Records kept (least recently used ones make room); each costs about the figure the README gives. */
  maxEntries: number;
}

/** What the cache counts, for tests, the demo and the benchmark. */
export interface CacheStats {
  /** Whether the store's invalidation channel is up (the cache answers only then). */
  up: boolean;
  size: number;
  hits: number;
  misses: number;
  invalidations: number;
  /** How often the cache was emptied as a whole (channel down, or an SQLite file changed by another connection). */
  flushes: number;
}

/** A store behind the read cache: the same methods, plus its figures. */
export interface CachedSessionStore extends SessionStore {
  readonly cacheStats: CacheStats;
  /** The store the cache wraps. */
  readonly inner: SessionStore;
  /** Stop listening and close the store. */
  close(): Promise<void>;
}

/**
 * Check the `cache` option once (createWarden calls it); null when the cache is off.
 * @example
 * resolveCacheOptions({ maxEntries: 1000 }) // { maxEntries: 1000 }
 */
export function resolveCacheOptions(value: unknown): Readonly<CacheOptions> | null {
  if (value === undefined || value === null || value === false) return null;
  if (typeof value !== 'object') throw new SessionConfigError('cache must be { maxEntries: number } (or left out: no cache)');
  for (const key of Object.keys(value)) {
    if (key !== 'maxEntries') throw new SessionConfigError(`cache: unknown option ${JSON.stringify(key)}`);
  }
  const { maxEntries } = value as { maxEntries?: unknown };
  if (typeof maxEntries !== 'number' || !Number.isInteger(maxEntries) || maxEntries < 1 || maxEntries > 10_000_000) {
    throw new SessionConfigError('cache.maxEntries must be a whole number from 1 to 10,000,000');
  }
  return Object.freeze({ maxEntries });
}

/** A cached record: its data kept as JSON text, so that every answer is a fresh object the request may change. */
interface Entry {
  record: SessionRecord;
  dataText: string;
}

/** Reads of one id in flight, and whether an invalidation of that id arrived while they were. */
interface Pending {
  count: number;
  stale: boolean;
}

/**
 * Wrap a store with the read cache. The store must implement `watch()`: the cache answers only while the store's
 * channel is up, and only for records that are live at `now()`; ended, idle and expired records always come from the
 * store, so a refusal is never decided on a cached copy.
 * @example
 * const cached = cacheStore(store, { maxEntries: 10_000 }, Date.now);
 */
export function cacheStore(store: SessionStore, options: CacheOptions, now: () => number): CachedSessionStore {
  if (typeof store.watch !== 'function') {
    throw new SessionConfigError('cache: this store has no watch(), so it cannot tell the cache that a session changed in another process; use a store of sessionwarden/stores or leave the cache off');
  }
  return new CachedStore(store, options.maxEntries, now);
}

class CachedStore implements CachedSessionStore {
  readonly blocking: boolean | undefined;
  readonly cacheStats: CacheStats = { up: false, size: 0, hits: 0, misses: 0, invalidations: 0, flushes: 0 };
  /** Insertion order is recency order: a hit moves its entry to the end, the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Pending>();
  /** Bumped on every flush, down and up: a read that started in another generation is never cached. */
  private generation = 0;
  private readonly watching: StoreWatch;

  constructor(
    readonly inner: SessionStore,
    private readonly maxEntries: number,
    private readonly now: () => number,
  ) {
    this.blocking = inner.blocking;
    const watcher: StoreWatcher = {
      invalidate: (ids) => {
        for (const id of ids) this.forget(id);
      },
      touched: (id, lastActiveAt) => this.touched(id, lastActiveAt),
      flush: () => this.flush(),
      up: () => {
        this.flush();
        this.cacheStats.up = true;
      },
      down: () => {
        this.cacheStats.up = false;
        this.flush();
      },
    };
    this.watching = inner.watch!(watcher);
    if (inner.list) this.list = (query) => inner.list!(query);
    if (inner.stats) this.stats = (at) => inner.stats!(at);
  }

  list: SessionStore['list'];
  stats: SessionStore['stats'];

  /** Forget one record now, and mark reads of it in flight so that their (possibly older) answer is not kept. */
  private forget(id: string): void {
    this.cacheStats.invalidations += 1;
    if (this.entries.delete(id)) this.cacheStats.size = this.entries.size;
    const pending = this.pending.get(id);
    if (pending !== undefined) pending.stale = true;
  }

  /** Activity moved forward: the copy follows (a move back, which only clock skew makes, forgets it instead). */
  private touched(id: string, lastActiveAt: number): void {
    const entry = this.entries.get(id);
    if (entry === undefined) return;
    if (lastActiveAt >= entry.record.lastActiveAt) entry.record.lastActiveAt = lastActiveAt;
    else this.forget(id);
  }

  private flush(): void {
    this.generation += 1;
    this.cacheStats.flushes += 1;
    this.entries.clear();
    this.cacheStats.size = 0;
    for (const pending of this.pending.values()) pending.stale = true;
  }

  get(id: string): Promise<SessionRecord | null> {
    if (this.cacheStats.up) {
      // A store may check for changes it cannot push (SQLite: another connection's commit) and flush if so; also before
      // a miss, so that the record read next is not older than what the check saw.
      this.watching.check?.();
      const entry = this.entries.get(id);
      if (entry !== undefined) {
        if (this.cacheStats.up && isLive(entry.record, this.now())) {
          this.entries.delete(id);
          this.entries.set(id, entry);
          this.cacheStats.hits += 1;
          return Promise.resolve({ ...entry.record, data: parseSessionData(entry.dataText) });
        }
        // Past a deadline by the cached copy: the store decides (and the copy goes).
        this.entries.delete(id);
        this.cacheStats.size = this.entries.size;
      }
    }
    this.cacheStats.misses += 1;
    return this.load(id);
  }

  private load(id: string): Promise<SessionRecord | null> {
    const generation = this.generation;
    let pending = this.pending.get(id);
    if (pending === undefined) {
      pending = { count: 0, stale: false };
      this.pending.set(id, pending);
    }
    pending.count += 1;
    const mark = pending;
    const done = () => {
      mark.count -= 1;
      if (mark.count === 0 && this.pending.get(id) === mark) this.pending.delete(id);
    };
    let reading: Promise<SessionRecord | null>;
    try {
      reading = this.inner.get(id);
    } catch (error) {
      done();
      return Promise.reject(error);
    }
    return reading.then(
      (record) => {
        const keep = record !== null && !mark.stale && this.cacheStats.up && generation === this.generation && record.endedAt === null && isLive(record, this.now());
        done();
        if (keep) this.keep(record);
        return record;
      },
      (error: unknown) => {
        done();
        throw error;
      },
    );
  }

  private keep(record: SessionRecord): void {
    const { data, ...rest } = record;
    const dataText = JSON.stringify(data) ?? '{}';
    this.entries.delete(record.id);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    // The copy is frozen apart from its data: the answers are spread from it, never handed out themselves.
    this.entries.set(record.id, { record: { ...rest, data: {} } as SessionRecord, dataText });
    this.cacheStats.size = this.entries.size;
  }

  /** A write through this cache: forget the record before it starts and after it ends (a read racing it is not kept). */
  private async write<T>(ids: readonly string[], operation: () => Promise<T>): Promise<T> {
    for (const id of ids) this.forget(id);
    try {
      return await operation();
    } finally {
      for (const id of ids) this.forget(id);
    }
  }

  create(input: CreateSessionInput): Promise<CreateSessionResult> {
    return this.write(input.replaces ? [input.replaces] : [], async () => {
      const result = await this.inner.create(input);
      if (result.ok) for (const victim of result.evicted) this.forget(victim.id);
      return result;
    });
  }

  update(id: string, data: SessionData): Promise<boolean> {
    return this.write([id], () => this.inner.update(id, data));
  }

  async touch(id: string, lastActiveAt: number): Promise<boolean> {
    // The throttled activity write updates the copy instead of dropping it (a failed or refused one drops it).
    let touched = false;
    try {
      touched = await this.inner.touch(id, lastActiveAt);
    } finally {
      if (touched) this.touched(id, lastActiveAt);
      else this.forget(id);
    }
    return touched;
  }

  end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    return this.write([id], () => this.inner.end(id, reason, at));
  }

  async endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    const ended = await this.inner.endByUser(userId, reason, at, exceptId);
    for (const record of ended) this.forget(record.id);
    return ended;
  }

  listByUser(userId: string, at: number): Promise<SessionRecord[]> {
    return this.inner.listByUser(userId, at);
  }

  deleteExpired(before: number): Promise<number> {
    return this.inner.deleteExpired(before);
  }

  watch(watcher: StoreWatcher): StoreWatch {
    return this.inner.watch!(watcher);
  }

  async close(): Promise<void> {
    this.watching.stop();
    this.cacheStats.up = false;
    this.flush();
    await this.inner.close?.();
  }
}
