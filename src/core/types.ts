// The session record, the store interface and the event shapes shared by the core, the stores and the adapters.

/** Why a session ended. */
export type EndReason = 'logout' | 'revoked' | 'revoked-by-admin' | 'replaced' | 'idle' | 'expired';

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
}

/** The fields of a session that may be shown to users, logs and event hooks (no secret hash, no data). */
export type PublicSession = Omit<SessionRecord, 'secretHash' | 'data'>;

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
  /** A session this one supersedes (login or rotation in the same browser): deleted in the same step and not counted. */
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
  | { ok: false; reason: 'limit'; retryAt: number | null; live: number }
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
 * The storage seam: a few domain methods, each one atomic. Every store runs the same contract suite.
 * "Live" means: not ended, `lastActiveAt + idleTimeout > now` and `expiresAt > now`.
 * @example
 * const warden = createWarden({ store: sqliteStore({ path: 'sessions.sqlite' }) });
 */
export interface SessionStore {
  /**
   * Optional. True when every method finishes its work before returning (an embedded, blocking driver such as
   * better-sqlite3): such calls cannot hang, so the core skips its per-call timeout timer.
   */
  readonly synchronous?: boolean;
  /** Required. The record with this id, live, expired or ended (tombstone); null when absent. */
  get(id: string): Promise<SessionRecord | null>;
  /**
   * Required. Insert `record` (fails with a SessionStoreError if the id exists), deleting `replaces` and enforcing
   * `limit` for the record's user, all in one atomic step across processes.
   */
  create(input: CreateSessionInput): Promise<CreateSessionResult>;
  /** Required. Replace the data of a live (not ended) session; false when it is missing or ended (no resurrection). */
  update(id: string, data: SessionData): Promise<boolean>;
  /** Required. Move `lastActiveAt` forward (never back) on a not-ended session; false when missing or ended. */
  touch(id: string, lastActiveAt: number): Promise<boolean>;
  /** Required. End a not-ended session, keeping a tombstone; returns the ended record, or null if it was not live. */
  end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null>;
  /** Required. End every not-ended session of a user (except one id); returns the ended records. */
  endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]>;
  /** Required. The user's live sessions, most recently active first (ties by id, descending, so the order is stable). */
  listByUser(userId: string, now: number): Promise<SessionRecord[]>;
  /** Required. Delete records that stopped being live (ended, idle or expired) before `before`; returns how many. */
  deleteExpired(before: number): Promise<number>;
  /** Optional. Admin listing with search, filters and cursor pagination, newest first. */
  list?(query: ListSessionsQuery): Promise<SessionPage>;
  /** Optional. Counts for the CLI and dashboards. */
  stats?(now: number): Promise<SessionStats>;
  /** Optional. Release connections and file handles. */
  close?(): Promise<void>;
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
  | 'store-error';

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
  const { secretHash: _hash, data: _data, ...rest } = record;
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
