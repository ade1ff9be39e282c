// createWarden(): the framework-neutral core. It takes request strings and returns a per-request SessionContext.
import { clearSessionCookie, readSessionCookie } from './cookie.js';
import { isSameOriginRequest, type OriginHeaders } from './csrf.js';
import { SessionConfigError, SessionDataError, SessionRateLimitError, SessionStateError, SessionStoreError } from './errors.js';
import { BruteForceCounter } from './brute-force.js';
import { resolveOptions, type ResolvedOptions, type WardenOptions } from './options.js';
import { guardStore, type GuardedStore } from './guarded-store.js';
import { SessionContext } from './session-context.js';
import { importedSessionId, looksSigned, unsignExpressSessionCookie } from './imported.js';
import { hashSecret, isSessionId, parseToken, verifySecret } from './token.js';
import { randomBytes } from 'node:crypto';
import { isLive, toPublicSession, type EndReason, type ListSessionsQuery, type PublicSession, type SessionEvent, type SessionPage, type SessionRecord, type SessionStats, type SessionStore } from './types.js';
import { sanitizeUserAgent } from './user-agent.js';
import { lazySqliteStore } from './default-store.js';
import { rateLimitedLog } from './log-limit.js';
import { cacheStore, type CachedSessionStore } from './cache.js';

/**
 * What the core needs to know about a request; adapters fill it from their framework.
 * @example
 * await warden.begin({ cookie: req.headers.cookie, ip: req.socket.remoteAddress, method: 'GET', path: '/' })
 */
export interface RequestInput {
  /** The raw Cookie header. */
  cookie: string | null | undefined;
  /** The socket's remote address. */
  ip: string | null | undefined;
  /** The raw X-Forwarded-For header (used only through `trustedProxies`). */
  forwardedFor?: string | null | undefined;
  userAgent?: string | null | undefined;
  method: string;
  /** The request path without the query string. */
  path: string;
  /** Called with the session's Set-Cookie value whenever it changes during the request. */
  onSetCookie?: (value: string) => void;
}

/** The answer to an activity ping: timing only (seconds and epoch ms), or why the session ended. */
export type PingReply =
  | { idleSeconds: number; idleDeadline: number; absoluteDeadline: number; idleRemaining: number; absoluteRemaining: number }
  | { ended: EndReason };

/** Management calls: who acts and why. */
export interface RevokeOptions {
  reason?: Extract<EndReason, 'revoked' | 'revoked-by-admin' | 'logout'>;
  actor?: string | null;
  exceptId?: string | null;
  /** Only end the session if it belongs to this user (a user ending their own sessions). */
  ownerId?: string;
  /** The client IP of the request that asked for it (for the event), when there is one. */
  ip?: string | null;
}

/**
 * The session manager: one per app, shared by every request.
 * @example
 * const warden = createWarden({ idleTimeout: '15m' });
 */
export class Warden {
  readonly options: ResolvedOptions;
  /** The store as given (or the embedded default); the warden's own calls go through `calls`. */
  readonly store: SessionStore;
  /** @internal The store as the core calls it: bounded in time, failures as SessionStoreError, late logins undone. */
  readonly calls: GuardedStore;
  /** The read cache over the store (its figures in `cache.cacheStats`), or null when the `cache` option is off. */
  readonly cache: CachedSessionStore | null;
  /** Paths of the library's own passive routes (the activity ping), registered when an adapter mounts them. */
  private readonly routePassivePaths = new Set<string>();
  /** Store failures as process warnings when no event hook is set, rate-limited per error code. */
  private readonly storeErrorLog = rateLimitedLog((line) => process.emitWarning(line));
  /** Invalid tokens per client (bounded), for `bruteforce-suspected` and the optional 429; null when turned off. */
  private readonly bruteForce: BruteForceCounter | null;

  constructor(options: WardenOptions = {}) {
    this.options = resolveOptions(options);
    this.store = this.options.storeGiven ?? lazySqliteStore('sessionwarden.sqlite');
    this.bruteForce = this.options.bruteForce === null ? null : new BruteForceCounter(this.options.bruteForce, () => this.now());
    this.cache = this.options.cache === null ? null : cacheStore(this.store, this.options.cache, () => this.now());
    this.calls = guardStore(this.cache ?? this.store, {
      timeoutMs: this.options.storeTimeout,
      now: () => this.now(),
      onAbandoned: (record) => this.emit({ type: 'revoked', session: toPublicSession(record), userId: record.userId, ip: record.ip, reason: 'abandoned', actor: 'system' }),
      onError: (error, record) => this.reportStoreError(error, record, null),
    });
  }

