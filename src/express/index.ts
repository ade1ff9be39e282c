/// <reference path="./express-session-types.ts" preserve="true" />
// The Express adapter (Express 4 and 5): maps Express's request and response onto the core and the neutral HTTP policy.
import { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Session as SessionShape, SessionData as ExpressSessionData } from 'express-session';
import { SessionRateLimitError, SessionStoreError } from '../core/errors.js';
import type { SessionContext } from '../core/session-context.js';
import type { Warden } from '../core/warden.js';
import { csrfAnswer, csrfFormField, freshAuthPolicy, requireFreshAnswer, requireUserAnswer, sameOriginPath, storeUnavailable, throttled, type FreshAuthOptions } from '../http/guards.js';
import { nodeHeaders, nodeRequestInput, pathOf } from '../http/lifecycle.js';
import type { PolicyRequest, RequestHeaders, RouteResponse } from '../http/types.js';
import { holdResponsesUntilSaved } from './hold-response.js';
import { ABSENT, UNOBSERVED } from './session-facade.js';
import { BEFORE, defineSessionGetters, SETTINGS, sharedPrototype, type AdapterRequest, type AdapterSettings } from './request-accessors.js';

export { Cookie, Session } from './session-facade.js';
export { expressRoutes } from './routes.js';

/**
 * The shape of your session data, declared by your app (express-session's `SessionData` extends it, so either module
 * can be augmented).
 * @example
 * declare module 'sessionwarden/express' { interface SessionData { views: number } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what apps augment.
export interface SessionData {}

/** `req.session`: express-session's Session with your data's keys (as `@types/express-session` types it). */
export type ExpressSession = SessionShape & Partial<ExpressSessionData>;

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Express types its request through this namespace.
  namespace Express {
    interface Request {
      /** The session, as express-session has it: your data as properties (declared in `SessionData`), `cookie`, the methods. */
      session: import('express-session').Session & Partial<import('express-session').SessionData>;
      /** The session's public id (never the secret); a new visitor's is fixed on first read, as with express-session. */
      sessionID: string;
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
  /**
   * Send the session cookie on every response (express-session's `rolling`), so a persistent cookie's Max-Age
   * restarts with each request. @default false
   */
  rolling?: boolean;
  /** Store a new visitor's session even when nothing was written to it (express-session's `saveUninitialized`). @default false */
  saveUninitialized?: boolean;
  /**
   * What `req.session = null` does (express-session's `unset`): 'keep' leaves the stored session as it was (this
   * request's changes are dropped), 'destroy' ends it. @default 'keep'
   */
  unset?: 'keep' | 'destroy';
}

/**
 * The middleware: validates the session cookie, sets `req.session` and `req.sessionwarden`, and saves changed data
 * before the response completes.
 * @example
 * app.use(createExpressMiddleware(warden));
 */
export function createExpressMiddleware(warden: Warden, options: ExpressMiddlewareOptions = {}): RequestHandler {
  const onStoreError = options.onStoreError ?? ((_error, req, res) => send(res, storeUnavailable(headersOf(req))));
  if (options.unset !== undefined && options.unset !== 'keep' && options.unset !== 'destroy') {
    throw new TypeError('sessionwarden: unset must be "keep" or "destroy"');
  }
  const settings: AdapterSettings | undefined = options.rolling === true || options.unset === 'destroy' ? { rolling: options.rolling === true, unset: options.unset ?? 'keep' } : undefined;
  const saveUninitialized = options.saveUninitialized === true;
  let preparedRequests: object | null = null;
  return async function sessionwardenMiddleware(req: Request, res: Response, next: NextFunction) {
    // Defined once per Express (on the request and response prototypes every app and mounted app shares), so a request
    // allocates nothing for them and sub-apps see req.session too.
    const requestPrototype = Object.getPrototypeOf(req) as object;
    if (requestPrototype !== preparedRequests) {
      defineSessionGetters(sharedPrototype(req, IncomingMessage.prototype));
      holdResponsesUntilSaved(sharedPrototype(res, ServerResponse.prototype) as Response, { cookieFor, finish });
      preparedRequests = requestPrototype;
    }
    // Mounted twice, or another session middleware ran first: leave its session alone (as express-session does).
    if (req.sessionwarden !== undefined || (req as AdapterRequest)[BEFORE] !== undefined || Object.hasOwn(req, 'session')) return next();
    let ctx: SessionContext;
    try {
      ctx = await warden.begin(nodeRequestInput(req.headers, req.socket.remoteAddress, req.method, req.originalUrl ?? req.url));
    } catch (error) {
      if (error instanceof SessionRateLimitError) return send(res, throttled(error));
      if (!(error instanceof SessionStoreError)) return next(error);
      warden.reportStoreError(error, null, null);
      return onStoreError(error, req, res, next);
    }
    if (saveUninitialized) ctx.storeEmpty = true;
    if (settings !== undefined) (req as AdapterRequest)[SETTINGS] = settings;
    req.sessionwarden = ctx;
    next();
  };
}

/** The Set-Cookie value to add as the headers are written (hold-response's hook). */
function cookieFor(req: AdapterRequest): string | null {
  const ctx = req.sessionwarden;
  if (ctx === undefined) return null;
  // req.session = null: the stored session is left as it was ('keep'), or is ended in finish() ('destroy').
  if (req[ABSENT] !== undefined && req[ABSENT] === ctx.data && ctx.record !== null) return null;
  return ctx.headersDue(req[SETTINGS]?.rolling === true);
}

/** The work to finish before the response may end: the session's save, or null when there is nothing to do. */
function finish(req: AdapterRequest, headersSent: boolean): Promise<void> | null {
  const ctx = req.sessionwarden;
  if (ctx === undefined) return null;
  if (req[ABSENT] !== undefined && req[ABSENT] === ctx.data) {
    if (req[SETTINGS]?.unset === 'destroy' && ctx.record !== null) return ctx.logout().then(() => failIfUnheard(req));
    // 'keep': this request's changes are dropped; a save already under way still has to land.
    return req[UNOBSERVED] === undefined && !ctx.saving ? null : ctx.settle().then(() => failIfUnheard(req));
  }
  // Data written after the headers went out for a visitor without a session: no cookie can reach the browser now.
  if (headersSent && ctx.record === null && ctx.cookieHeader === null) return null;
  if (req[UNOBSERVED] === undefined && !ctx.saving && !ctx.isDirty()) return null;
  return ctx.commit().then(() => failIfUnheard(req));
}

/** A session call's failure that its caller never heard of: Express's error handling answers it. */
function failIfUnheard(req: AdapterRequest): void {
  const error = req[UNOBSERVED];
  if (error === undefined) return;
  req[UNOBSERVED] = undefined;
  throw error;
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

/**
 * The CSRF token for a form on this page: the session's, or for a visitor without a session (a sign-in form) the
 * pre-session token, whose cookie is set on `res` (`__Host-sw-csrf` when cookies are Secure). Render it as the form's
 * hidden `_csrf` field; `verifyCsrf(warden)` accepts it on the POST when the browser sends no Origin or Fetch Metadata.
 * @example
 * res.send(`<form method="post" action="/login"><input type="hidden" name="_csrf" value="${formCsrfToken(warden, req, res)}">…`);
 */
export function formCsrfToken(warden: Warden, req: Request, res: Response): string {
  if (req.sessionwarden === undefined) throw new Error('sessionwarden: mount createExpressMiddleware(warden) before calling formCsrfToken()');
  const { token, setCookie } = csrfFormField(warden, req.sessionwarden, req.headers.cookie);
  if (setCookie !== null) res.append('Set-Cookie', setCookie);
  return token;
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
  return nodeHeaders(req.headers);
}

/** @internal Send a neutral response. */
export function send(res: Response, response: RouteResponse): void {
  res.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  res.end(response.body);
}
