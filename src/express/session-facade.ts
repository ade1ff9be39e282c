// req.session for Express: express-session's Session (data as own properties, a Cookie, non-enumerable methods) over the request's SessionContext.
import type { Request } from 'express';
import type { Cookie as CookieShape, Session as SessionShape } from 'express-session';
import type { SessionContext } from '../core/session-context.js';
import type { SessionData } from '../core/types.js';

/** On a request: the session data `req.session` was unset or destroyed for (it reads undefined while that is current). */
export const ABSENT = Symbol('sessionwarden.absent');
/** On a request: the failure of a session call made without a callback whose promise nobody looked at. */
export const UNOBSERVED = Symbol('sessionwarden.unobserved');

/** The request a Session belongs to (the middleware ran: it has its SessionContext). */
export type FacadeRequest = Request & { [ABSENT]?: SessionData; [UNOBSERVED]?: unknown };

type Callback = (err?: any) => void;

function noop(): void {}

/**
 * `req.session.cookie`: express-session's Cookie. `maxAge` and `expires` are read and written as there (writing either
 * sets `originalMaxAge`, which is kept across requests in the session data); the other attributes are the warden's
 * and can only be set to what they are (the security rules fix them).
 * @example
 * req.session.cookie.maxAge = 30 * 24 * 3600 * 1000; // remember me
 */
export class Cookie implements CookieShape {
  /** The lifetime in ms the session started with or the app last set; null for a browser-session cookie. */
  originalMaxAge: number | null;
  readonly #ctx: SessionContext;
  #expires: Date | null;

  constructor(ctx: SessionContext, stored: unknown) {
    this.#ctx = ctx;
    const lifetime = storedLifetime(stored);
    this.originalMaxAge = lifetime === undefined ? ctx.cookieSettings.maxAge : lifetime;
    this.#expires = this.originalMaxAge === null ? null : new Date(ctx.now() + this.originalMaxAge);
  }

  get maxAge(): number | null {
    return this.#expires === null ? null : this.#expires.getTime() - this.#ctx.now();
  }

  set maxAge(ms: number | Date | null) {
    if (ms instanceof Date || ms === null || ms === undefined) {
      this.expires = ms ?? null;
      return;
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('sessionwarden: req.session.cookie.maxAge must be a number of milliseconds or null');
    this.#expires = new Date(this.#ctx.now() + ms);
    this.originalMaxAge = ms;
  }

  get expires(): Date | null {
    return this.#expires;
  }

  set expires(date: Date | null) {
    if (date !== null && date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) {
      throw new TypeError('sessionwarden: req.session.cookie.expires must be a valid Date or null');
    }
    this.#expires = date ?? null;
    this.originalMaxAge = this.#expires === null ? null : this.#expires.getTime() - this.#ctx.now();
  }

  get path(): string {
    return this.#ctx.cookieSettings.path;
  }

  set path(value: string) {
    this.#fixed('path', value, this.path, 'the session cookie is Path=/ (a __Host- cookie must be; mount apps on separate hosts to keep them apart)');
  }

  get httpOnly(): boolean {
    return true;
  }

  set httpOnly(value: boolean) {
    this.#fixed('httpOnly', value, true, 'the session cookie is always HttpOnly, so page scripts cannot read it');
  }

  get secure(): boolean {
    return this.#ctx.cookieSettings.secure;
  }

  set secure(value: boolean) {
    this.#fixed('secure', value, this.secure, 'Secure is set once for the app (false only outside production, for plain-HTTP development)');
  }

  get sameSite(): 'lax' | 'strict' {
    return this.#ctx.cookieSettings.sameSite === 'Strict' ? 'strict' : 'lax';
  }

  set sameSite(value: 'lax' | 'strict') {
    this.#fixed('sameSite', value, this.sameSite, "SameSite is set once for the app: 'lax' or 'strict'");
  }

  get domain(): string | undefined {
    return undefined;
  }

  set domain(value: string | undefined) {
    this.#fixed('domain', value, undefined, 'the session cookie is host-only (no Domain)');
  }

  get partitioned(): boolean {
    return this.#ctx.cookieSettings.partitioned;
  }

  get priority(): 'low' | 'medium' | 'high' | undefined {
    return this.#ctx.cookieSettings.priority ?? undefined;
  }

  /** What the session data keeps of the cookie: its lifetime when it is not the configured one (nothing otherwise). */
  toJSON(): { originalMaxAge: number | null } | undefined {
    return this.originalMaxAge === this.#ctx.cookieSettings.maxAge ? undefined : { originalMaxAge: this.originalMaxAge };
  }

  #fixed(name: string, value: unknown, current: unknown, why: string): void {
    if (value !== current) throw new TypeError(`sessionwarden: req.session.cookie.${name} cannot be changed: ${why}`);
  }
}

/** The lifetime a stored `cookie` value (express-session's Cookie JSON, or ours) names: ms, null, or undefined for none. */
function storedLifetime(stored: unknown): number | null | undefined {
  if (stored instanceof Cookie) return stored.originalMaxAge;
  if (stored === null || typeof stored !== 'object') return undefined;
  const lifetime = (stored as { originalMaxAge?: unknown }).originalMaxAge;
  if (lifetime === null) return null;
  return typeof lifetime === 'number' && Number.isFinite(lifetime) ? lifetime : undefined;
}

