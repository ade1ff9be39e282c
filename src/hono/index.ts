// The Hono adapter: middleware on Web-standard Request/Response (the session is saved after `await next()`, before the
// response leaves), `c.get('session')` and `c.get('sessionwarden')` typed, the guards and the neutral routes.
import type { Context, MiddlewareHandler } from 'hono';
import { SessionConfigError, SessionStoreError } from '../core/errors.js';
import type { SessionContext } from '../core/session-context.js';
import type { SessionData as CoreData } from '../core/types.js';
import { Warden } from '../core/warden.js';
import { csrfAnswer, csrfFormField, freshAuthPolicy, requireFreshAnswer, requireUserAnswer, sameOriginPath, storeUnavailable, type FreshAuthOptions } from '../http/guards.js';
import { answerRoute, beginSession, fetchHeaders, finishSession, isSession, parseRouteBody, readWebBody, SESSION_COOKIE_CACHE_CONTROL, withSessionCookie } from '../http/lifecycle.js';
import { Cookie } from '../http/session-cookie.js';
import type { PolicyRequest, RouteHandler, RouteResponse } from '../http/types.js';

/**
 * The shape of your session data (augment it to type `c.get('session').get(…)`).
 * @example
 * declare module 'sessionwarden/hono' { interface SessionData { cart: string[] } }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what apps augment.
export interface SessionData {}

declare module 'hono' {
  interface ContextVariableMap {
    /** The session's data and its lifecycle (get/set/delete, regenerate, destroy, reload, save, touch). */
    session: HonoSession;
    /** sessionwarden's own view of the request's session: login, logout, rotate, the record, the CSRF token, … */
    sessionwarden: SessionContext;
  }
}

/** Hono's Env for apps that type their variables explicitly: `new Hono<SessionwardenEnv>()`. */
export interface SessionwardenEnv {
  Variables: { session: HonoSession; sessionwarden: SessionContext };
}

/**
 * `c.get('session')`: the session's data through get/set/delete, and the same lifecycle as @fastify/session's. Login,
 * logout and the rest of sessionwarden are on `c.get('sessionwarden')`.
 * @example
 * const session = c.get('session'); session.set('visits', (session.get('visits') ?? 0) + 1);
 */
export class HonoSession {
  readonly #ctx: SessionContext;
  #cookie: Cookie | null = null;

  constructor(ctx: SessionContext) {
    this.#ctx = ctx;
  }

  /** The session's public id (never the secret); a new visitor's is fixed on first read. */
  get sessionId(): string {
    return this.#ctx.reserveId();
  }

  /** The session cookie's lifetime (`maxAge`, `expires`; the other attributes are the warden's). */
  get cookie(): Cookie {
    const data = this.#ctx.data as { cookie?: unknown };
    if (this.#cookie === null || data.cookie !== this.#cookie) {
      this.#cookie = new Cookie(this.#ctx, data.cookie);
      data.cookie = this.#cookie;
    }
    return this.#cookie;
  }

