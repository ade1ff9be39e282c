// The session pages on Express: the user's own sessions and the admin listing, mounted after the session middleware.
import type { RequestHandler } from 'express';
import type { Warden } from '../core/warden.js';
import { adminRoutes, type AdminRoutesOptions } from '../http/admin/routes.js';
import { sessionRoutes, type SessionRoutesOptions } from '../http/sessions/routes.js';
import { expressRoutes } from './routes.js';

/**
 * Mount the signed-in user's session list and its end/end-all-others actions under `options.base`.
 * @example
 * app.use(expressSessionRoutes(warden, { base: '/account/sessions', reauthUrl: '/reauthenticate' }));
 */
export function expressSessionRoutes(warden: Warden, options: SessionRoutesOptions): RequestHandler {
  return expressRoutes(sessionRoutes(warden, options));
}

/**
 * Mount the admin listing of every session under `options.base`; non-admins fall through to the app's 404.
 * @example
 * app.use(expressAdminRoutes(warden, { base: '/admin/sessions', isAdmin: (userId) => userId === 'admin' }));
 */
export function expressAdminRoutes(warden: Warden, options: AdminRoutesOptions): RequestHandler {
  return expressRoutes(adminRoutes(warden, options));
}