  /**
   * Treat requests to this exact path as passive (adapters call it for the ping route they mount).
   * @example
   * warden.markPassive('/session/ping');
   */
  markPassive(path: string): void {
    this.routePassivePaths.add(normalizePath(path));
  }

  /** Current time from the configured clock. */
  now(): number {
    return this.options.now();
  }

  /**
   * Validate the request's session cookie and return the request's session context (a session, or none and why).
   * Throws SessionStoreError when the store fails: the adapter answers 503 and never continues as signed-in.
   * @example
   * const ctx = await warden.begin(input); if (ctx.userId) …
   */
  async begin(input: RequestInput): Promise<SessionContext> {
    const options = this.options;
    const path = normalizePath(input.path);
    const passive = this.routePassivePaths.has(path) || options.isPassive(path, input.method);
    const ctx = new SessionContext(this, input, passive);
    const found = readSessionCookie(input.cookie, options.cookie.name);
    if (found.duplicates) {
      this.emit({ type: 'cookie-anomaly', session: null, userId: null, ip: ctx.ip, reason: 'duplicate-session-cookie' });
      ctx.setCookie(null);
      return ctx;
    }
    if (found.value === null) return ctx;
    ctx.cookiePresented = true;
    // A client past the invalid-token threshold (with bruteForce.blockFor) waits before any token is checked; without
    // blockFor nothing is looked up, so the client address stays unresolved (lazy) on the hot path.
    if (this.bruteForce?.blocks === true) {
      const blocked = this.bruteForce.retryAfter(ctx.ip);
      if (blocked !== null) throw new SessionRateLimitError(blocked);
    }
    const token = parseToken(found.value);
    if (token === null) {
      if (options.importSecrets !== null && looksSigned(found.value)) return this.beginImported(ctx, found.value, options.importSecrets);
      // Malformed values never reach the store (they could not name a record anyway).
      this.invalidToken(ctx.ip, 'malformed');
      ctx.setCookie(null);
      return ctx;
    }
    const record = await this.calls.get(token.id);
    // An unknown id costs the same hash and comparison as a known one with a wrong secret (no existence oracle).
    const matches = verifySecret(token.secret, record === null ? UNKNOWN_ID_HASH : record.secretHash);
    if (record === null || !matches) {
      this.invalidToken(ctx.ip, record === null ? 'unknown' : 'bad-secret');
      ctx.setCookie(null);
      return ctx;
    }
    return this.beginRecord(ctx, record, found.value);
  }

  /** The checks every presented record goes through: a tombstone, past its deadlines, or live (then adopted and touched). */
  private async beginRecord(ctx: SessionContext, record: SessionRecord, token: string | null): Promise<SessionContext> {
    const options = this.options;
    const passive = ctx.passive;
    if (record.endedAt !== null) {
      if (record.endReason === 'rotated') {
        // The browser already has (or is about to get) the successor's cookie from a concurrent request: clearing the
        // cookie here could erase that one. The request simply has no session; a logout follows the forwarding.
        ctx.markEnded(null, record);
        return ctx;
      }
      ctx.markEnded(record.endReason ?? 'logout', record);
      ctx.setCookie(null);
      return ctx;
    }
    const now = this.now();
    if (!isLive(record, now)) {
      const reason: EndReason = record.expiresAt <= now ? 'expired' : 'idle';
      await this.endExpired(record, reason, now, ctx.ip);
      ctx.markEnded(reason, record);
      ctx.setCookie(null);
      return ctx;
    }
    if (token === null) return ctx;
    ctx.adopt(record, token);
    // A last activity in the future (clock skew between machines) counts as "now", never as negative idle time.
    if (!passive && (now - record.lastActiveAt >= options.touchInterval || record.lastActiveAt > now)) {
      await this.touchActivity(ctx, record, now);
    }
    return ctx;
  }

