// One request's view of its session: the record (or why there is none), its data, and login/logout/rotation.
import { clearSessionCookie, serializeSessionCookie, type CookieSettings } from './cookie.js';
import { carryOverData, cloneSessionData, serializeSessionData } from './data.js';
import { toMilliseconds } from './duration.js';
import { SessionLimitError, SessionStateError } from './errors.js';
import { csrfTokenFor, issueToken, verifyCsrfToken, type IssuedToken } from './token.js';
import { toPublicSession, type EndReason, type SessionData, type SessionRecord, type StoreLimit } from './types.js';
import type { RequestInput, Warden } from './warden.js';

/** Options of `login()`. */
export interface LoginOptions {
  /** Extra data to merge into the new session. */
  data?: SessionData;
}

/**
 * The session of one request. Adapters create it with `warden.begin()` and apply `setCookie` values.
 * @example
 * const ctx = await warden.begin(input); await ctx.login('alice');
 */
export class SessionContext {
  /** The live record, or null when the request has no session. */
  record: SessionRecord | null = null;
  /** Why the presented session is gone (`idle`, `expired`, `logout`, `revoked`, …), or null (also when a concurrent request rotated it). */
  endReason: EndReason | null = null;
  /** The ended record the cookie pointed to, when it was a tombstone or had just expired. */
  endedRecord: SessionRecord | null = null;
  /** Session data; mutate freely and call `save()` (adapters save changed data automatically). */
  data: SessionData = {};
  /** The latest Set-Cookie value for the session cookie, if it changed in this request. */
  cookieHeader: string | null = null;
  /** Whether this request is passive (does not count as activity). */
  readonly passive: boolean;

  private readonly warden: Warden;
  private readonly input: RequestInput;
  private snapshot = '{}';
  private failedData: string | null = null;
  private pendingToken: IssuedToken | null = null;
  private ipValue: string | null | undefined;

  constructor(warden: Warden, input: RequestInput, passive: boolean) {
    this.warden = warden;
    this.input = input;
    this.passive = passive;
  }

  /** The derived client IP (trusted proxies applied). */
  get ip(): string | null {
    if (this.ipValue === undefined) this.ipValue = this.warden.options.clientIp(this.input.ip, this.input.forwardedFor);
    return this.ipValue;
  }

  /** The cookie attributes in force (for views such as express-session's `req.session.cookie`). */
  get cookieSettings(): Readonly<CookieSettings> {
    return this.warden.options.cookie;
  }

  /** The warden's clock. */
  now(): number {
    return this.warden.now();
  }

  /** The public id of the live session, or null. */
  get id(): string | null {
    return this.record?.id ?? this.pendingToken?.id ?? null;
  }

  /** The signed-in user, or null. */
  get userId(): string | null {
    return this.record?.userId ?? null;
  }

  /** This session's CSRF token for forms and fetch headers (null without a stored session). */
  get csrfToken(): string | null {
    return this.record === null ? null : csrfTokenFor(this.record);
  }

  /**
   * Check a CSRF token from a form field or header against this session, in constant time.
   * @example
   * if (!ctx.verifyCsrf(req.body._csrf)) return res.status(403).end();
   */
  verifyCsrf(token: unknown): boolean {
    return this.record !== null && verifyCsrfToken(this.record, token);
  }

  /**
   * Whether the user authenticated (login or `reauthenticate()`) less than `maxAge` ago ("sudo mode").
   * @example
   * if (!ctx.isFresh('10m')) return res.redirect('/reauthenticate');
   */
  isFresh(maxAge: Parameters<typeof toMilliseconds>[0]): boolean {
    const authenticatedAt = this.record?.authenticatedAt;
    if (authenticatedAt === null || authenticatedAt === undefined) return false;
    return this.warden.now() - authenticatedAt < toMilliseconds(maxAge, 'maxAge');
  }

  /** @internal Set by `begin()` for a valid, live record. */
  adopt(record: SessionRecord): void {
    this.record = record;
    this.data = record.data;
    this.snapshot = hasOwnEnumerable(record.data) ? JSON.stringify(record.data) : '{}';
  }

  /** @internal The cookie pointed to a session that ended (reason null: rotated by a concurrent request, nothing to tell). */
  markEnded(reason: EndReason | null, record: SessionRecord | null): void {
    this.record = null;
    this.data = {};
    this.snapshot = '{}';
    this.endReason = reason;
    this.endedRecord = record;
  }