/**
 * `req.session`: express-session's Session. Your data are its own enumerable properties, next to `cookie`; `id` and
 * the methods are on the prototype (never listed by `for…in` or `Object.keys`). Each method takes a callback or,
 * without one, returns a promise; a failure nobody hears of (no callback, the promise ignored) reaches Express's error
 * handling at the end of the request instead of crashing the process.
 * @example
 * req.session.regenerate((err) => { if (err) return next(err); req.session.userId = user.id; res.redirect('/'); });
 */
export class Session implements SessionShape {
  cookie: Cookie;
  readonly #req: FacadeRequest;

  constructor(req: FacadeRequest, ctx: SessionContext, data: object) {
    this.#req = req;
    this.cookie = new Cookie(ctx, (data as { cookie?: unknown }).cookie);
    const target = this as unknown as Record<string, unknown>;
    for (const key in data) {
      // Own data only, and never over a method: a stored "save" key cannot replace save() (as in express-session).
      if (Object.hasOwn(data, key) && !(key in target)) target[key] = (data as Record<string, unknown>)[key];
    }
  }

  get id(): string {
    return this.#req.sessionwarden.reserveId();
  }

  regenerate(callback: Callback): this;
  regenerate(): Promise<void>;
  regenerate(callback?: Callback): this | Promise<void> {
    return answer(this, this.#req, this.#req.sessionwarden.regenerate(), callback);
  }

  destroy(callback: Callback): this;
  destroy(): Promise<void>;
  destroy(callback?: Callback): this | Promise<void> {
    const req = this.#req;
    const ending = req.sessionwarden.logout();
    // As in express-session, req.session is gone from now on (logout() replaced the data synchronously).
    req[ABSENT] = req.sessionwarden.data;
    return answer(this, req, ending, callback);
  }

  reload(callback: Callback): this;
  reload(): Promise<void>;
  reload(callback?: Callback): this | Promise<void> {
    return answer(this, this.#req, this.#req.sessionwarden.reload(), callback);
  }

  save(callback: Callback): this;
  save(): Promise<void>;
  save(callback?: Callback): this | Promise<void> {
    return answer(this, this.#req, this.#req.sessionwarden.save(), callback);
  }

  touch(callback: Callback): this;
  touch(): Promise<void>;
  touch(callback?: Callback): this | Promise<void> {
    this.resetMaxAge();
    const ctx = this.#req.sessionwarden;
    return answer(this, this.#req, ctx.record === null ? Promise.resolve() : ctx.touch(), callback);
  }

  resetMaxAge(): this {
    this.cookie.maxAge = this.cookie.originalMaxAge;
    return this;
  }
}

/**
 * Build `req.session` for a request from its context's data; the Session becomes the context's data object, so the
 * core saves exactly what the app sees.
 * @example
 * const session = createSession(req, req.sessionwarden, req.sessionwarden.data);
 */
export function createSession(req: FacadeRequest, ctx: SessionContext, data: object): Session {
  const session = new Session(req, ctx, data);
  ctx.data = session as unknown as SessionData;
  req[ABSENT] = undefined;
  return session;
}

/**
 * express-session's style: with a callback, call it (with the error, if any) and return the session; without one,
 * a promise. That promise is handled here, so ignoring it never crashes the process: when it fails before anyone
 * looked at it, the failure is left on the request for the end of the request to pass to Express (`next(err)`).
 */
function answer<T extends Session>(session: T, req: FacadeRequest, operation: Promise<void>, callback: Callback | undefined): T | Promise<void> {
  if (typeof callback === 'function') {
    operation.then(
      () => callBack(req, callback, undefined),
      (error: unknown) => callBack(req, callback, error),
    );
    return session;
  }
  let observed = false;
  let failure: { error: unknown } | null = null;
  const promise = operation.then(undefined, (error: unknown) => {
    failure = { error };
    if (!observed) req[UNOBSERVED] = error;
    throw error;
  });
  // Handled from the start: a caller that never looks must not turn a failure into an unhandled rejection.
  promise.then(undefined, noop);
  const then = promise.then;
  // Without its `constructor`, `await promise` goes through `then` below too (native promises skip it otherwise).
  Object.defineProperty(promise, 'constructor', { value: undefined });
  Object.defineProperty(promise, 'then', {
    value: function observedThen(this: Promise<void>, ...args: Parameters<Promise<void>['then']>) {
      if (!observed) {
        observed = true;
        if (failure !== null && req[UNOBSERVED] === failure.error) req[UNOBSERVED] = undefined;
      }
      return then.apply(this, args);
    },
  });
  return promise;
}

/** Call an app's callback; what it throws goes to Express's error handling rather than crashing the process. */
function callBack(req: FacadeRequest, callback: Callback, error: unknown): void {
  try {
    if (error === undefined) callback();
    else callback(error);
  } catch (thrown) {
    if (typeof req.next === 'function') req.next(thrown);
    else
      process.nextTick(() => {
        throw thrown;
      });
  }
}