  /**
   * An express-session cookie (`s:<id>.<signature>`) of a session brought in by `sessionwarden import`: checked against
   * the app's secret(s), found by the id derived from the old one, and upgraded to a sessionwarden token (a rotation).
   * A bad signature or an unknown session is "no session", like any other invalid cookie.
   */
  private async beginImported(ctx: SessionContext, value: string, secrets: readonly (string | Buffer)[]): Promise<SessionContext> {
    const oldId = unsignExpressSessionCookie(value, secrets);
    const record = oldId === null ? null : await this.calls.get(importedSessionId(oldId));
    const invalid = (reason: string): SessionContext => {
      this.invalidToken(ctx.ip, reason);
      ctx.setCookie(null);
      return ctx;
    };
    if (oldId === null) return invalid('bad-signature');
    if (record === null) return invalid('unknown');
    await this.beginRecord(ctx, record, null);
    // Ended (also upgraded already), expired or idle: the request has no session, and knows why when there is a why.
    if (record.endedAt !== null || !isLive(record, this.now())) return ctx;
    try {
      if (!(await ctx.upgradeImported(record, oldId))) return invalid('bad-secret');
    } catch (error) {
      if (!(error instanceof SessionStateError)) throw error;
      // A concurrent request with the same old cookie upgraded it first: that one gives the browser the new cookie.
      ctx.markEnded(null, record);
    }
    return ctx;
  }

  /** Report an invalid token, and count it for the client: at the threshold, `bruteforce-suspected` once per window. */
  private invalidToken(ip: string | null, reason: string): void {
    this.emit({ type: 'invalid-token', session: null, userId: null, ip, reason });
    const count = this.bruteForce?.fail(ip) ?? null;
    if (count !== null) this.emit({ type: 'bruteforce-suspected', session: null, userId: null, ip, reason: `${count} invalid session tokens within ${this.options.bruteForce!.windowMs / 1000} s` });
  }

  private async endExpired(record: SessionRecord, reason: EndReason, now: number, ip: string | null): Promise<void> {
    try {
      const ended = await this.calls.end(record.id, reason, now);
      if (ended !== null) this.emit({ type: 'expired', session: toPublicSession(ended), userId: ended.userId, ip, reason });
    } catch (error) {
      // The session is refused either way (its deadline passed); the failed cleanup is reported, not hidden.
      this.reportStoreError(error, record, ip);
    }
  }

  private async touchActivity(ctx: SessionContext, record: SessionRecord, now: number): Promise<void> {
    try {
      const touched = await this.calls.touch(record.id, now);
      if (touched) record.lastActiveAt = now;
      else ctx.markEnded(await this.storedEndReason(record.id), record);
    } catch (error) {
      // A failed activity write may let the request proceed (the read succeeded); it is reported, not swallowed.
      this.reportStoreError(error, record, ctx.ip);
    }
  }

  /** Why a session that a write just found ended has ended, as stored (another request or process ended it). */
  private async storedEndReason(id: string): Promise<EndReason> {
    const stored = await this.calls.get(id).catch(() => null);
    return stored?.endReason ?? 'revoked';
  }

