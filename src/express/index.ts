// The Express adapter (Express 4 and 5): maps Express's request and response onto the core and the neutral HTTP policy.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SessionStoreError } from '../core/errors.js';
import type { SessionContext } from '../core/session-context.js';
import type { Warden } from '../core/warden.js';
import { csrfAnswer, freshAuthPolicy, requireFreshAnswer, requireUserAnswer, sameOriginPath, storeUnavailable, type FreshAuthOptions } from '../http/guards.js';
import type { PolicyRequest, RequestHeaders, RouteResponse } from '../http/types.js';
import { holdResponsesUntilSaved } from './hold-response.js';
import { createSessionFacade, type ExpressSession } from './session-facade.js';

export type { ExpressSession, SessionCookieView } from './session-facade.js';
export { expressRoutes } from './routes.js';

/**
 * The shape of your session data, declared by your app (as with `@types/express-session`):
 * @example
 * declare module 'sessionwarden/express' { interface SessionData { views: number } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what apps augment.
export interface SessionData {}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its request through this namespace.
  namespace Express {
    interface Request {
      /** The session, with express-session's API; your data's keys as declared in `SessionData`. */
      session: ExpressSession & Partial<SessionData>;
      /** The public id of the session (never the secret), or null while the visitor has none. */
      sessionID: string | null;
      /** sessionwarden's own view of the request's session: login, logout, rotate, the record, the CSRF token, … */
      sessionwarden: SessionContext;
    }
  }
}

/** Options of `createExpressMiddleware`. */
export interface ExpressMiddlewareOptions {
  /**
   * Answer a store failure; the default sends 503 with Retry-After and never lets the request continue.
   * @default 503 response
   */
  onStoreError?: (error: SessionStoreError, req: Request, res: Response, next: NextFunction) => void;
}

/**
 * The middleware: validates the session cookie, sets `req.session` and `req.sessionwarden`, and saves changed data
 * before the response completes.
 * @example
 * app.use(createExpressMiddleware(warden));
 */
export function createExpressMiddleware(warden: Warden, options: ExpressMiddlewareOptions = {}): RequestHandler {
  const onStoreError = options.onStoreError ?? ((_error, req, res) => send(res, storeUnavailable(headersOf(req))));
  let preparedRequests: object | null = null;
  return async function sessionwardenMiddleware(req: Request, res: Response, next: NextFunction) {
    let ctx: SessionContext;
    try {
      ctx = await warden.begin({
        cookie: req.headers.cookie,
        ip: req.socket.remoteAddress,
        forwardedFor: joined(req.headers['x-forwarded-for']),
        userAgent: req.headers['user-agent'],
        method: req.method,
        path: req.originalUrl ?? req.url,
      });
    } catch (error) {
      if (!(error instanceof SessionStoreError)) return next(error);
      warden.reportStoreError(error, null, null);
      return onStoreError(error, req, res, next);
    }
    req.sessionwarden = ctx;
    // Defined once per app (on its request and response prototypes), so a request allocates nothing for them.
    const requestPrototype = Object.getPrototypeOf(req) as object;
    if (requestPrototype !== preparedRequests) {
      defineSessionGetters(requestPrototype);
      holdResponsesUntilSaved(Object.getPrototypeOf(res) as Response);
      preparedRequests = requestPrototype;
    }
    next();
  };
}

/**
 * Require a signed-in user: fetch/JSON requests get 401 JSON (`session_ended` with the reason, or `unauthenticated`),
 * HTML navigations a 303 to `loginUrl` with `?reason=`.
 * @example
 * app.get('/account', requireUser({ loginUrl: '/login' }), handler);
 */
export function requireUser(options: { loginUrl: string }): RequestHandler {
  const loginUrl = sameOriginPath('requireUser', 'loginUrl', options?.loginUrl);
  return function sessionwardenRequireUser(req: Request, res: Response, next: NextFunction) {
    const refused = requireUserAnswer(policyRequestOf(req), loginUrl);
    if (refused === null) next();
    else send(res, refused);
  };
}

