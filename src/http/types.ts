// The framework-neutral route seam: handlers take a plain request description and return a plain response.
import type { SessionContext } from '../core/session-context.js';

/** The request headers the policy and the routes read (adapters copy them from their framework's request). */
export interface RequestHeaders {
  accept?: string | undefined;
  acceptLanguage?: string | undefined;
  secFetchSite?: string | undefined;
  secFetchMode?: string | undefined;
  origin?: string | undefined;
  referer?: string | undefined;
  host?: string | undefined;
  contentType?: string | undefined;
  csrfToken?: string | undefined;
  xRequestedWith?: string | undefined;
  /** The raw Cookie header (the pages read their one-time confirmation from it). */
  cookie?: string | undefined;
}

/**
 * What the framework-neutral guards (signed-in user, fresh sign-in, CSRF) see of a request.
 * @example
 * const refused = requireUserAnswer(request, '/login');
 */
export interface PolicyRequest {
  method: string;
  /** The full path, without the query string. */
  path: string;
  headers: RequestHeaders;
  /** The parsed body (urlencoded or JSON), or null when there was none or it was not parsed. */
  body: Record<string, unknown> | null;
  session: SessionContext;
}

/**
 * What a route handler sees of a request; adapters fill it from their framework.
 * @example
 * const response = await handler(routeRequest);
 */
export interface RouteRequest extends PolicyRequest {
  query: URLSearchParams;
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
