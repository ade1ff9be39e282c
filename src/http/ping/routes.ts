// The activity ping (POST <base>/ping, or `{ logout: true }` to sign out) and the browser script file (GET <base>/client.<hash>.js).
import { clientCode, clientHash } from '../../client/generated/bundle.js';
import { SessionConfigError } from '../../core/errors.js';
import type { Warden } from '../../core/warden.js';
import { csrfAnswer } from '../guards.js';
import { json, methodNotAllowed, notFound, unauthenticated } from '../respond.js';
import type { RouteHandler, RouteRequest, RouteResponse } from '../types.js';

/**
 * Options of `pingRoutes`.
 * @example
 * pingRoutes(warden, { base: '/session' })
 */
export interface PingRoutesOptions {
  /** Where the routes live: `<base>/ping` and `<base>/client.<hash>.js`. @default '/session' */
  base?: string;
  /** Pings allowed per session per minute before 429 (every open tab pings at most a few times a minute). @default 60 */
  maxPingsPerMinute?: number;
  /**
   * The `Clear-Site-Data` header of "Sign out now" (`{ logout: true }`); false sends none.
   * @default '"cookies", "storage"'
   */
  clearSiteData?: string | false;
}

/** The longest reported idle time accepted (a year, in seconds); anything else that is not a number ≥ 0 is malformed. */
const MAX_IDLE_FOR = 31_536_000;

/**
 * The ping's `idleFor`: undefined when absent (no activity signal), a number of seconds, or 'malformed'.
 * @example
 * readIdleFor({ idleFor: 30 }) // 30
 */
export function readIdleFor(body: Record<string, unknown> | null): number | undefined | 'malformed' {
  if (body === null || !Object.hasOwn(body, 'idleFor')) return undefined;
  const value = body.idleFor;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_IDLE_FOR ? value : 'malformed';
}

/** The ping routes plus the URLs a page needs. */
export interface PingRoutes extends RouteHandler {
  readonly pingUrl: string;
  readonly scriptUrl: string;
}

/**
 * Build the ping and script routes; the ping path is registered as passive (it never counts as activity by itself).
 * @example
 * const ping = pingRoutes(warden, { base: '/session' }); app.use(expressRoutes(ping));
 */
export function pingRoutes(warden: Warden, options: PingRoutesOptions = {}): PingRoutes {
  const base = (options.base ?? '/session').replace(/\/$/, '');
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(base) || base.includes('//')) throw new SessionConfigError('pingRoutes base must be a path such as "/session"');
  const max = options.maxPingsPerMinute ?? 60;
  const clearSiteData = options.clearSiteData ?? '"cookies", "storage"';
  if (clearSiteData !== false && typeof clearSiteData !== 'string') throw new SessionConfigError('pingRoutes clearSiteData must be a header value such as \'"cookies"\' or false');
  if (!Number.isInteger(max) || max < 1) throw new SessionConfigError('pingRoutes maxPingsPerMinute must be a whole number >= 1');
  const pingUrl = `${base}/ping`;
  const scriptUrl = `${base}/client.${clientHash}.js`;
  const scriptPattern = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/client\\.[A-Za-z0-9_-]+\\.js$`);
  warden.markPassive(pingUrl);
  const limiter = createWindowLimiter(max, 60_000, () => warden.now());

  async function handlePing(request: RouteRequest): Promise<RouteResponse> {
    if (request.method !== 'POST') return methodNotAllowed(request, 'POST');
    const ctx = request.session;
    // No live session: nothing can change, so the page is told at once (there is no token to check it against).
    if (ctx.record === null && warden.isSameOrigin({ secFetchSite: request.headers.secFetchSite, origin: request.headers.origin, referer: request.headers.referer, host: request.headers.host })) {
      return unauthenticated(ctx.endReason);
    }
    const refused = csrfAnswer(warden, request);
    if (refused) return refused;
    const retryAfter = limiter.hit(ctx.id ?? 'anonymous');
    if (retryAfter !== null) return json(429, { error: 'too_many_requests' }, { 'retry-after': String(retryAfter) });
    if (request.body?.logout === true) {
      // "Sign out now" in the warning: the same logout as the app's, answered as an ended session.
      await ctx.logout();
      return json(401, { error: 'session_ended', reason: 'logout' }, clearSiteData === false ? {} : { 'clear-site-data': clearSiteData });
    }
    const idleFor = readIdleFor(request.body);
    // SEC-24: a malformed activity report is refused and changes nothing.
    if (idleFor === 'malformed') return json(400, { error: 'bad_request', field: 'idleFor' });
    const reply = await warden.ping(ctx, idleFor);
    if ('ended' in reply) return json(401, { error: 'session_ended', reason: reply.ended });
    return json(200, reply);
  }

  const handler = async function sessionwardenPingRoutes(request: RouteRequest): Promise<RouteResponse | null> {
    if (request.path === pingUrl) return handlePing(request);
    if (scriptPattern.test(request.path)) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed(request, 'GET, HEAD');
      // Only the current hash is served: an old page asking for an old file gets a clean 404, not stale code.
      if (request.path !== scriptUrl) return notFound(request);
      return {
        status: 200,
        headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=31536000, immutable', 'x-content-type-options': 'nosniff' },
        body: request.method === 'HEAD' ? '' : clientCode,
      };
    }
    return null;
  };
  return Object.assign(handler, { pingUrl, scriptUrl, claims: (path: string) => path === pingUrl || scriptPattern.test(path) });
}

/** A fixed-window counter per key; returns seconds to wait when over the limit, else null. */
function createWindowLimiter(max: number, windowMs: number, now: () => number): { hit(key: string): number | null } {
  let windowStart = now();
  let counts = new Map<string, number>();
  return {
    hit(key) {
      const t = now();
      // Dropping the whole map each window keeps memory bounded by the sessions active in one minute.
      if (t - windowStart >= windowMs) {
        windowStart = t;
        counts = new Map();
      }
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return count > max ? Math.max(1, Math.ceil((windowStart + windowMs - t) / 1000)) : null;
    },
  };
}