  /** A value of the session's data. */
  get<K extends keyof SessionData>(key: K): SessionData[K] | undefined {
    return (this.#ctx.data as Partial<SessionData>)[key];
  }

  /** Set a value of the session's data (saved before the response goes out). */
  set<K extends keyof SessionData>(key: K, value: SessionData[K]): void {
    (this.#ctx.data as Partial<SessionData>)[key] = value;
  }

  /** Remove a key of the session's data. */
  delete(key: keyof SessionData): void {
    delete (this.#ctx.data as Partial<SessionData>)[key];
  }

  /** Whether the data changed since they were loaded or last saved. */
  isModified(): boolean {
    return this.#ctx.isDirty();
  }

  /** Restart the cookie's lifetime (a persistent cookie is sent again with a new Max-Age). */
  touch(): void {
    const cookie = this.cookie;
    cookie.maxAge = cookie.originalMaxAge;
    this.#ctx.refreshCookie();
  }

  /** Start over with a new, empty session (the current one ends); `keep` names data keys to carry over. */
  async regenerate(keep: (keyof SessionData)[] = []): Promise<void> {
    const data = this.#ctx.data as Record<string, unknown>;
    const kept = keep.map((key) => [key as string, data[key as string]] as const);
    await this.#ctx.regenerate();
    for (const [key, value] of kept) if (value !== undefined) (this.#ctx.data as CoreData)[key] = value;
  }

  /** End the session (reason `logout`) and clear its cookie; the session is empty afterwards. */
  destroy(): Promise<void> {
    return this.#ctx.logout();
  }

  /** Read the session again from the store (fails when it ended meanwhile). */
  reload(): Promise<void> {
    return this.#ctx.reload();
  }

  /** Save the data now (they are saved before the response goes out anyway). */
  save(): Promise<void> {
    return this.#ctx.save();
  }
}

/** Options of the middleware. */
export interface HonoMiddlewareOptions {
  /** Send the session cookie on every response (a persistent cookie's Max-Age restarts with each request). @default false */
  rolling?: boolean;
  /** Store a new visitor's session even when nothing was written to it. @default false */
  saveUninitialized?: boolean;
  /**
   * The client's socket address (the warden applies `trustedProxies` to X-Forwarded-For after it). The default reads
   * @hono/node-server's `c.env.incoming`; on other runtimes pass their way (Bun: `server.requestIP`).
   */
  clientAddress?: (c: Context) => string | null | undefined;
}

/** @hono/node-server binds the Node request as `c.env.incoming`. */
function nodeAddress(c: Context): string | undefined {
  return (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
}

/**
 * The middleware: validates the session cookie (a store failure answers 503 at once), sets `c.get('session')` and
 * `c.get('sessionwarden')`, and after the app answered saves changed data and adds the session cookie, before the
 * response leaves.
 * @example
 * app.use(sessionwarden(warden));
 */
export function sessionwarden(warden: Warden, options: HonoMiddlewareOptions = {}): MiddlewareHandler {
  if (!(warden instanceof Warden)) throw new SessionConfigError('sessionwarden(warden) for Hono needs a warden (from createWarden())');
  const rolling = options.rolling === true;
  const saveUninitialized = options.saveUninitialized === true;
  const clientAddress = options.clientAddress ?? nodeAddress;
  return async function sessionwardenMiddleware(c, next) {
    // Mounted twice (on a sub-app and its parent): the first one owns the session.
    if (c.get('sessionwarden') !== undefined) return next();
    const request = c.req.raw;
    const headers = request.headers;
    const begun = await beginSession(
      warden,
      { cookie: headers.get('cookie'), ip: clientAddress(c), forwardedFor: headers.get('x-forwarded-for'), userAgent: headers.get('user-agent'), method: request.method, path: c.req.path },
      () => fetchHeaders(headers),
    );
    if (!isSession(begun)) return toResponse(begun);
    if (saveUninitialized) begun.storeEmpty = true;
    c.set('sessionwarden', begun);
    c.set('session', new HonoSession(begun));
    await next();
    let cookie: string | null;
    try {
      cookie = await finishSession(begun, rolling);
    } catch (error) {
      if (!(error instanceof SessionStoreError)) throw error;
      // The save did not land: fail closed, the app's answer is dropped (headers and all).
      c.res = undefined;
      c.res = toResponse(storeUnavailable(fetchHeaders(headers)));
      return;
    }
    if (cookie !== null) setSessionCookie(c, cookie);
  };
}

/** Put the session cookie on the app's response (copying it first when its headers are immutable, e.g. a fetch()). */
function setSessionCookie(c: Context, cookie: string): void {
  let response = c.res;
  try {
    apply(response.headers, cookie);
  } catch {
    response = new Response(response.body, response);
    apply(response.headers, cookie);
    c.res = undefined;
    c.res = response;
  }
}

function apply(headers: Headers, cookie: string): void {
  const list = withSessionCookie(headers.getSetCookie(), cookie);
  headers.delete('set-cookie');
  for (const value of list) headers.append('set-cookie', value);
  headers.set('cache-control', SESSION_COOKIE_CACHE_CONTROL);
}

/**
 * Mount a route group (`sessionRoutes`, `adminRoutes`, `pingRoutes` from `sessionwarden/pages`) as middleware: requests
 * it claims are answered (the body read here, bounded), the rest go on. Use it after `sessionwarden(warden)`.
 * @example
 * app.use(honoRoutes(sessionRoutes(warden, { base: '/account/sessions' })));
 */
export function honoRoutes(handler: RouteHandler): MiddlewareHandler {
  return async function sessionwardenRoutes(c, next) {
    const session = c.get('sessionwarden');
    if (session === undefined) throw new SessionConfigError('use sessionwarden(warden) before honoRoutes()');
    const request = c.req.raw;
    const url = new URL(request.url);
    const answer = await answerRoute(handler, {
      method: request.method,
      url: url.pathname + url.search,
      headers: fetchHeaders(request.headers),
      session,
      // Read here (bounded) unless the app already had Hono parse it: then from Hono's copy.
      body: async () => (request.bodyUsed ? parseRouteBody(await c.req.text(), request.headers.get('content-type')) : readWebBody(request.body, request.headers.get('content-type'))),
    });
    if (answer === null) return next();
    return toResponse(answer);
  };
}

/**
 * Require a signed-in user: fetch/JSON requests get 401 JSON (`session_ended` with the reason, or `unauthenticated`),
 * HTML navigations a 303 to `loginUrl` with `?reason=`.
 * @example
 * app.get('/account', requireUser({ loginUrl: '/login' }), handler);
 */
export function requireUser(options: { loginUrl: string }): MiddlewareHandler {
  const loginUrl = sameOriginPath('requireUser', 'loginUrl', options?.loginUrl);
  return async function sessionwardenRequireUser(c, next) {
    const refused = requireUserAnswer(await policyRequestOf(c, false), loginUrl);
    if (refused !== null) return toResponse(refused);
    return next();
  };
}

/**
 * Require a recent sign-in ("sudo mode"): a stale one gets 403 JSON `reauthentication_required`, or for HTML a 303 to
 * `reauthUrl?returnTo=…`; signed-out requests are answered as by `requireUser`.
 * @example
 * app.post('/account/delete', requireFreshAuth({ maxAge: '10m', reauthUrl: '/reauthenticate' }), handler);
 */
export function requireFreshAuth(options: FreshAuthOptions & { loginUrl?: string }): MiddlewareHandler {
  const policy = freshAuthPolicy('requireFreshAuth', options);
  const loginUrl = sameOriginPath('requireFreshAuth', 'loginUrl', options.loginUrl ?? '/login');
  return async function sessionwardenRequireFreshAuth(c, next) {
    const refused = requireFreshAnswer(await policyRequestOf(c, false), policy, loginUrl);
    if (refused !== null) return toResponse(refused);
    return next();
  };
}

/**
 * Refuse cross-site or token-less state changes with 403: Fetch Metadata / Origin checks plus the session's CSRF token
 * from the `X-CSRF-Token` header or the `_csrf` field of a form or JSON body (parsed through Hono, which keeps it for
 * the handler).
 * @example
 * app.post('/logout', verifyCsrf(warden), handler);
 */
export function verifyCsrf(warden: Warden): MiddlewareHandler {
  return async function sessionwardenVerifyCsrf(c, next) {
    const refused = csrfAnswer(warden, await policyRequestOf(c, true));
    if (refused !== null) return toResponse(refused);
    return next();
  };
}

/**
 * The CSRF token for a form on this page: the session's, or for a visitor without a session (a sign-in form) the
 * pre-session token, whose cookie is added to the response. Render it as the form's hidden `_csrf` field.
 * @example
 * const token = formCsrfToken(warden, c);
 */
export function formCsrfToken(warden: Warden, c: Context): string {
  const session = c.get('sessionwarden') as SessionContext | undefined;
  if (session === undefined) throw new SessionConfigError('use sessionwarden(warden) before formCsrfToken()');
  const { token, setCookie } = csrfFormField(warden, session, c.req.header('cookie'));
  if (setCookie !== null) c.header('set-cookie', setCookie, { append: true });
  return token;
}

/** The neutral view of a Hono request for the policy; the body only when asked for and no header token was sent. */
async function policyRequestOf(c: Context, withBody: boolean): Promise<PolicyRequest> {
  const session = c.get('sessionwarden');
  if (session === undefined) throw new SessionConfigError('use sessionwarden(warden) before its guards');
  const headers = fetchHeaders(c.req.raw.headers);
  let body: Record<string, unknown> | null = null;
  if (withBody && headers.csrfToken === undefined && c.req.method !== 'GET' && c.req.method !== 'HEAD') body = await bodyOf(c, headers.contentType);
  return { method: c.req.method, path: c.req.path, headers, body, session };
}

async function bodyOf(c: Context, contentType: string | undefined): Promise<Record<string, unknown> | null> {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  try {
    if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') return (await c.req.parseBody()) as Record<string, unknown>;
    if (type === 'application/json') {
      const value: unknown = await c.req.json();
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    }
  } catch {
    // A malformed body has no token in it: the check refuses the request.
  }
  return null;
}

/** A neutral response as a Web-standard Response. */
function toResponse(response: RouteResponse): Response {
  return new Response(response.body as BodyInit, { status: response.status, headers: response.headers });
}
