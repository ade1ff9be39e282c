// The Express adapter (Express 4 and 5): req.session with express-session's API over the framework-neutral core.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { toMilliseconds, type Duration } from '../core/duration.js';
import { SessionStateError, SessionStoreError } from '../core/errors.js';
import type { SessionContext } from '../core/session-context.js';
import type { Warden } from '../core/warden.js';
import { createSessionFacade, type ExpressSession } from './session-facade.js';

export type { ExpressSession } from './session-facade.js';

/**
 * An Express request once the middleware ran.
 * @example
 * app.get('/me', (req, res) => { const { session } = req as SessionRequest; res.json({ user: session.userId }) });
 */
export type SessionRequest = Request & {
  session: ExpressSession;
  sessionID: string | null;
  sessionContext: SessionContext;
};

/** Options of `createExpressMiddleware`. */
export interface ExpressMiddlewareOptions {
  /**
   * Answer a store failure; the default sends 503 with Retry-After and never lets the request continue as signed-in.
   * @default 503 response
   */
  onStoreError?: (error: SessionStoreError, req: Request, res: Response, next: NextFunction) => void;
}

/**
 * The middleware: validates the session cookie, exposes `req.session`, and saves changed data when the response finishes.
 * @example
 * app.use(createExpressMiddleware(warden));
 */
