// The checks every state-changing route makes before acting: method, same origin and the session's CSRF token.
import type { Warden } from '../core/warden.js';
import { json } from './respond.js';
import type { RouteRequest, RouteResponse } from './types.js';

/**
 * A 403 when the request is cross-site or lacks this session's CSRF token (header or `_csrf` field), else null.
 * @example
 * const refused = checkStateChange(warden, request); if (refused) return refused;
 */
export function checkStateChange(warden: Warden, request: RouteRequest): RouteResponse | null {
  const { headers, session } = request;
  const sameOrigin = warden.isSameOrigin({ secFetchSite: headers.secFetchSite, origin: headers.origin, referer: headers.referer, host: headers.host });
  const token = headers.csrfToken ?? request.body?._csrf;
  if (sameOrigin && session.verifyCsrf(token)) return null;
  warden.emit({ type: 'csrf-rejected', session: null, userId: session.userId, ip: session.ip, reason: sameOrigin ? 'bad-token' : 'cross-site' });
  return json(403, { error: 'csrf' });
}
