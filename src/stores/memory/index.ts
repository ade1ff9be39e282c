// The in-memory store: for tests and demos only; refused when NODE_ENV=production.
import { SessionConfigError, SessionStoreError } from '../../core/errors.js';
import { cloneSessionData } from '../../core/data.js';
import { deadlineOf, isLive, type CreateSessionInput, type CreateSessionResult, type EndReason, type ListSessionsQuery, type SessionData, type SessionPage, type SessionRecord, type SessionStats, type SessionStore, type StoreWatch, type StoreWatcher } from '../../core/types.js';
import { planLimit } from '../../core/limit.js';
import { CacheWatchers } from '../../core/cache-watchers.js';
import { decodeCursor, encodeCursor, listKey } from '../cursor.js';

/**
 * A store in process memory; every method is one synchronous step, so the limit check is atomic in this process.
 * @example
 * const warden = createWarden({ store: memoryStore() });
 */
export function memoryStore(): SessionStore {
  if (process.env.NODE_ENV === 'production') {
    throw new SessionConfigError('memoryStore() is refused when NODE_ENV=production: sessions would vanish on restart and not be shared; use sqliteStore(), postgresStore() or redisStore()');
  }
  return new MemoryStore();
}

class MemoryStore implements SessionStore {
  readonly blocking = true;
  private readonly records = new Map<string, SessionRecord>();
  /** Read caches over this store: every write is news to them at once (one process, so the channel is always up). */
  private readonly watchers = new CacheWatchers((watchers) => {
    watchers.up();
    return { stop: () => undefined };
  });

  watch(watcher: StoreWatcher): StoreWatch {
    return this.watchers.add(watcher);
  }

  async get(id: string): Promise<SessionRecord | null> {
    const record = this.records.get(id);
    return record === undefined ? null : copy(record);
  }

  async create({ record, replaces, requireReplaced, limit, now }: CreateSessionInput): Promise<CreateSessionResult> {
    if (this.records.has(record.id)) throw new SessionStoreError('STORE_CONFLICT', 'a session with this id already exists');
    if (requireReplaced && (!replaces || this.records.get(replaces)?.endedAt !== null)) return { ok: false, reason: 'gone' };
    let evict: SessionRecord[] = [];
    if (limit && record.userId !== null) {
      const live = [...this.records.values()].filter((other) => other.userId === record.userId && other.id !== replaces && isLive(other, now));
      const plan = planLimit(live, limit, now);
      if (!plan.ok) return { ok: false, reason: 'limit', retryAt: plan.retryAt };
      evict = plan.evict;
    }
    const replaced = replaces ? this.records.get(replaces) : undefined;
    if (replaced !== undefined && replaced.endedAt === null) {
      // A tombstone that forwards to its successor (a logout sent with the old cookie ends the new session).
      Object.assign(replaced, { endedAt: now, endReason: 'rotated', replacedBy: record.id });
    }
    const evicted = evict.map((victim) => this.markEnded(victim.id, 'replaced', now)!);
    this.records.set(record.id, copy(record));
    if (this.watchers.active) this.watchers.invalidate([...(replaced !== undefined ? [replaced.id] : []), ...evicted.map((victim) => victim.id)]);
    return { ok: true, evicted };
  }

  async update(id: string, data: SessionData): Promise<boolean> {
    const record = this.records.get(id);
    if (record === undefined || record.endedAt !== null) return false;
    record.data = cloneSessionData(data);
    if (this.watchers.active) this.watchers.invalidate([id]);
    return true;
  }

  async touch(id: string, lastActiveAt: number): Promise<boolean> {
    const record = this.records.get(id);
    if (record === undefined || record.endedAt !== null) return false;
    record.lastActiveAt = lastActiveAt;
    if (this.watchers.active) this.watchers.touched(id, lastActiveAt);
    return true;
  }

  async end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    return this.markEnded(id, reason, at);
  }

  async endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    const ended: SessionRecord[] = [];
    for (const record of this.records.values()) {
      if (record.userId === userId && record.id !== exceptId && isLive(record, at)) ended.push(this.markEnded(record.id, reason, at)!);
    }
    return ended;
  }

  async listByUser(userId: string, now: number): Promise<SessionRecord[]> {
    return [...this.records.values()]
      .filter((record) => record.userId === userId && isLive(record, now))
      .sort((a, b) => b.lastActiveAt - a.lastActiveAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .map(copy);
  }

  async deleteExpired(before: number): Promise<number> {
    let deleted = 0;
    for (const record of [...this.records.values()]) {
      if (goneAt(record) < before) {
        this.records.delete(record.id);
        deleted += 1;
      }
    }
    return deleted;
  }

  async list(query: ListSessionsQuery): Promise<SessionPage> {
    const after = decodeCursor(query.cursor);
    const key = (record: SessionRecord) => listKey(record, query.status);
    const rows = [...this.records.values()]
      .filter((record) => matches(record, query))
      .sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
      .filter((record) => after === null || key(record) < after.key || (key(record) === after.key && record.id < after.id));
    const page = rows.slice(0, query.limit).map(copy);
    const last = page[page.length - 1];
    return { sessions: page, nextCursor: rows.length > query.limit && last ? encodeCursor(key(last), last.id) : null };
  }

  async stats(now: number): Promise<SessionStats> {
    const stats: SessionStats = { live: 0, ended: 0, expired: 0, users: 0 };
    const users = new Set<string>();
    for (const record of this.records.values()) {
      if (record.endReason === 'rotated') continue;
      if (record.endedAt !== null) stats.ended += 1;
      else if (isLive(record, now)) {
        stats.live += 1;
        if (record.userId !== null) users.add(record.userId);
      } else stats.expired += 1;
    }
    stats.users = users.size;
    return stats;
  }

  private markEnded(id: string, reason: EndReason, at: number): SessionRecord | null {
    const record = this.records.get(id);
    if (record === undefined || record.endedAt !== null) return null;
    record.endedAt = at;
    record.endReason = reason;
    if (this.watchers.active) this.watchers.invalidate([id]);
    return copy(record);
  }
}

function matches(record: SessionRecord, query: ListSessionsQuery): boolean {
  if (record.endReason === 'rotated') return false;
  if (query.userId !== undefined && record.userId !== query.userId) return false;
  if (query.ip !== undefined && record.ip !== query.ip) return false;
  const live = isLive(record, query.now);
  if (query.status === 'active' && !live) return false;
  if (query.status === 'ended' && live) return false;
  return true;
}

function goneAt(record: SessionRecord): number {
  return record.endedAt ?? deadlineOf(record);
}

function copy(record: SessionRecord): SessionRecord {
  return { ...record, data: cloneSessionData(record.data) };
}