  /**
   * Apply an activity ping: expiry is checked first (by `begin()`, which the adapter already ran passively), then the
   * reported activity may move `lastActiveAt` forward to `now - idleFor`, never past now, never back, never past the
   * absolute deadline. Returns the timing reply, or the end reason.
   * @example
   * const reply = await warden.ping(ctx, body.idleFor);
   */
  async ping(ctx: SessionContext, idleFor: unknown): Promise<PingReply> {
    const record = ctx.record;
    if (record === null) return { ended: ctx.endReason ?? 'logout' };
    const now = this.now();
    const reported = typeof idleFor === 'number' && Number.isFinite(idleFor) && idleFor >= 0 ? idleFor : null;
    if (reported !== null) {
      const activeAt = Math.min(now, now - Math.round(reported * 1000));
      // Only forward, and only within the limits: a ping can never revive or stretch a session.
      if (activeAt > record.lastActiveAt && activeAt < record.expiresAt) {
        try {
          const touched = await this.calls.touch(record.id, activeAt);
          if (!touched) return { ended: await this.storedEndReason(record.id) };
          record.lastActiveAt = activeAt;
        } catch (error) {
          this.reportStoreError(error, record, ctx.ip);
          throw error;
        }
      }
    }
    const idleDeadline = Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt);
    return {
      idleSeconds: Math.max(0, (now - record.lastActiveAt) / 1000),
      idleDeadline,
      absoluteDeadline: record.expiresAt,
      idleRemaining: Math.max(0, (idleDeadline - now) / 1000),
      absoluteRemaining: Math.max(0, (record.expiresAt - now) / 1000),
    };
  }

  /**
   * End one session by its public id (another device, an admin); returns the ended session or null when it was not live.
   * @example
   * await warden.revokeSession(id, { reason: 'revoked-by-admin', actor: admin.id })
   */
  async revokeSession(id: string, options: RevokeOptions = {}): Promise<PublicSession | null> {
    if (!isSessionId(id)) return null;
    const current = await this.calls.get(id);
    // Unknown, ended, expired and someone else's sessions are all the same "not found" to the caller.
    if (current === null || !isLive(current, this.now())) return null;
    if (options.ownerId !== undefined && current.userId !== options.ownerId) return null;
    const ended = await this.calls.end(id, options.reason ?? 'revoked', this.now());
    if (ended === null) return null;
    this.emit({ type: options.reason === 'logout' ? 'logout' : 'revoked', session: toPublicSession(ended), userId: ended.userId, ip: options.ip ?? null, reason: ended.endReason ?? undefined, actor: options.actor ?? null });
    return toPublicSession(ended);
  }

  /**
   * End a session and, when a concurrent login or rotation already replaced it, the successor it forwards to (so a
   * logout sent with the previous cookie still signs the browser out); returns the record that was ended, or null.
   * @example
   * await warden.endForwarded(ctx.endedRecord.id, 'logout');
   */
  async endForwarded(id: string, reason: EndReason): Promise<SessionRecord | null> {
    let current = id;
    // A chain longer than a few hops cannot come from one browser's concurrent requests.
    for (let hop = 0; hop < 8; hop += 1) {
      const ended = await this.calls.end(current, reason, this.now());
      if (ended !== null) return ended;
      const stored = await this.calls.get(current);
      if (stored?.endReason !== 'rotated' || stored.replacedBy === null) return null;
      current = stored.replacedBy;
    }
    return null;
  }

  /**
   * End every session of a user ("log out everywhere"), optionally except one; returns the ended sessions.
   * @example
   * await warden.revokeUserSessions('alice', { exceptId: ctx.id })
   */
  async revokeUserSessions(userId: string, options: RevokeOptions = {}): Promise<PublicSession[]> {
    const reason = options.reason ?? 'revoked';
    const ended = await this.calls.endByUser(String(userId), reason, this.now(), options.exceptId ?? null);
    for (const record of ended) {
      this.emit({ type: 'revoked', session: toPublicSession(record), userId: record.userId, ip: options.ip ?? null, reason, actor: options.actor ?? null });
    }
    return ended.map(toPublicSession);
  }

  /**
   * End a user's live sessions whose lock window (`limit.lockSeconds` after their sign-in) has passed, with reason
   * `replaced`: the way forward for a sign-in the session limit refused, when the app lets the user sign the other
   * device out (after checking their password again). Sessions still inside the lock window are kept; returns the
   * ended sessions. The device that was signed out is told why ("your account was used to sign in on another device").
   * @example
   * if (checkPassword(user, form.password)) { await warden.endUnlockedSessions(user.id, { actor: user.id }); await ctx.login(user.id); }
   */
  async endUnlockedSessions(userId: string, options: { actor?: string | null } = {}): Promise<PublicSession[]> {
    const lockMs = this.options.limit?.lockMs ?? 0;
    const now = this.now();
    const ended: PublicSession[] = [];
    for (const record of await this.calls.listByUser(String(userId), now)) {
      if (lockMs > 0 && now - record.createdAt < lockMs) continue;
      const done = await this.calls.end(record.id, 'replaced', now);
      if (done === null) continue;
      this.emit({ type: 'replaced', session: toPublicSession(done), userId: done.userId, ip: null, reason: 'replaced', actor: options.actor ?? null });
      ended.push(toPublicSession(done));
    }
    return ended;
  }

  /**
   * A user's live sessions, most recently active first.
   * @example
   * const sessions = await warden.listUserSessions('alice');
   */
  async listUserSessions(userId: string): Promise<PublicSession[]> {
    const records = await this.calls.listByUser(String(userId), this.now());
    return records.map(toPublicSession);
  }

  /**
   * The admin listing (search, filters, cursor pages), for stores with the optional `list()`.
   * @example
   * const page = await warden.listSessions({ status: 'active', limit: 50 });
   */
  async listSessions(query: Omit<ListSessionsQuery, 'now'>): Promise<SessionPage> {
    const list = this.calls.list;
    if (list === undefined) throw new SessionConfigError('this store has no list(): the admin listing needs a store that implements it');
    return list({ ...query, now: this.now() });
  }

  /**
   * Counts of live, ended and expired sessions and distinct users, for stores with the optional `stats()`.
   * @example
   * const { live } = await warden.stats();
   */
  async stats(): Promise<SessionStats> {
    const stats = this.calls.stats;
    if (stats === undefined) throw new SessionConfigError('this store has no stats()');
    return stats(this.now());
  }

  /**
   * Delete records that stopped being live longer ago than `tombstoneRetention`; returns how many.
   * @example
   * setInterval(() => warden.clearExpired(), 3_600_000).unref();
   */
  async clearExpired(): Promise<number> {
    return this.calls.deleteExpired(this.now() - this.options.tombstoneRetention);
  }

  /**
   * Whether a state-changing request comes from this site (Fetch Metadata, then Origin/Referer); emits `csrf-rejected` when not.
   * @example
   * warden.isSameOrigin({ secFetchSite: req.get('sec-fetch-site'), origin: req.get('origin'), host: req.get('host') })
   */
  isSameOrigin(headers: OriginHeaders): boolean {
    return isSameOriginRequest(headers, this.options.origins);
  }

  /** Send an event to the hook; a throwing hook is reported as a process warning, never breaks the request. */
  emit(event: Omit<SessionEvent, 'at'>): void {
    const hook = this.options.onEvent;
    if (hook === null) return;
    try {
      hook({ ...event, at: this.now() });
    } catch (error) {
      process.emitWarning(`sessionwarden: onEvent hook threw: ${(error as Error)?.message ?? String(error)}`);
    }
  }

  /** Report a store failure through the event hook (with the error code, never the cause's data). */
  reportStoreError(error: unknown, record: SessionRecord | null, ip: string | null): void {
    const code = error instanceof SessionStoreError ? error.code : error instanceof SessionDataError ? 'DATA_TOO_LARGE' : 'STORE_UNAVAILABLE';
    this.emit({ type: 'store-error', session: record ? toPublicSession(record) : null, userId: record?.userId ?? null, ip, reason: code });
    if (this.options.onEvent === null) {
      const message = (error as Error)?.message ?? String(error);
      // One warning per error code per minute: a full disk fails every request, the log must not grow with them.
      this.storeErrorLog.write(code, message.startsWith('sessionwarden: ') ? message : `sessionwarden: ${message}`);
    }
  }

  /** Bound user agent for storage (control characters removed, truncated). */
  userAgentOf(raw: string | null | undefined): string | null {
    return sanitizeUserAgent(raw, this.options.userAgentMaxLength);
  }
}

/** The hash an unknown id's secret is checked against: a valid SHA-256 shape that no secret of ours hashes to. */
const UNKNOWN_ID_HASH = hashSecret(randomBytes(32).toString('base64url'));

/** Collapse repeated slashes so `//session/ping` and `/session/ping` are one path for passive rules. */
function normalizePath(path: string): string {
  const q = path.indexOf('?');
  const bare = q >= 0 ? path.slice(0, q) : path;
  return bare.includes('//') ? bare.replace(/\/{2,}/g, '/') : bare;
}

/**
 * Create the session manager; options are validated once and frozen.
 * @example
 * import { createWarden } from 'sessionwarden';
 * import { sqliteStore } from 'sessionwarden/stores/sqlite';
 * const warden = createWarden({ store: sqliteStore({ path: 'data/sessions.sqlite' }) });
 */
export function createWarden(options: WardenOptions = {}): Warden {
  return new Warden(options);
}