/**
 * Require a recent sign-in ("sudo mode"): a stale one gets 403 JSON `reauthentication_required` for fetch/JSON
 * requests, or for HTML a 303 to `reauthUrl?returnTo=…` (this path for GET, else `returnTo` or "/"); signed-out
 * requests are answered as by `requireUser` (to `loginUrl`, default "/login").
 * @example
 * app.post('/account/delete', requireFreshAuth({ maxAge: '10m', reauthUrl: '/reauthenticate' }), handler);
 */
export function requireFreshAuth(options: FreshAuthOptions & { loginUrl?: string }): RequestHandler {
  const policy = freshAuthPolicy('requireFreshAuth', options);
  const loginUrl = sameOriginPath('requireFreshAuth', 'loginUrl', options.loginUrl ?? '/login');
  return function sessionwardenRequireFreshAuth(req: Request, res: Response, next: NextFunction) {
    const refused = requireFreshAnswer(policyRequestOf(req), policy, loginUrl);
    if (refused === null) next();
    else send(res, refused);
  };
}

/**
 * Refuse cross-site or token-less state changes with 403: Fetch Metadata / Origin checks plus the session's CSRF
 * token from the `X-CSRF-Token` header or the `_csrf` body field (parse bodies first).
 * @example
 * app.post('/logout', express.urlencoded({ extended: false }), verifyCsrf(warden), handler);
 */
export function verifyCsrf(warden: Warden): RequestHandler {
  return function sessionwardenVerifyCsrf(req: Request, res: Response, next: NextFunction) {
    const refused = csrfAnswer(warden, policyRequestOf(req));
    if (refused === null) next();
    else send(res, refused);
  };
}

const FACADE = Symbol('sessionwarden.facade');

/**
 * `req.session` (built on first use) and `req.sessionID` as accessors on the app's request prototype, defined once:
 * a per-request defineProperty would turn every request object into a slow dictionary-mode object.
 */
function defineSessionGetters(prototype: object): void {
  if (Object.hasOwn(prototype, FACADE)) return;
  Object.defineProperty(prototype, FACADE, { value: undefined, writable: true });
  Object.defineProperty(prototype, 'session', {
    configurable: true,
    get(this: Request & { [FACADE]?: ExpressSession }) {
      const ctx = this.sessionwarden;
      if (ctx === undefined) return undefined;
      return (this[FACADE] ??= createSessionFacade(ctx));
    },
    set(this: Request & { [FACADE]?: unknown }, value: unknown) {
      this[FACADE] = value;
    },
  });
  Object.defineProperty(prototype, 'sessionID', {
    configurable: true,
    get(this: Partial<Request>) {
      return this.sessionwarden?.id ?? null;
    },
  });
}

/** @internal The neutral view of an Express request for the policy (the middleware must have run). */
export function policyRequestOf(req: Request): PolicyRequest {
  const body: unknown = req.body;
  return {
    method: req.method,
    path: pathOf(req.originalUrl ?? req.url),
    headers: headersOf(req),
    body: body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : null,
    session: req.sessionwarden,
  };
}

/** @internal The headers the policy reads. */
export function headersOf(req: Request): RequestHeaders {
  const headers = req.headers;
  return {
    accept: headers.accept,
    acceptLanguage: headers['accept-language'],
    secFetchSite: first(headers['sec-fetch-site']),
    secFetchMode: first(headers['sec-fetch-mode']),
    origin: first(headers.origin),
    referer: headers.referer,
    host: headers.host,
    contentType: headers['content-type'],
    csrfToken: first(headers['x-csrf-token']),
    xRequestedWith: first(headers['x-requested-with']),
    cookie: headers.cookie,
  };
}

/** @internal Send a neutral response. */
export function send(res: Response, response: RouteResponse): void {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}