  /** @internal Record a Set-Cookie value and hand it to the adapter. */
  setCookie(value: string): void {
    this.cookieHeader = value;
    this.input.onSetCookie?.(value);
  }

  /** Whether `data` differs from what was loaded or last saved. */
  isDirty(): boolean {
    // Most requests carry no data at all: no serialisation for them.
    if (this.snapshot === '{}' && !hasOwnEnumerable(this.data)) return false;
    return JSON.stringify(this.data) !== this.snapshot;
  }

  /**
   * Give an anonymous request its token and cookie now, before anything is stored (adapters call it before the
   * response headers go out); the record itself is created by the next `save()`. Does nothing when a session exists.
   * @example
   * ctx.prepareAnonymous();
   */
  prepareAnonymous(): void {
    if (this.record !== null || this.pendingToken !== null) return;
    this.pendingToken = issueToken();
    const maxAge = this.warden.options.cookie.persistent ? this.warden.options.absoluteTimeout / 1000 : null;
    this.setCookie(serializeSessionCookie(this.warden.options.cookie, this.pendingToken.value, maxAge));
  }

  /**
   * Persist `data` now: updates the live record, or stores a new anonymous session on its first write.
   * Throws SessionDataError when the data is over the size cap, SessionStoreError when the store fails, and
   * SessionStateError when the session ended meanwhile (it is never brought back).
   * @example
   * ctx.data.cart = ['book']; await ctx.save();
   */
  async save(): Promise<void> {
    try {
      await this.write();
      this.failedData = null;
    } catch (error) {
      // Remembered so the end-of-request commit does not fail the response again for what the caller already heard.
      this.failedData = JSON.stringify(this.data) ?? null;
      throw error;
    }
  }

  private async write(): Promise<void> {
    const warden = this.warden;
    const text = serializeSessionData(this.data, warden.options.dataMaxBytes);
    if (this.record !== null) {
      const updated = await warden.calls.update(this.record.id, cloneSessionData(this.data));
      if (!updated) throw new SessionStateError('the session ended while this request was running; its data was not saved');
      this.snapshot = text;
      return;
    }
    if (text === '{}') return;
    this.prepareAnonymous();
    const token = this.pendingToken!;
    const now = warden.now();
    const record = this.newRecord(token, null, now, null, await this.timeoutsFor(null), cloneSessionData(this.data));
    await this.createRecord(record, null, null, now);
    this.pendingToken = null;
    // this.data stays the caller's object (the Express facade shares it); the record holds a copy.
    this.record = record;
    this.snapshot = text;
    warden.emit({ type: 'created', session: toPublicSession(record), userId: null, ip: this.ip });
  }

  /**
   * Save changed data at the end of a request; adapters await it before the response completes. A session that
   * ended meanwhile refuses the save, which is the no-resurrection rule working, not a failure: resolves quietly.
   * Other failures are reported (event, or a process warning without a hook) and rethrown for the adapter to answer.
   * @example
   * await ctx.commit();
   */
  async commit(): Promise<void> {
    if (!this.isDirty()) return;
    // An explicit save() of exactly this data failed and its caller was told: the app has answered that already.
    if (this.failedData !== null && JSON.stringify(this.data) === this.failedData) return;
    try {
      await this.write();
    } catch (error) {
      // The session ended meanwhile (a logout elsewhere won the race): nothing to bring back, nothing to report.
      if (error instanceof SessionStateError && this.record !== null) return;
      if (this.record === null) {
        // No record was stored: the browser must not get a cookie for it.
        this.pendingToken = null;
        this.cookieHeader = null;
      }
      this.warden.reportStoreError(error, this.record, this.ip);
      throw error;
    }
  }