export function createExpressMiddleware(warden: Warden, options: ExpressMiddlewareOptions = {}): RequestHandler {
  const cookieName = warden.options.cookie.name;
  const onStoreError = options.onStoreError ?? sendStoreUnavailable;
  return async function sessionwardenMiddleware(req: Request, res: Response, next: NextFunction) {
    const onSetCookie = (value: string) => {
      if (res.headersSent) throw new SessionStateError('the session cookie changed after the response headers were sent; change the session before responding');
      replaceSessionCookie(res, cookieName, value);
      // A response that sets or clears the session cookie must never be stored by a shared cache.
      res.setHeader('Cache-Control', 'no-store');
    };
    let ctx: SessionContext;
    try {
      ctx = await warden.begin({
        cookie: req.headers.cookie,
        ip: req.socket.remoteAddress,
        forwardedFor: headerValue(req.headers['x-forwarded-for']),
        userAgent: req.headers['user-agent'],
        method: req.method,
        path: pathOf(req.originalUrl ?? req.url),
        onSetCookie,
      });
    } catch (error) {
      if (error instanceof SessionStoreError) {
        warden.reportStoreError(error, null, null);
        onStoreError(error, req, res, next);
        return;
      }
      next(error);
      return;
    }
    const request = req as SessionRequest;
    request.sessionContext = ctx;
    defineSessionIdGetter(Object.getPrototypeOf(request) as object);
    let saved = false;
    let watching = false;
    const saveChanges = () => {
      if (saved) return;
      saved = true;
      ctx.commit().catch((error: unknown) => {
        // An ended session refusing a late save is the no-resurrection rule working, not a failure.
        if (error instanceof SessionStateError) return;
        warden.reportStoreError(error, ctx.record, ctx.ip);
      });
    };
    // Saving at the end is needed only once data exists or is written: a plain authenticated read costs no listeners.
    const watch = () => {
      if (watching) return;
      watching = true;
      res.once('finish', saveChanges);
      res.once('close', saveChanges);
    };
    request.session = createSessionFacade(ctx, watch);
    if (Object.keys(ctx.data).length > 0) watch();
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
  if (!options || typeof options.loginUrl !== 'string' || !/^\/(?![/\\])/.test(options.loginUrl)) {
    throw new TypeError('sessionwarden: requireUser({ loginUrl }) needs a same-origin path such as "/login"');
  }
  return function sessionwardenRequireUser(req: Request, res: Response, next: NextFunction) {
    const ctx = (req as SessionRequest).sessionContext;
    if (ctx?.userId) return next();
    const reason = ctx?.endReason ?? null;
    if (wantsJson(req)) {
      res.status(401).setHeader('Cache-Control', 'no-store');
      res.json(reason ? { error: 'session_ended', reason } : { error: 'unauthenticated' });
      return;
    }
    const target = reason ? `${options.loginUrl}${options.loginUrl.includes('?') ? '&' : '?'}reason=${encodeURIComponent(reason)}` : options.loginUrl;
    res.redirect(303, target);
  };
}

/**
 * Require a recent authentication ("sudo mode"): older than `maxAge` gets 403 JSON `{"error":"reauthentication_required"}`
 * for fetch/JSON requests, or for HTML a 303 to `reauthUrl?returnTo=…` (this path for GET, else `returnTo` or "/").
 * @example
 * app.post('/account/sessions/revoke-others', requireFreshAuth({ maxAge: '10m', reauthUrl: '/reauthenticate' }), handler);
 */
export function requireFreshAuth(options: { maxAge: Duration; reauthUrl: string; returnTo?: string }): RequestHandler {
  if (!options || typeof options.reauthUrl !== 'string' || !/^\/(?![/\\])/.test(options.reauthUrl)) {
    throw new TypeError('sessionwarden: requireFreshAuth({ reauthUrl }) needs a same-origin path such as "/reauthenticate"');
  }
  toMilliseconds(options.maxAge, 'requireFreshAuth maxAge');
  return function sessionwardenRequireFreshAuth(req: Request, res: Response, next: NextFunction) {
    const ctx = (req as SessionRequest).sessionContext;
    if (ctx?.userId && ctx.isFresh(options.maxAge)) return next();
    res.setHeader('Cache-Control', 'no-store');
    if (!ctx?.userId) {
      res.status(401).json(ctx?.endReason ? { error: 'session_ended', reason: ctx.endReason } : { error: 'unauthenticated' });
      return;
    }
    if (wantsJson(req)) {
      res.status(403).json({ error: 'reauthentication_required', reauthUrl: options.reauthUrl });
      return;
    }
    const returnTo = encodeURIComponent(req.method === 'GET' ? pathOf(req.originalUrl ?? req.url) : (options.returnTo ?? '/'));
    res.redirect(303, `${options.reauthUrl}${options.reauthUrl.includes('?') ? '&' : '?'}returnTo=${returnTo}`);
  };
}

/**
 * Reject cross-site or token-less state changes with 403: Fetch Metadata / Origin checks plus the session's CSRF token
 * from the `_csrf` body field (parse bodies first) or the `X-CSRF-Token` header.
 * @example
 * app.post('/logout', express.urlencoded({ extended: false }), verifyCsrf(warden), handler);
 */
export function verifyCsrf(warden: Warden): RequestHandler {
  return function sessionwardenVerifyCsrf(req: Request, res: Response, next: NextFunction) {
    const ctx = (req as SessionRequest).sessionContext;
    const sameOrigin = warden.isSameOrigin({
      secFetchSite: headerValue(req.headers['sec-fetch-site']),
      origin: headerValue(req.headers.origin),
      referer: headerValue(req.headers.referer),
      host: headerValue(req.headers.host),
    });
    const body = req.body as Record<string, unknown> | undefined;
    const token = headerValue(req.headers['x-csrf-token']) ?? (body && typeof body === 'object' ? body._csrf : undefined);
    // Without a session there is nothing to forge a change to; the route decides what "no session" means.
    if (sameOrigin && (ctx?.record == null || ctx.verifyCsrf(token))) return next();
    warden.emit({ type: 'csrf-rejected', session: null, userId: ctx?.userId ?? null, ip: ctx?.ip ?? null, reason: sameOrigin ? 'bad-token' : 'cross-site' });
    res.status(403).setHeader('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ error: 'csrf' });
    else res.type('text/plain').send('Forbidden: the request did not come from this site.');
  };
}

/**
 * `req.sessionID` as a getter on the app's request prototype, defined once: a per-request defineProperty would turn
 * every request object into a slow dictionary-mode object for the rest of Express.
 */
function defineSessionIdGetter(prototype: object): void {
  if (Object.hasOwn(prototype, 'sessionID')) return;
  Object.defineProperty(prototype, 'sessionID', {
    configurable: true,
    get(this: Partial<SessionRequest>) {
      return this.sessionContext?.id ?? null;
    },
  });
}

function sendStoreUnavailable(_error: SessionStoreError, req: Request, res: Response): void {
  res.status(503).setHeader('Retry-After', '5');
  res.setHeader('Cache-Control', 'no-store');
  if (wantsJson(req)) res.json({ error: 'session_store_unavailable' });
  else res.type('text/plain').send('Service unavailable: sessions cannot be checked right now. Please try again shortly.');
}

/** Whether the client asked for JSON (fetch/XHR) rather than an HTML page. */
export function wantsJson(req: Request): boolean {
  const accept = req.headers.accept ?? '';
  if (accept.includes('application/json')) return true;
  if (accept.includes('text/html')) return false;
  return req.headers['x-requested-with'] === 'XMLHttpRequest' || headerValue(req.headers['sec-fetch-mode']) === 'cors';
}

function replaceSessionCookie(res: Response, name: string, value: string): void {
  const existing = res.getHeader('Set-Cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  const prefix = `${name}=`;
  res.setHeader('Set-Cookie', [...list.filter((cookie) => !cookie.startsWith(prefix)), value]);
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

export { expressRoutes } from './routes.js';
export { expressSessionRoutes, expressAdminRoutes } from './session-routes.js';
