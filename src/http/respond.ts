// Small response builders shared by the routes: JSON, HTML with a CSP nonce, redirects, and uniform errors.
import { randomBytes } from 'node:crypto';
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
 * The one "not found" every unknown, foreign or ended id gets (identical bytes, SEC-35).
 * @example
 * return notFound(request);
 */
export function notFound(request: RouteRequest): RouteResponse {
  if (wantsJson(request)) return json(404, { error: 'not_found' });
  return { status: 404, headers: { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
}

/**
 * 405 for a method the route does not accept (state changes are never GET).
 * @example
 * return methodNotAllowed(request, 'POST, DELETE');
 */
export function methodNotAllowed(request: RouteRequest, allow: string): RouteResponse {
  const response = wantsJson(request) ? json(405, { error: 'method_not_allowed' }) : { status: 405, headers: { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' }, body: 'Method not allowed' };
  response.headers.allow = allow;
  return response;
}

/**
 * 401 for a request without a live session (with the end reason when the browser's session just ended).
 * @example
 * if (!request.session.userId) return unauthenticated(request);
 */
export function unauthenticated(request: RouteRequest): RouteResponse {
  const reason = request.session.endReason;
  return json(401, reason ? { error: 'session_ended', reason } : { error: 'unauthenticated' });
}

/**
 * Whether the client wants JSON (fetch/XHR or an explicit Accept) rather than a page.
 * @example
 * wantsJson(request) ? json(200, list) : page(200, render)
 */
export function wantsJson(request: RouteRequest): boolean {
  const accept = request.headers.accept ?? '';
  if (accept.includes('application/json')) return true;
  if (accept.includes('text/html')) return false;
  if ((request.headers.contentType ?? '').startsWith('application/json')) return true;
  return request.headers.secFetchMode === 'cors';
}
