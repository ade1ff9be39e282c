/// <reference path="../express/express-session-types.ts" preserve="true" />
// sessionwarden/express-session: `session(options)` with express-session's signature and options, over a warden of its own.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { CookieOptions as ExpressCookieOptions, Session as SessionShape, SessionData as ExpressSessionData, Cookie as CookieShape } from 'express-session';
import { SessionConfigError, type SessionStoreError } from '../core/errors.js';
import type { WardenOptions } from '../core/options.js';
import type { SessionStore } from '../core/types.js';
import { createWarden, type Warden } from '../core/warden.js';
import { createExpressMiddleware } from '../express/index.js';
import { memoryStore } from '../stores/memory/index.js';

export { Cookie, Session } from '../express/session-facade.js';
export type { SessionData } from 'express-session';
// Also what brings the Express adapter's typing of req.session, req.sessionID and req.sessionwarden into an app.
export type { ExpressSession } from '../express/index.js';

/** express-session's `cookie` option, as this entry takes it (see the README's table for what each does here). */
export type CookieOptions = ExpressCookieOptions;

/**
 * express-session's options, plus sessionwarden's own (`idleTimeout`, `absoluteTimeout`, `limit`, `userOf`, …).
 * @example
 * session({ secret: process.env.SESSION_SECRET!, resave: false, saveUninitialized: false, userOf: (data) => data.userId })
 */
export interface SessionOptions extends Omit<WardenOptions, 'cookie' | 'store' | 'importSecret' | 'insecureDevelopmentMode'> {
  /**
   * The secret(s) express-session signed its cookies with: sessions brought over by `sessionwarden import` are
   * recognised by it and upgraded on their first request. sessionwarden's own cookies are not signed (the server looks
   * every token up). @default none
   */
  secret?: string | Buffer | readonly (string | Buffer)[];
  /** The cookie's name; keep express-session's to keep users signed in. @default 'connect.sid' */
  name?: string;
  /** @deprecated express-session's old name for `name`. */
  key?: string;
  /** Cookie settings; what each does here is in the README. */
  cookie?: CookieOptions;
  /** A sessionwarden store (sqliteStore, memoryStore, …). An express-session store is refused: import its sessions. */
  store?: SessionStore;
  /** Send the cookie on every response, restarting a persistent cookie's Max-Age. @default false */
  rolling?: boolean;
  /** Accepted; unchanged data is never rewritten here (activity is recorded by the server, at most every touchInterval). */
  resave?: boolean;
  /** Store a new visitor's session even when nothing was written to it. @default false (express-session's default is true) */
  saveUninitialized?: boolean;
  /** What `req.session = null` does: 'keep' (the stored session stays, this request's changes are dropped) or 'destroy'. @default 'keep' */
  unset?: 'keep' | 'destroy';
  /** Accepted; it only tuned express-session's scheme detection, and the cookie here is always Secure. */
  proxy?: boolean;
  /** Refused: sessionwarden issues every id itself (a public id and a 32-byte secret from the CSPRNG). */
  genid?: never;
  /** Answer a store failure; the default sends 503 with Retry-After. */
  onStoreError?: (error: SessionStoreError, req: Request, res: Response, next: NextFunction) => void;
}

/** The middleware `session()` returns, with the warden it created (for the session pages, the CLI's store, revocation). */
export type SessionMiddleware = RequestHandler & { readonly warden: Warden };

const OWN_KEYS = new Set(['secret', 'name', 'key', 'cookie', 'store', 'rolling', 'resave', 'saveUninitialized', 'unset', 'proxy', 'genid', 'onStoreError']);
const COOKIE_KEYS = new Set(['maxAge', 'expires', 'httpOnly', 'path', 'domain', 'secure', 'sameSite', 'partitioned', 'priority']);

/**
 * express-session's `session(options)`: the same `req.session` and options, on a sessionwarden warden it creates
 * (exposed as `middleware.warden`). What cannot apply throws a SessionConfigError that says what to do.
 * @example
 * import session from 'sessionwarden/express-session';
 * app.use(session({ secret: 'keyboard cat', resave: false, saveUninitialized: false, cookie: { maxAge: 3_600_000 } }));
 */
function session(options: SessionOptions = {}): SessionMiddleware {
  if (options === null || typeof options !== 'object') throw new SessionConfigError('session() takes an options object');
  const wardenOptions: WardenOptions = {};
  for (const [key, value] of Object.entries(options)) {
    if (!OWN_KEYS.has(key)) (wardenOptions as Record<string, unknown>)[key] = value;
  }
  if (options.genid !== undefined) {
    throw new SessionConfigError('genid cannot apply: sessionwarden issues every session id itself (a public id plus a 32-byte secret from the CSPRNG); remove genid (req.sessionID still names the session in logs)');
  }
  if (options.store !== undefined) wardenOptions.store = sessionwardenStore(options.store);
  for (const [flag, value] of [['rolling', options.rolling], ['resave', options.resave], ['saveUninitialized', options.saveUninitialized], ['proxy', options.proxy]] as const) {
    if (value !== undefined && typeof value !== 'boolean') throw new SessionConfigError(`${flag} must be true or false`);
  }
  if (options.unset !== undefined && options.unset !== 'keep' && options.unset !== 'destroy') throw new SessionConfigError('unset must be "keep" or "destroy"');
  if (options.secret !== undefined) {
    const secrets = Array.isArray(options.secret) ? options.secret : [options.secret];
    if (secrets.length === 0) throw new SessionConfigError('secret must be a string or Buffer, or an array of one or more (newest first)');
    wardenOptions.importSecret = secrets as string[];
  }
  const { cookie, insecure } = cookieOptions(options.cookie, options.name ?? options.key ?? 'connect.sid');
  wardenOptions.cookie = cookie;
  if (insecure) wardenOptions.insecureDevelopmentMode = true;
  const warden = createWarden(wardenOptions);
  const { maxAge } = warden.options.cookie;
  if (maxAge !== null && maxAge > warden.options.absoluteTimeout) {
    throw new SessionConfigError(
      `cookie.maxAge (${maxAge} ms) is longer than absoluteTimeout (${warden.options.absoluteTimeout} ms): the session would end before its cookie. ` +
        "Give the lifetime you mean to the server too, e.g. session({ …, absoluteTimeout: '30d', idleTimeout: '7d' }), or shorten cookie.maxAge",
    );
  }
  const middleware = createExpressMiddleware(warden, {
    rolling: options.rolling === true,
    saveUninitialized: options.saveUninitialized === true,
    unset: options.unset ?? 'keep',
    ...(options.onStoreError === undefined ? {} : { onStoreError: options.onStoreError }),
  });
  return Object.assign(middleware, { warden }) as SessionMiddleware;
}

