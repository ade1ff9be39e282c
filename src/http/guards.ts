// The HTTP policy every adapter applies, written once: a signed-in user, a fresh sign-in, and the CSRF check.
import { toMilliseconds, type Duration } from '../core/duration.js';
import { SessionConfigError, type SessionRateLimitError } from '../core/errors.js';
import { originEvidence, preSessionCsrf, verifyPreSessionCsrf } from '../core/csrf.js';
import { safeReturnTo } from '../core/redirect.js';
import type { SessionContext } from '../core/session-context.js';
import type { Warden } from '../core/warden.js';
import { errorPage } from './error-page.js';
import { wantsJson } from './negotiate.js';
import { json, seeOther, unauthenticated } from './respond.js';
import type { PolicyRequest, RouteResponse } from './types.js';

/** `url` plus one query parameter. */
export function withQuery(url: string, name: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${name}=${encodeURIComponent(value)}`;
}

/**
 * A same-origin path option, checked at construction (a misconfiguration throws, naming the option).
 * @example
 * sameOriginPath('requireUser', 'loginUrl', '/login')
 */
export function sameOriginPath(owner: string, option: string, value: unknown): string {
  if (typeof value === 'string' && safeReturnTo(value, '') === value) return value;
  throw new SessionConfigError(`${owner}: ${option} must be a same-origin path starting with "/" such as "/login" (got ${JSON.stringify(value)})`);
}

/**
 * Without a signed-in user: 401 JSON for fetch/XHR (`session_ended` with the reason, or `unauthenticated`), or a 303
 * to `loginUrl` (with `?reason=` when the browser's session just ended). Null when a user is signed in.
 * @example
 * const refused = requireUserAnswer(request, '/login'); if (refused) return refused;
 */
export function requireUserAnswer(request: PolicyRequest, loginUrl: string): RouteResponse | null {
  if (request.session.userId !== null) return null;
  if (wantsJson(request.headers)) return unauthenticated(request.session.endReason);
  const reason = request.session.endReason;
  return seeOther(reason === null ? loginUrl : withQuery(loginUrl, 'reason', reason));
}

/** Options of the fresh-sign-in guard, validated once. */
export interface FreshAuthOptions {
  /** How recent the sign-in must be. */
  maxAge: Duration;
  /** The app's "confirm your password" page; HTML requests go there with `?returnTo=`. */
  reauthUrl: string;
  /** Where to come back to after a state change (GET requests come back to their own path). @default '/' */
  returnTo?: string;
}

/** A checked fresh-sign-in policy. */
export interface FreshAuthPolicy {
  readonly maxAgeMs: number;
  readonly reauthUrl: string;
  readonly returnTo: string;
}

/**
 * Validate fresh-sign-in options at construction.
 * @example
 * const policy = freshAuthPolicy('requireFreshAuth', { maxAge: '10m', reauthUrl: '/reauthenticate' });
 */
export function freshAuthPolicy(owner: string, options: FreshAuthOptions): FreshAuthPolicy {
  if (options === null || typeof options !== 'object') throw new SessionConfigError(`${owner} needs { maxAge, reauthUrl }`);
  return Object.freeze({
    maxAgeMs: toMilliseconds(options.maxAge, `${owner} maxAge`),
    reauthUrl: sameOriginPath(owner, 'reauthUrl', options.reauthUrl),
    returnTo: sameOriginPath(owner, 'returnTo', options.returnTo ?? '/'),
  });
}

/**
 * Require a recent sign-in ("sudo mode"): signed out is answered as `requireUserAnswer` does (to `loginUrl`); a stale
 * sign-in gets 403 JSON `reauthentication_required` for fetch/XHR, or a 303 to `reauthUrl?returnTo=`. Null when fresh.
 * @example
 * const refused = requireFreshAnswer(request, policy, '/login'); if (refused) return refused;
 */
export function requireFreshAnswer(request: PolicyRequest, policy: FreshAuthPolicy, loginUrl: string): RouteResponse | null {
  const signedOut = requireUserAnswer(request, loginUrl);
  if (signedOut !== null) return signedOut;
  if (request.session.isFresh(policy.maxAgeMs)) return null;
  if (wantsJson(request.headers)) return json(403, { error: 'reauthentication_required', reauthUrl: policy.reauthUrl });
  const returnTo = request.method === 'GET' || request.method === 'HEAD' ? request.path : policy.returnTo;
  return seeOther(withQuery(policy.reauthUrl, 'returnTo', returnTo));
}

/**
 * The CSRF check of a state-changing request (403 when refused, with `csrf-rejected` emitted; null when it may go on):
 * - a request from another site (Fetch Metadata, Origin or Referer foreign, `null` or unparsable) is always refused;
 * - with a session, the session's token (`X-CSRF-Token` header or `_csrf` field) is required;
 * - without a session (a sign-in form), positive evidence of this origin (Sec-Fetch-Site `same-origin`, or a trusted
 *   Origin or Referer) or a valid pre-session token (`preSessionCsrf`) is required: a client that sends none of these
 *   headers and no token is refused (fail closed).
 * The refusal says what happened: `cross-site`, `missing-token` or `bad-token` (JSON `reason`, and the page's text).
 * @example
 * const refused = csrfAnswer(warden, request); if (refused) return refused;
 */
export function csrfAnswer(warden: Warden, request: PolicyRequest): RouteResponse | null {
  const { headers, session } = request;
  const evidence = originEvidence({ secFetchSite: headers.secFetchSite, origin: headers.origin, referer: headers.referer, host: headers.host }, warden.options.origins);
  const token = headers.csrfToken ?? request.body?._csrf;
  let reason: 'cross-site' | 'missing-token' | 'bad-token';
  if (evidence === 'cross-site') reason = 'cross-site';
  else if (session.record !== null) {
    if (session.verifyCsrf(token)) return null;
    reason = tokenAbsent(token) ? 'missing-token' : 'bad-token';
  } else {
    if (evidence === 'same-origin' || verifyPreSessionCsrf(headers.cookie, token, warden.options.cookie)) return null;
    reason = tokenAbsent(token) ? 'missing-token' : 'bad-token';
  }
  warden.emit({ type: 'csrf-rejected', session: null, userId: session.userId, ip: session.ip, reason });
  if (wantsJson(headers)) return json(403, { error: 'csrf', reason });
  return errorPage(403, headers, 'csrfTitle', reason === 'cross-site' ? 'csrfCrossSiteText' : 'csrfText');
}

function tokenAbsent(token: unknown): boolean {
  return token === undefined || token === null || token === '';
}

/**
 * The hidden `_csrf` field of a form: the session's token, or for a visitor without a session (a sign-in form) the
 * pre-session token, whose cookie must then be sent (`setCookie`, null when the browser already has it).
 * @example
 * const { field, setCookie } = csrfFormField(warden, request.session, request.headers.cookie);
 */
export function csrfFormField(warden: Warden, session: SessionContext, cookieHeader: string | null | undefined): { token: string; field: string; setCookie: string | null } {
  const own = session.csrfToken;
  const { token, setCookie } = own === null ? preSessionCsrf(cookieHeader, warden.options.cookie) : { token: own, setCookie: null };
  // base64url: nothing to escape, and nothing that could leave the attribute.
  return { token, field: `<input type="hidden" name="_csrf" value="${token}">`, setCookie };
}

/**
 * The answer to a client the brute-force guard throttles: 429 with Retry-After.
 * @example
 * catch (error) { if (error instanceof SessionRateLimitError) return throttled(error); }
 */
export function throttled(error: SessionRateLimitError): RouteResponse {
  return json(429, { error: 'too_many_requests' }, { 'retry-after': String(error.retryAfter) });
}

/**
 * The fail-closed answer to a store failure: 503 with Retry-After; the request never goes on as signed in or anonymous.
 * @example
 * catch (error) { if (error instanceof SessionStoreError) return storeUnavailable(request.headers); }
 */
export function storeUnavailable(headers: PolicyRequest['headers']): RouteResponse {
  const retry = { 'retry-after': '5' };
  if (wantsJson(headers)) return json(503, { error: 'session_store_unavailable' }, retry);
  return errorPage(503, headers, 'unavailableTitle', 'unavailableText', retry);
}
