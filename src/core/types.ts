// The session record, the store interface and the event shapes shared by the core, the stores and the adapters.

/**
 * Why a session ended. `rotated` marks the tombstone a login or rotation leaves behind in the same browser: it points
 * at its successor (`replacedBy`), is never shown to users, and lets a logout sent with the old cookie end the new one.
 * `abandoned` marks a login the store completed only after the core had answered it with a timeout: no browser holds it.
 */
export type EndReason = 'logout' | 'revoked' | 'revoked-by-admin' | 'replaced' | 'idle' | 'expired' | 'rotated' | 'abandoned';

/** Session data: plain JSON, never class instances. */
export type SessionData = Record<string, unknown>;

/**
 * One session as the store keeps it. Times are UTC epoch milliseconds.
 * @example
 * const record = await store.get('k3J8…');
 */
export interface SessionRecord {
  /** Public handle: random, safe to show in pages and URLs; never authenticates by itself. */
  id: string;
  /** Base64url SHA-256 of the cookie secret; the secret itself is never stored. */
  secretHash: string;
  /** The signed-in user, or null while anonymous. */
  userId: string | null;
  createdAt: number;
  /** Set at login and by `reauthenticate()` only, never by activity. */
  authenticatedAt: number | null;
  lastActiveAt: number;
  /** Idle timeout of this session in ms, fixed when it was created (config changes never rewrite it). */
  idleTimeout: number;
  /** Absolute deadline. */
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
  data: SessionData;
  endedAt: number | null;
  endReason: EndReason | null;
  /** For a `rotated` tombstone: the id of the session that replaced it (login or rotation in the same browser); else null. */
  replacedBy: string | null;
}

/** The fields of a session that may be shown to users, logs and event hooks (no secret hash, no data, no internal forwarding). */
export type PublicSession = Omit<SessionRecord, 'secretHash' | 'data' | 'replacedBy'>;

/**
 * The concurrency policy handed to `SessionStore.create()`, already resolved for one user.
 * @example
 * { max: 1, lockMs: 300_000, onExceed: 'evict-oldest' }
 */
export interface StoreLimit {
  max: number;
  lockMs: number;
  onExceed: 'evict-oldest' | 'reject';
}

/** What `SessionStore.create()` asks for: one atomic step. */
export interface CreateSessionInput {
  record: SessionRecord;
  /**
   * A session this one supersedes (login or rotation in the same browser): in the same step, unless it has already
   * ended, it becomes a tombstone with `endReason: 'rotated'`, `endedAt: now` and `replacedBy: record.id`; it is not
   * counted against the limit.
   */
  replaces?: string | null;
  /** Fail with `reason: 'gone'` unless `replaces` is still a not-ended record (so concurrent rotations yield one successor). */
  requireReplaced?: boolean;
  /** Enforce this per-user limit in the same atomic step (only for records with a userId). */
  limit?: StoreLimit | null;
  now: number;
}

/** The outcome of `SessionStore.create()`. */
export type CreateSessionResult =
  | { ok: true; evicted: SessionRecord[] }
  | { ok: false; reason: 'limit'; retryAt: number | null }
  | { ok: false; reason: 'gone' };

/**
 * Admin listing query (cursor pagination: pass back `nextCursor`). Newest first: by creation for status 'all', and
 * by when the session stops being live for 'active' / 'ended' (most recently active, most recently ended first).
 */
export interface ListSessionsQuery {
  userId?: string;
  ip?: string;
  status?: 'active' | 'ended' | 'all';
  cursor?: string | null;
  limit: number;
  now: number;
}

/** One page of an admin listing. */
export interface SessionPage {
  sessions: SessionRecord[];
  nextCursor: string | null;
}

/** Counts for `stats`. */
export interface SessionStats {
  live: number;
  ended: number;
  expired: number;
  users: number;
}

/**
 * The storage seam: a few domain methods, each one atomic. Every store runs the same contract suite
 * (`runStoreContract` from `sessionwarden/testing`). Times are passed in (`now`, `at`): a store never reads a clock.
 * "Live" means: not ended, `lastActiveAt + idleTimeout > now` and `expiresAt > now`. A write to an ended record
 * never succeeds (no resurrection), and every write reports a failed commit by rejecting, never by a success value.
 * @example
 * const warden = createWarden({ store: sqliteStore({ path: 'sessions.sqlite' }) });
 */
