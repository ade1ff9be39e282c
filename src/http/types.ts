// The framework-neutral route seam: handlers take a plain request description and return a plain response.
import type { SessionContext } from '../core/session-context.js';

/**
 * What a route handler sees of a request; adapters fill it from their framework.
 * @example
 * const response = await handler(routeRequest);
 */
export interface RouteRequest {
  method: string;
  /** The full path, without the query string. */
  path: string;
  query: URLSearchParams;
  headers: {
    accept?: string;
    acceptLanguage?: string;
    secFetchSite?: string;
    secFetchMode?: string;
    origin?: string;
    referer?: string;
    host?: string;
    contentType?: string;
    csrfToken?: string;
  };
  /** The parsed body (urlencoded or JSON), or null when there was none. */
  body: Record<string, unknown> | null;
  session: SessionContext;
}

/**
 * A route's answer; `null` from a handler means "not mine" (the adapter passes the request on).
 * @example
 * { status: 303, headers: { location: '/account/sessions' }, body: '' }
 */
export interface RouteResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/**
 * A mounted group of routes; `claims(path)` says, before any body is read, whether a path is one of its own.
 * @example
 * if (handler.claims(path)) response = await handler(request);
 */
export interface RouteHandler {
  (request: RouteRequest): Promise<RouteResponse | null>;
  claims(path: string): boolean;
}

/** Bodies larger than this are refused with 413 (the routes only ever need a few fields). */
export const MAX_BODY_BYTES = 8192;