/**
 * express-session's `MemoryStore`, as a sessionwarden memory store (for tests and demos; refused when
 * NODE_ENV=production, where express-session only warned).
 * @example
 * app.use(session({ store: new MemoryStore() }));
 */
export const MemoryStore = function MemoryStore() {
  return memoryStore();
} as unknown as new () => SessionStore;

/** A store as sessionwarden takes it; an express-session store (callback-style get/set/destroy) is refused with the way over. */
function sessionwardenStore(store: SessionStore): SessionStore {
  const methods = store as unknown as Record<string, unknown>;
  const isExpressSessionStore = typeof methods.set === 'function' && typeof methods.destroy === 'function' && typeof methods.create !== 'function';
  if (isExpressSessionStore) {
    throw new SessionConfigError(
      'store is an express-session store, which sessionwarden cannot use: import its sessions with `npx sessionwarden import --from <redis://…, postgres://… or sqlite:<file>> --store <sessionwarden store>` and pass that sessionwarden store (e.g. store: sqliteStore({ path: … })); users stay signed in',
    );
  }
  return store;
}

/** express-session's cookie options mapped onto the warden's, or refused with the reason. */
function cookieOptions(given: CookieOptions | undefined, name: string): { cookie: NonNullable<WardenOptions['cookie']>; insecure: boolean } {
  if (typeof given === 'function') {
    throw new SessionConfigError('cookie as a function cannot apply: the session cookie\'s attributes are fixed for the app (a per-request cookie could drop Secure or HttpOnly); give an object');
  }
  const options = given ?? {};
  for (const key of Object.keys(options)) {
    if (!COOKIE_KEYS.has(key)) throw new SessionConfigError(`cookie.${key} is not an option here (maxAge, expires, httpOnly, path, domain, secure, sameSite, partitioned, priority)`);
  }
  if (options.httpOnly === false) throw new SessionConfigError('cookie.httpOnly cannot be false: the session cookie is always HttpOnly, so page scripts (and XSS) cannot read it (SEC-07)');
  if (options.domain !== undefined) {
    throw new SessionConfigError('cookie.domain cannot apply: the session cookie is host-only, so no other subdomain can read or plant it (SEC-07); serve the app on one host, or let each host have its own sessions');
  }
  if (options.path !== undefined && options.path !== '/') {
    throw new SessionConfigError(`cookie.path must be "/" (got ${JSON.stringify(options.path)}): a path does not keep apps apart (the browser shares cookies across paths of a host); mount them on separate hosts`);
  }
  if (options.sameSite === 'none' || options.sameSite === 'auto') {
    throw new SessionConfigError(`cookie.sameSite ${JSON.stringify(options.sameSite)} cannot apply: it would send the session cookie with cross-site requests (CSRF); use 'lax' (the default) or 'strict'`);
  }
  if (options.expires !== undefined && options.expires !== null) {
    throw new SessionConfigError('cookie.expires (one date for every session) cannot apply: give cookie.maxAge in milliseconds (express-session itself resets each session\'s expiry from maxAge); a session can set req.session.cookie.expires');
  }
  if (options.maxAge !== undefined && options.maxAge !== null && (typeof options.maxAge !== 'number' || !Number.isFinite(options.maxAge) || options.maxAge < 0)) {
    throw new SessionConfigError('cookie.maxAge must be a number of milliseconds');
  }
  const insecure = options.secure === false;
  const cookie: NonNullable<WardenOptions['cookie']> = {
    name,
    requireHostPrefix: false,
    sameSite: options.sameSite === 'strict' || options.sameSite === true ? 'strict' : 'lax',
  };
  if (typeof options.maxAge === 'number') cookie.maxAge = options.maxAge;
  if (options.partitioned === true) cookie.partitioned = true;
  if (options.priority !== undefined) cookie.priority = options.priority;
  return { cookie, insecure };
}

/** The types as `@types/express-session` names them, reachable as `session.SessionOptions`, `session.Session`, … */
// eslint-disable-next-line @typescript-eslint/no-namespace, @typescript-eslint/no-redeclare -- a function and a types-only namespace merge.
declare namespace session {
  export type { SessionOptions, CookieOptions };
  export type Session = SessionShape;
  export type Cookie = CookieShape;
  export type SessionData = ExpressSessionData;
}

export default session;