export interface SessionStore {
  /**
   * Optional. True when every method has finished its work, successfully or not, by the time it returns its promise
   * (an embedded, blocking driver such as better-sqlite3). Such calls cannot outlive a deadline, so the core arms no
   * timeout timer for them. Leave it unset for anything that waits on a network or another thread.
   */
  readonly blocking?: boolean;
  /** Required. The record with this id, live, expired or ended (tombstone); null when absent. */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Required. Insert `record` (a SessionStoreError with code STORE_CONFLICT if the id exists), turn `replaces` into a
   * `rotated` tombstone and enforce `limit` for the record's user, all in one atomic step, also across processes and
   * machines sharing the store.
   */
  create(input: CreateSessionInput): Promise<CreateSessionResult>;
  /** Required. Replace the data of a not-ended session; false when it is missing or ended (no resurrection). */
  update(id: string, data: SessionData): Promise<boolean>;
  /**
   * Required. Set `lastActiveAt` of a not-ended session to exactly `lastActiveAt`; false when missing or ended. The
   * core only moves it forward, except to pull a timestamp from the future (clock skew) back to now.
   */
  touch(id: string, lastActiveAt: number): Promise<boolean>;
  /** Required. End a not-ended session, keeping a tombstone; returns the ended record, or null if it had already ended or is missing. */
  end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null>;
  /** Required. End every session of a user that is live at `at` (except `exceptId`); returns the ended records. */
  endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]>;
  /** Required. The user's live sessions, most recently active first (ties by id, descending, so the order is stable). */
  listByUser(userId: string, now: number): Promise<SessionRecord[]>;
  /**
   * Required. Delete records that stopped being live (ended, idle or expired) before `before`; returns how many. A
   * store whose records expire by themselves may delete only what its own expiry left behind.
   */
  deleteExpired(before: number): Promise<number>;
  /**
   * Optional (the admin view and the paged session list need it). Search, filters and cursor pagination, newest
   * first; `rotated` tombstones are internal and never listed.
   */
  list?(query: ListSessionsQuery): Promise<SessionPage>;
  /** Optional. Counts for the CLI and dashboards (`rotated` tombstones are not counted as ended). */
  stats?(now: number): Promise<SessionStats>;
  /**
   * Optional (the read cache needs it). Tell `watcher` about every change to a record made anywhere, this process or
   * another, for as long as the returned watch is not stopped: `invalidate` after an end, a rotation, an eviction or a
   * data update, `touched` after an activity write, and `down` as soon as such news may be missed (a lost connection),
   * then `up` once they reach it again. Until the first `up` the watcher assumes the channel is down.
   */
  watch?(watcher: StoreWatcher): StoreWatch;
  /** Optional. Release connections and file handles. */
  close?(): Promise<void>;
}

/**
 * What a store tells the read cache (see `SessionStore.watch`). Ids only: never a secret, a hash or data.
 * @example
 * store.watch({ invalidate: (ids) => forget(ids), touched: () => {}, flush: clear, up: () => {}, down: clear });
 */
export interface StoreWatcher {
  /** These records changed or ended. */
  invalidate(ids: readonly string[]): void;
  /** This record's `lastActiveAt` was set to `lastActiveAt` (its deadlines moved). */
  touched(id: string, lastActiveAt: number): void;
  /** Something changed that the store cannot name: forget every record. */
  flush(): void;
  /** News of changes reach the watcher (again). */
  up(): void;
  /** News of changes may be missed from now on. */
  down(): void;
}

/** A running watch: stop it, and (for a store that polls) a cheap synchronous check the cache runs before each hit. */
export interface StoreWatch {
  stop(): void;
  /** Called before every answer from the cache; may call the watcher's `flush()` synchronously. */
  check?(): void;
}

/** Event kinds the `onEvent` hook receives. */
export type SessionEventType =
  | 'created'
  | 'login'
  | 'logout'
  | 'revoked'
  | 'expired'
  | 'replaced'
  | 'refused'
  | 'rotated'
  | 'invalid-token'
  | 'cookie-anomaly'
  | 'csrf-rejected'
  | 'store-error'
  | 'bruteforce-suspected';

/**
 * One lifecycle or security event. Never carries a secret, a hash or session data.
 * @example
 * createWarden({ onEvent: (event) => console.log(JSON.stringify(event)) });
 */
export interface SessionEvent {
  type: SessionEventType;
  /** UTC epoch ms. */
  at: number;
  session: PublicSession | null;
  userId: string | null;
  ip: string | null;
  /** End reason, refusal reason or error code. */
  reason?: string;
  /** Who did it, for revocations (a user id, or 'system'). */
  actor?: string | null;
  retryAfter?: number;
}

/** Strip the secret hash and data from a record. */
export function toPublicSession(record: SessionRecord): PublicSession {
  const { secretHash: _hash, data: _data, replacedBy: _replacedBy, ...rest } = record;
  return rest;
}

/** Whether a record can still authenticate at `now`. */
export function isLive(record: SessionRecord, now: number): boolean {
  return record.endedAt === null && record.expiresAt > now && record.lastActiveAt + record.idleTimeout > now;
}

/** When a live record will stop being live by itself (idle or absolute deadline, whichever is first). */
export function deadlineOf(record: SessionRecord): number {
  return Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt);
}
