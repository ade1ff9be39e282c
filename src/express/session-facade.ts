// req.session for Express: express-session's Session (data as own properties, a Cookie, non-enumerable methods) over the request's SessionContext.
import type { Request } from 'express';
import type { Session as SessionShape } from 'express-session';
import { Cookie } from '../http/session-cookie.js';
import type { SessionContext } from '../core/session-context.js';
import type { SessionData } from '../core/types.js';

/** On a request: the session data `req.session` was unset or destroyed for (it reads undefined while that is current). */
export const ABSENT = Symbol('sessionwarden.absent');
/** On a request: the failure of a session call made without a callback whose promise nobody looked at. */
export const UNOBSERVED = Symbol('sessionwarden.unobserved');

/** The request a Session belongs to (the middleware ran: it has its SessionContext). */
export type FacadeRequest = Request & { [ABSENT]?: SessionData; [UNOBSERVED]?: unknown };

export { Cookie };

type Callback = (err?: any) => void;

function noop(): void {}

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