  /**
   * Sign `userId` in: a new id and secret (fixation defence), the anonymous data kept, the concurrency policy enforced.
   * Throws SessionLimitError when the policy refuses the login (the current session is left as it was).
   * @example
   * await ctx.login(user.id);
   */
  async login(userId: string, options: LoginOptions = {}): Promise<void> {
    if (typeof userId !== 'string' || userId.length === 0 || userId.length > 256) {
      throw new TypeError('sessionwarden: login(userId) needs a non-empty string of at most 256 characters');
    }
    const warden = this.warden;
    const now = warden.now();
    const previous = this.record;
    const data = carryOverData(this.data, previous?.userId ?? null, userId, warden.options.keepOnLogin);
    if (options.data) Object.assign(data, cloneSessionData(options.data));
    serializeSessionData(data, warden.options.dataMaxBytes);
    const timeouts = await this.timeoutsFor(userId);
    const token = issueToken();
    const record = this.newRecord(token, userId, now, now, timeouts, data);
    const limit = await this.limitFor(userId);
    const evicted = await this.createRecord(record, previous?.id ?? null, limit, now);
    this.pendingToken = null;
    this.installRecord(record, token);
    if (previous !== null && previous.userId !== null) {
      warden.emit({ type: 'rotated', session: toPublicSession(record), userId, ip: this.ip, reason: 'login' });
    }
    for (const old of evicted) {
      warden.emit({ type: 'replaced', session: toPublicSession(old), userId: old.userId, ip: this.ip, reason: 'replaced', actor: userId });
    }
    warden.emit({ type: 'login', session: toPublicSession(record), userId, ip: this.ip });
  }

  /**
   * Confirm the user's identity again: rotates the token, sets `authenticatedAt` and restarts both timeouts.
   * @example
   * if (await checkPassword(user, form.password)) await ctx.reauthenticate();
   */
  async reauthenticate(): Promise<void> {
    const current = this.requireRecord('reauthenticate');
    const now = this.warden.now();
    const timeouts = await this.timeoutsFor(current.userId);
    await this.replaceRecord(current, { authenticatedAt: now, lastActiveAt: now, expiresAt: now + timeouts.absoluteTimeout, idleTimeout: timeouts.idleTimeout }, 'reauthenticate');
  }

  /**
   * Issue a new id and secret for the same session (after a privilege change); deadlines and data are unchanged.
   * @example
   * await ctx.rotate();
   */
  async rotate(): Promise<void> {
    const current = this.requireRecord('rotate');
    await this.replaceRecord(current, {}, 'rotate');
  }

  /**
   * End the session (reason `logout`) and clear the cookie. The cookie is cleared even when the store fails. When a
   * concurrent request had already rotated the browser's session, the successor is the one ended.
   * @example
   * await ctx.logout(); res.redirect(303, '/login');
   */
  async logout(): Promise<void> {
    // A rotated tombstone forwards to its successor: the browser's logout must end that one too.
    const record = this.record ?? (this.endedRecord?.endReason === 'rotated' ? this.endedRecord : null);
    this.record = null;
    this.pendingToken = null;
    this.data = {};
    this.snapshot = '{}';
    // Always clear: logout is idempotent and must leave no cookie behind whatever state the request was in.
    this.setCookie(clearSessionCookie(this.warden.options.cookie));
    if (record === null) return;
    this.endReason = 'logout';
    this.endedRecord = record;
    const warden = this.warden;
    const ended = await warden.endForwarded(record.id, 'logout');
    if (ended !== null) warden.emit({ type: 'logout', session: toPublicSession(ended), userId: ended.userId, ip: this.ip, reason: 'logout', actor: ended.userId });
  }

  /**
   * Start over with an empty anonymous session (express-session's `regenerate`): the current record ends, the data goes.
   * @example
   * await ctx.regenerate();
   */
  async regenerate(): Promise<void> {
    await this.logout();
    this.endReason = null;
    this.endedRecord = null;
  }

  /**
   * Re-read the record from the store (another request may have changed or ended it).
   * @example
   * await ctx.reload();
   */
  async reload(): Promise<void> {
    const current = this.record;
    if (current === null) return;
    const warden = this.warden;
    const fresh = await warden.calls.get(current.id);
    if (fresh !== null && fresh.endedAt === null && fresh.secretHash === current.secretHash && fresh.expiresAt > warden.now() && fresh.lastActiveAt + fresh.idleTimeout > warden.now()) {
      this.adopt(fresh);
      return;
    }
    this.markEnded(fresh?.endReason ?? 'revoked', fresh);
    this.setCookie(clearSessionCookie(warden.options.cookie));
  }

  /**
   * Record activity now, whatever the touch interval (the request itself already counts unless it is passive).
   * @example
   * await ctx.touch();
   */
  async touch(): Promise<void> {
    const record = this.requireRecord('touch');
    const warden = this.warden;
    const now = warden.now();
    const touched = await warden.calls.touch(record.id, now);
    if (touched) record.lastActiveAt = now;
  }

