// Small response builders shared by the routes: JSON, HTML with a CSP nonce, redirects, and uniform errors.
import { randomBytes } from 'node:crypto';
import type { EndReason } from '../core/types.js';
import { errorPage } from './error-page.js';
import { wantsJson } from './negotiate.js';
import type { RouteRequest, RouteResponse } from './types.js';

const NO_STORE = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' } as const;

/**
 * A JSON response that no cache keeps.
 * @example
 * json(200, { ok: true })
 */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers: { ...NO_STORE, 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

/**
 * A plain-text response that no cache keeps.
 * @example
 * text(403, 'Forbidden')
 */
export function text(status: number, body: string, headers: Record<string, string> = {}): RouteResponse {
  return { status, headers: { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8', ...headers }, body };
}

/**
 * An HTML page with its own strict CSP; `render` receives the nonce for its `<style>` element.
 * @example
 * page(200, (nonce) => `<style nonce="${nonce}">…</style>`)
 */
export function page(status: number, render: (nonce: string) => string, headers: Record<string, string> = {}, scripts = false): RouteResponse {
  const nonce = randomBytes(16).toString('base64');
  // Pages that load the idle script allow exactly that nonce'd script and its same-origin pings.
  const scriptPolicy = scripts ? `script-src 'nonce-${nonce}'; connect-src 'self'; ` : '';
  return {
    status,
    headers: {
      ...NO_STORE,
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'none'; ${scriptPolicy}style-src 'nonce-${nonce}'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      'referrer-policy': 'same-origin',
      ...headers,
    },
    body: render(nonce),
  };
}

/**
 * A 303 redirect to a same-origin path.
 * @example
 * seeOther('/account/sessions?done=1')
 */
export function seeOther(location: string, headers: Record<string, string> = {}): RouteResponse {
  return { status: 303, headers: { ...NO_STORE, location, ...headers }, body: '' };
}

/**
 * The one "not found" every unknown, foreign or ended id gets (identical bytes, SEC-35): JSON, or a translated page.
 * @example
 * return notFound(request);
 */
export function notFound(request: RouteRequest): RouteResponse {
  return wantsJson(request.headers) ? json(404, { error: 'not_found' }) : errorPage(404, request.headers, 'notFoundTitle', 'notFoundText');
}

/**
 * 405 for a method the route does not accept (state changes are never GET).
 * @example
 * return methodNotAllowed(request, 'POST, DELETE');
 */
export function methodNotAllowed(request: RouteRequest, allow: string): RouteResponse {
  const headers = { allow };
  return wantsJson(request.headers) ? json(405, { error: 'method_not_allowed' }, headers) : errorPage(405, request.headers, 'methodNotAllowedTitle', 'methodNotAllowedText', headers);
}

/**
 * 401 JSON for a request without a live session: `session_ended` with the reason when the browser's session just
 * ended (the browser that held it is told why), else `unauthenticated`.
 * @example
 * if (!request.session.userId) return unauthenticated(request.session.endReason);
 */
export function unauthenticated(reason: EndReason | null): RouteResponse {
  return json(401, reason ? { error: 'session_ended', reason } : { error: 'unauthenticated' });
}
