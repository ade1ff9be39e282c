// One request's view of its session: the record (or why there is none), its data, and login/logout/rotation.
import { clearSessionCookie, serializeSessionCookie, type CookieSettings } from './cookie.js';
import { carryOverData, cloneSessionData, keptOnUserChange, serializeSessionData } from './data.js';
import { toMilliseconds } from './duration.js';
import { SessionLimitError, SessionStateError } from './errors.js';
import { matchesImported } from './imported.js';
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
  /**
   * Store this request's new anonymous session even when it holds no data (express-session's `saveUninitialized`);
   * adapters set it. A session ended in this request is not stored again.
   */
  storeEmpty = false;
  /** Whether this request is passive (does not count as activity). */
  readonly passive: boolean;

  private readonly warden: Warden;
  private readonly input: RequestInput;
  private snapshot = '{}';
  private failedData: string | null = null;
  private pendingToken: IssuedToken | null = null;
  private ipValue: string | null | undefined;
  /** The cookie value of the live record, when this request knows it (presented, or issued here). */
  private token: string | null = null;
  /** The session cookie to send: a token value, a clearing cookie, or nothing. */
  private outgoing: { value: string } | 'clear' | null = null;
  /** The cookie lifetime the loaded record's data asked for, to resend the cookie when the app changes it. */
  private loadedLifetime: number | null = null;
  /** Whether the request came with a session cookie (a logout without one has nothing to clear). */
  cookiePresented = false;
  /** Ended by logout() in this request (storeEmpty must not bring an empty session back). */
  private loggedOut = false;
  /** A new anonymous session whose store failed: no cookie may announce it any more. */
  private abandoned = false;
  /** The save under way, so saves and the end-of-request commit run one after the other. */
  private writing: Promise<void> | null = null;

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

  /**
   * The session's Set-Cookie value to send (a token, or a clearing cookie), or null when the cookie does not change.
   * A token's Max-Age is the session's cookie lifetime, never beyond its absolute deadline (SEC-09).
   */
  get cookieHeader(): string | null {
    const outgoing = this.outgoing;
    if (outgoing === null) return null;
    const settings = this.warden.options.cookie;
    if (outgoing === 'clear') return clearSessionCookie(settings);
    return serializeSessionCookie(settings, outgoing.value, this.maxAgeSeconds());
  }

  /**
   * The session cookie's lifetime in ms (null: a browser-session cookie): the data's `cookie.originalMaxAge` when it
   * has one (express-session keeps the cookie in the session data, and so do imported sessions), else `cookie.maxAge`.
   */
  cookieLifetime(): number | null {
    const cookie = (this.data as { cookie?: unknown }).cookie;
    if (cookie !== null && typeof cookie === 'object') {
      const lifetime = (cookie as { originalMaxAge?: unknown }).originalMaxAge;
      if (lifetime === null) return null;
      if (typeof lifetime === 'number' && Number.isFinite(lifetime)) return lifetime;
    }
    return this.warden.options.cookie.maxAge;
  }

  private maxAgeSeconds(): number | null {
    const lifetime = this.cookieLifetime();
    if (lifetime === null) return null;
    const now = this.warden.now();
    const deadline = this.record?.expiresAt ?? now + this.warden.options.absoluteTimeout;
    return Math.max(0, Math.min(lifetime, deadline - now)) / 1000;
  }

  /**
   * The Set-Cookie value to add as the response headers are written (adapters call it then, once): a new anonymous
   * session with data gets its cookie now (its record is stored before the response completes); a persistent cookie
   * is sent again when the data changed; with `rolling`, the cookie of every live session is sent again.
   * @example
   * const cookie = ctx.headersDue(false); if (cookie !== null) res.appendHeader('Set-Cookie', cookie);
   */
  headersDue(rolling: boolean): string | null {
    if (this.outgoing === null) {
      if (this.record === null) {
        if (!this.abandoned && this.isDirty()) this.prepareAnonymous();
      } else if (rolling || (this.cookieLifetime() !== null && this.isDirty())) {
        this.refreshCookie();
      }
    }
    return this.cookieHeader;
  }

  /**
   * Send the live session's cookie again (a new Max-Age, or `rolling`); nothing when the request does not know it.
   * @example
   * ctx.refreshCookie();
   */
  refreshCookie(): void {
    if (this.record !== null && this.token !== null) this.setCookie(this.token);
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

  /** @internal Set by `begin()` for a valid, live record (with the cookie value that presented it). */
  adopt(record: SessionRecord, token: string | null = this.token): void {
    this.record = record;
    this.token = token;
    this.data = record.data;
    this.snapshot = hasOwnEnumerable(record.data) ? JSON.stringify(record.data) : '{}';
    this.loadedLifetime = this.snapshot === '{}' ? this.warden.options.cookie.maxAge : this.cookieLifetime();
  }

  /** @internal The cookie pointed to a session that ended (reason null: rotated by a concurrent request, nothing to tell). */
  markEnded(reason: EndReason | null, record: SessionRecord | null): void {
    this.record = null;
    this.data = {};
    this.snapshot = '{}';
    this.endReason = reason;
    this.endedRecord = record;
  }

  /** @internal Send this token in the session cookie (null: clear the cookie) and tell the adapter. */
  setCookie(token: string | null): void {
    this.outgoing = token === null ? 'clear' : { value: token };
    const hook = this.input.onSetCookie;
    if (hook !== undefined) hook(this.cookieHeader!);
  }

  /** Whether `data` differs from what was loaded or last saved (or an empty session is to be stored, `storeEmpty`). */
  isDirty(): boolean {
    if (this.storeEmpty && this.record === null && !this.loggedOut) return true;
    // Most requests carry no data at all: no serialisation for them.
    if (this.snapshot === '{}' && !hasOwnEnumerable(this.data)) return false;
    return JSON.stringify(this.data) !== this.snapshot;
  }

  /**
   * Wait for a save under way, whatever its outcome (its caller hears of a failure); resolves at once when none is.
   * @example
   * await ctx.settle();
   */
  async settle(): Promise<void> {
    while (this.writing !== null) await this.writing;
  }

  /** Whether a save is under way (the end-of-request commit waits for it). */
  get saving(): boolean {
    return this.writing !== null;
  }

  /**
   * The id this request's session has or will have: an anonymous request gets one now (as express-session's
   * `req.sessionID`), and keeps it if it is stored later. No cookie is sent for it unless something is stored.
   * @example
   * logger.info({ session: ctx.reserveId() });
   */
  reserveId(): string {
    if (this.record !== null) return this.record.id;
    this.pendingToken ??= issueToken();
    return this.pendingToken.id;
  }

  /**
   * Give an anonymous request its token and cookie now, before anything is stored (adapters call it before the
   * response headers go out); the record itself is created by the next `save()`. Does nothing when a session exists.
   * @example
   * ctx.prepareAnonymous();
   */
  prepareAnonymous(): void {
    if (this.record !== null) return;
    if (this.pendingToken !== null && this.outgoing !== null && this.outgoing !== 'clear') return;
    this.reserveId();
    this.setCookie(this.pendingToken!.value);
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
      await this.serially(() => this.write());
      this.failedData = null;
    } catch (error) {
      // Remembered so the end-of-request commit does not fail the response again for what the caller already heard.
      this.failedData = JSON.stringify(this.data) ?? null;
      throw error;
    }
  }

  /** Run writes one after the other: a save still under way is awaited by the next save or the commit. */
  private serially(step: () => Promise<void>): Promise<void> {
    const previous = this.writing;
    const run = previous === null ? step() : previous.then(step, step);
    const settled = run.then(noop, noop);
    this.writing = settled;
    void settled.then(() => {
      if (this.writing === settled) this.writing = null;
    });
    return run;
  }

  private async write(): Promise<void> {
    const warden = this.warden;
    const text = serializeSessionData(this.data, warden.options.dataMaxBytes);
    const userOf = warden.options.userOf;
    if (userOf !== null) {
      const user = userIdFrom(userOf(this.data));
      if (user !== (this.record?.userId ?? null)) {
        await this.changeUser(user);
        return;
      }
    }
    if (this.record !== null) {
      const updated = await warden.calls.update(this.record.id, cloneSessionData(this.data));
      if (!updated) throw new SessionStateError('the session ended while this request was running; its data was not saved');
      this.snapshot = text;
      // A persistent cookie follows the data (express-session sends it again when the session changed).
      const lifetime = this.cookieLifetime();
      if (lifetime !== null || lifetime !== this.loadedLifetime) this.refreshCookie();
      this.loadedLifetime = lifetime;
      return;
    }
    if (text === '{}' && !this.storeEmpty) return;
    this.prepareAnonymous();
    const token = this.pendingToken!;
    const now = warden.now();
    const record = this.newRecord(token, null, now, null, await this.timeoutsFor(null), cloneSessionData(this.data));
    await this.createRecord(record, null, null, now);
    this.pendingToken = null;
    this.token = token.value;
    // this.data stays the caller's object (the Express facade shares it); the record holds a copy.
    this.record = record;
    this.snapshot = text;
    this.loadedLifetime = this.cookieLifetime();
    warden.emit({ type: 'created', session: toPublicSession(record), userId: null, ip: this.ip });
  }

  /**
   * The data now names another user (`userOf`): a login of that user (new id and secret, the limit, events), or, when
   * it names nobody, a logout of the previous one. Keys written in this request are kept; older keys follow login's
   * rule (an anonymous session's are kept per keepOnLogin, another user's never).
   */
  private async changeUser(user: string | null): Promise<void> {
    const previousUser = this.record?.userId ?? null;
    const data = keptOnUserChange(this.data, this.snapshot, previousUser, this.warden.options.keepOnLogin);
    if (user !== null) {
      await this.signIn(user, data);
      return;
    }
    const current = this.data;
    await this.logout();
    this.loggedOut = false;
    this.endReason = null;
    this.endedRecord = null;
    for (const key of Object.keys(current)) if (!Object.hasOwn(data, key)) delete current[key];
    this.data = current;
    if (serializeSessionData(this.data, this.warden.options.dataMaxBytes) !== '{}') await this.write();
  }

  /**
   * Save changed data at the end of a request; adapters await it before the response completes. A session that
   * ended meanwhile refuses the save, which is the no-resurrection rule working, not a failure: resolves quietly.
   * Other failures are reported (event, or a process warning without a hook) and rethrown for the adapter to answer.
   * @example
   * await ctx.commit();
   */
  async commit(): Promise<void> {
    if (this.writing === null && !this.isDirty()) return;
    await this.serially(() => this.commitNow());
  }

  private async commitNow(): Promise<void> {
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
        this.outgoing = null;
        this.abandoned = true;
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
    const data = carryOverData(this.data, this.record?.userId ?? null, userId, warden.options.keepOnLogin);
    if (options.data) Object.assign(data, cloneSessionData(options.data));
    const userOf = warden.options.userOf;
    if (userOf !== null && userIdFrom(userOf(data)) !== userId) {
      // The next save would read the user from the data and undo this login.
      throw new TypeError(`sessionwarden: with the userOf option, sign ${JSON.stringify(userId)} in by writing the user into the session data (login(userId, { data }) or req.session), so that userOf(data) names them`);
    }
    await this.signIn(userId, data);
  }

  private async signIn(userId: string, data: SessionData): Promise<void> {
    if (userId.length > 256) throw new TypeError('sessionwarden: a user id is at most 256 characters');
    const warden = this.warden;
    const now = warden.now();
    const previous = this.record;
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
    this.token = null;
    this.pendingToken = null;
    this.data = {};
    this.snapshot = '{}';
    this.loggedOut = true;
    // Clear whenever the browser has or may get a cookie: logout is idempotent and must leave no cookie behind.
    if (record !== null || this.cookiePresented || this.outgoing !== null) this.setCookie(null);
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
    this.loggedOut = false;
    this.endReason = null;
    this.endedRecord = null;
  }

  /**
   * Re-read the record from the store (another request may have changed or ended it). Throws SessionStateError when
   * there is no stored session, or when it ended meanwhile (the request then has none, and the cookie is cleared).
   * @example
   * await ctx.reload();
   */
  async reload(): Promise<void> {
    const current = this.requireRecord('reload');
    const warden = this.warden;
    const fresh = await warden.calls.get(current.id);
    if (fresh !== null && fresh.endedAt === null && fresh.secretHash === current.secretHash && fresh.expiresAt > warden.now() && fresh.lastActiveAt + fresh.idleTimeout > warden.now()) {
      this.adopt(fresh);
      return;
    }
    this.markEnded(fresh?.endReason ?? 'revoked', fresh);
    this.setCookie(null);
    throw new SessionStateError(`reload(): the session ended meanwhile (${this.endReason})`);
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
    this.adopt(record, token.value);
    this.snapshot = JSON.stringify(record.data);
    this.endReason = null;
    this.endedRecord = null;
    this.setCookie(token.value);
  }

  /**
   * @internal Upgrade a session imported from express-session, presented with its signed cookie (`oldId` verified):
   * a rotation to a sessionwarden token (the imported record becomes a `rotated` tombstone), the user as `userOf`
   * reads the data, the app's idle timeout from now and at most its absolute timeout. False when the cookie does not
   * match the record; throws SessionStateError when a concurrent request upgraded it first.
   */
  async upgradeImported(record: SessionRecord, oldId: string): Promise<boolean> {
    if (!matchesImported(oldId, record.secretHash)) return false;
    this.adopt(record, null);
    const userOf = this.warden.options.userOf;
    const userId = userOf === null ? record.userId : userIdFrom(userOf(record.data));
    const now = this.warden.now();
    const timeouts = await this.timeoutsFor(userId);
    await this.replaceRecord(record, { userId, lastActiveAt: now, idleTimeout: timeouts.idleTimeout, expiresAt: Math.min(record.expiresAt, now + timeouts.absoluteTimeout) }, 'import');
    return true;
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

function noop(): void {}

/**
 * The user id `userOf` returned, normalised: a non-empty string or a finite number (as a string), else null. Anything
 * else is a mistake in `userOf` (an object, say) and throws, so it cannot silently leave every session anonymous.
 */
function userIdFrom(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new TypeError(`sessionwarden: userOf(data) must return a string, a number, null or undefined; it returned ${Array.isArray(value) ? 'an array' : typeof value}`);
}

function hasOwnEnumerable(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}