  private requireRecord(action: string): SessionRecord {
    if (this.record === null) throw new SessionStateError(`${action}() needs a session; this request has none`);
    return this.record;
  }

  private async replaceRecord(current: SessionRecord, changes: Partial<SessionRecord>, why: string): Promise<void> {
    const token = issueToken();
    const record: SessionRecord = { ...current, ...changes, id: token.id, secretHash: token.secretHash, data: cloneSessionData(this.data) };
    await this.createRecord(record, current.id, null, this.warden.now(), true);
    this.installRecord(record, token);
    this.warden.emit({ type: 'rotated', session: toPublicSession(record), userId: record.userId, ip: this.ip, reason: why });
  }

  private installRecord(record: SessionRecord, token: IssuedToken): void {
    this.record = record;
    this.data = record.data;
    this.snapshot = JSON.stringify(record.data);
    this.endReason = null;
    this.endedRecord = null;
    const maxAge = this.warden.options.cookie.persistent ? (record.expiresAt - this.warden.now()) / 1000 : null;
    this.setCookie(serializeSessionCookie(this.warden.options.cookie, token.value, maxAge));
  }

  private async createRecord(record: SessionRecord, replaces: string | null, limit: StoreLimit | null, now: number, requireReplaced = false): Promise<SessionRecord[]> {
    const warden = this.warden;
    let result;
    try {
      result = await warden.calls.create({ record, replaces, requireReplaced, limit, now });
    } catch (error) {
      warden.reportStoreError(error, null, this.ip);
      throw error;
    }
    if (!result.ok && result.reason === 'gone') {
      throw new SessionStateError('the session ended or was rotated by a concurrent request');
    }
    if (!result.ok) {
      const refusal = new SessionLimitError(result.retryAt, now);
      warden.emit({ type: 'refused', session: null, userId: record.userId, ip: this.ip, reason: 'session-limit', retryAfter: refusal.retryAfter ?? undefined });
      throw refusal;
    }
    return result.evicted;
  }

  private newRecord(token: IssuedToken, userId: string | null, now: number, authenticatedAt: number | null, timeouts: { idleTimeout: number; absoluteTimeout: number }, data: SessionData): SessionRecord {
    const options = this.warden.options;
    return {
      id: token.id,
      secretHash: token.secretHash,
      userId,
      createdAt: now,
      authenticatedAt,
      lastActiveAt: now,
      idleTimeout: timeouts.idleTimeout,
      expiresAt: now + timeouts.absoluteTimeout,
      ip: options.storeIp ? this.ip : null,
      userAgent: options.storeUserAgent ? this.warden.userAgentOf(this.input.userAgent) : null,
      data,
      endedAt: null,
      endReason: null,
      replacedBy: null,
    };
  }

  private async timeoutsFor(userId: string | null): Promise<{ idleTimeout: number; absoluteTimeout: number }> {
    const options = this.warden.options;
    const base = { idleTimeout: options.idleTimeout, absoluteTimeout: options.absoluteTimeout };
    if (options.timeouts === undefined) return base;
    const custom = await options.timeouts({ userId, ip: this.ip, userAgent: this.warden.userAgentOf(this.input.userAgent) });
    return {
      idleTimeout: custom?.idleTimeout === undefined ? base.idleTimeout : toMilliseconds(custom.idleTimeout, 'timeouts().idleTimeout'),
      absoluteTimeout: custom?.absoluteTimeout === undefined ? base.absoluteTimeout : toMilliseconds(custom.absoluteTimeout, 'timeouts().absoluteTimeout'),
    };
  }

  private async limitFor(userId: string): Promise<StoreLimit | null> {
    const limit = this.warden.options.limit;
    if (limit === null) return null;
    const max = typeof limit.max === 'function' ? await limit.max(userId) : limit.max;
    if (max === Infinity) return null;
    if (!Number.isInteger(max) || max < 1) throw new TypeError(`sessionwarden: limit.max(${JSON.stringify(userId)}) must return a whole number >= 1 or Infinity`);
    return { max, lockMs: limit.lockMs, onExceed: limit.onExceed };
  }
}

function hasOwnEnumerable(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
