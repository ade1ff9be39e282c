// Cross-site request checks for state-changing requests: Fetch Metadata first, Origin/Referer as the fallback; and the
// pre-session CSRF token (a double-submit cookie) for forms shown to visitors without a session, such as sign-in.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readSessionCookie, type CookieSettings } from './cookie.js';

/** The request headers the cross-site check reads. */
export interface OriginHeaders {
  secFetchSite?: string | null;
  origin?: string | null;
  referer?: string | null;
  host?: string | null;
}

/**
 * Whether a state-changing request may come from where it says it comes from. A session-bound CSRF token is
 * still required on top of this (it is the defence when a browser sends no Fetch Metadata, Origin or Referer).
 * @example
 * isSameOriginRequest({ secFetchSite: 'cross-site' }, null) // false
 */
export function isSameOriginRequest(headers: OriginHeaders, allowedOrigins: ReadonlySet<string> | null): boolean {
  return originEvidence(headers, allowedOrigins) !== 'cross-site';
}

/** What the headers prove about where a request comes from. */
export type OriginEvidence = 'same-origin' | 'cross-site' | 'none';

/**
 * What a request's headers say about its source: `same-origin` only on positive evidence (Sec-Fetch-Site
 * `same-origin`, or an Origin or Referer of a trusted origin, and nothing foreign), `cross-site` on any foreign,
 * `null` or unparsable value, and `none` when the browser sent none of them (an old or unusual client).
 * @example
 * originEvidence({}, null) // 'none'
 */
export function originEvidence(headers: OriginHeaders, allowedOrigins: ReadonlySet<string> | null): OriginEvidence {
  const site = headers.secFetchSite;
  let evidence: OriginEvidence = 'none';
  if (typeof site === 'string' && site.length > 0) {
    if (site !== 'same-origin') return 'cross-site';
    evidence = 'same-origin';
  }
  const origin = headers.origin;
  if (typeof origin === 'string' && origin.length > 0) return originAllowed(origin, headers.host, allowedOrigins) ? 'same-origin' : 'cross-site';
  const referer = headers.referer;
  if (typeof referer === 'string' && referer.length > 0) {
    let refererOrigin: string;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      // An unparsable Referer proves nothing about the source: treat it as foreign.
      return 'cross-site';
    }
    return originAllowed(refererOrigin, headers.host, allowedOrigins) ? 'same-origin' : 'cross-site';
  }
  return evidence;
}

/** The pre-session CSRF cookie's name: `__Host-`-prefixed when cookies are Secure, so no sibling subdomain can plant it. */
export function preSessionCookieName(settings: Pick<CookieSettings, 'secure'>): string {
  return settings.secure ? '__Host-sw-csrf' : 'sw-csrf';
}

const PRE_SESSION_SECRET = /^[A-Za-z0-9_-]{43}$/;

/**
 * The pre-session CSRF token for a visitor without a session (a sign-in form): the cookie holds a random secret, the
 * form carries an HMAC keyed by it (a signed double submit: the field alone cannot forge the cookie, and a site that
 * cannot read or write this origin's cookies cannot produce a matching pair). Reuses the secret the request already
 * carries; `setCookie` is the Set-Cookie value to send, or null when the browser already has it.
 * @example
 * const { token, setCookie } = preSessionCsrf(req.headers.cookie, warden.options.cookie);
 */
export function preSessionCsrf(cookieHeader: string | null | undefined, settings: Pick<CookieSettings, 'secure' | 'sameSite'>): { token: string; setCookie: string | null } {
  const name = preSessionCookieName(settings);
  const found = readSessionCookie(cookieHeader, name);
  if (found.value !== null && PRE_SESSION_SECRET.test(found.value)) return { token: preSessionTokenOf(found.value), setCookie: null };
  const secret = randomBytes(32).toString('base64url');
  // A browser-session cookie, Path=/ (required by the __Host- prefix), never readable by scripts.
  const setCookie = `${name}=${secret}; Path=/; HttpOnly; SameSite=${settings.sameSite}${settings.secure ? '; Secure' : ''}`;
  return { token: preSessionTokenOf(secret), setCookie };
}

/**
 * Whether `presented` is the pre-session CSRF token of the secret in the request's cookie (constant time).
 * @example
 * verifyPreSessionCsrf(req.headers.cookie, req.body._csrf, warden.options.cookie)
 */
export function verifyPreSessionCsrf(cookieHeader: string | null | undefined, presented: unknown, settings: Pick<CookieSettings, 'secure'>): boolean {
  if (typeof presented !== 'string' || presented.length !== 43) return false;
  const found = readSessionCookie(cookieHeader, preSessionCookieName(settings));
  if (found.value === null || !PRE_SESSION_SECRET.test(found.value)) return false;
  const expected = Buffer.from(preSessionTokenOf(found.value));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(expected, given);
}

function preSessionTokenOf(secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'base64url')).update('sessionwarden:pre-session-csrf').digest('base64url');
}

function originAllowed(origin: string, host: string | null | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (origin === 'null') return false;
  if (allowed !== null) return allowed.has(origin);
  if (typeof host !== 'string' || host.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.host === host.toLowerCase();
}
