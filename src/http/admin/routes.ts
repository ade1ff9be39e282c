// The admin session routes: every session with search, filters and cursor pages; end one session or all of a user's.
import { SessionConfigError } from '../../core/errors.js';
import type { SessionPage } from '../../core/types.js';
import type { Warden } from '../../core/warden.js';
import { wantsJson } from '../negotiate.js';
import { json, notFound } from '../respond.js';
import type { RouteRequest, RouteResponse } from '../types.js';
import { afterChange, refuseMethod, resolvePageOptions, runRoute, scriptFor, segmentsUnder, textsFor, toAdminSessionView, type BaseRoutes, type PageOptions, type Route } from '../view.js';
import { filterQuery, filtersOf, renderAdminPage, searchOf } from './page.js';

/**
 * Options of `adminRoutes`.
 * @example
 * adminRoutes(warden, { base: '/admin/sessions', isAdmin: (userId) => userId === 'admin' })
 */
export interface AdminRoutesOptions extends PageOptions {
  /** Whether a signed-in user may use these routes; everyone else gets the app's own 404, as for an unknown path. */
  isAdmin: (userId: string) => boolean | Promise<boolean>;
  /** Sessions per page (1 to 500). @default 50 */
  pageSize?: number;
}

/**
 * The routes under `base`: `GET base` (list; `q` = user id or IP, `status` = all|active|ended, `mine=1`, `cursor`),
 * `POST base/<id>/revoke` or `DELETE base/<id>` (end one), `POST base/users/<userId>/revoke` or
 * `DELETE base/users/<userId>` (end all of a user's). Ends use reason `revoked-by-admin` and the admin as `actor`.
 * @example
 * const routes = adminRoutes(warden, { base: '/admin/sessions', isAdmin: (id) => admins.has(id) }); // then mount it, e.g. expressAdminRoutes()
 */
export function adminRoutes(warden: Warden, options: AdminRoutesOptions): BaseRoutes {
  const config = resolvePageOptions('adminRoutes', warden, options, ['isAdmin', 'pageSize']);
  const { isAdmin, pageSize = 50 } = options;
  if (typeof isAdmin !== 'function') throw new SessionConfigError('adminRoutes: isAdmin must be a function (userId) => boolean; it decides who sees every session');
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw new SessionConfigError('adminRoutes: pageSize must be a whole number from 1 to 500');
  if (typeof warden.store.list !== 'function') {
    throw new SessionConfigError('adminRoutes needs a store with the optional list() method (every store of this package has it); use one, or leave the admin routes out');
  }
  const { base } = config;

  async function list(request: RouteRequest, adminId: string): Promise<RouteResponse> {
    const filters = filtersOf(request.query);
    const search = searchOf(filters, adminId);
    const now = warden.now();
    const found: SessionPage = search === null
      ? { sessions: [], nextCursor: null }
      : await warden.listSessions({ ...search, status: filters.status, cursor: filters.cursor, limit: pageSize });
    const currentId = request.session.id;
    if (wantsJson(request.headers)) {
      return json(200, { sessions: found.sessions.map((record) => toAdminSessionView(record, now, currentId, config.locate)), nextCursor: found.nextCursor });
    }
    const texts = textsFor(request, config.defaultLocale, now);
    const targetUser = search?.userId ?? null;
    return renderAdminPage({ texts, base, filters, targetUser, ...found, now, currentId, csrfToken: request.session.csrfToken, locate: config.locate, query: request.query, script: scriptFor(config, request, texts) });
  }

  /** Where an HTML form goes back to: the list with the same filters and page, plus the confirmation. */
  function backTo(request: RouteRequest, done: string): string {
    const keep = filterQuery(filtersOf(request.query));
    return `${base}?${keep === '' ? '' : `${keep}&`}${done}`;
  }

  async function revokeOne(request: RouteRequest, adminId: string, id: string): Promise<RouteResponse> {
    const ended = await warden.revokeSession(id, { reason: 'revoked-by-admin', actor: adminId });
    if (ended === null) return notFound(request);
    return afterChange(request, backTo(request, 'done=session'), [ended]);
  }

  async function revokeUser(request: RouteRequest, adminId: string, encodedUserId: string): Promise<RouteResponse> {
    const userId = decodeSegment(encodedUserId);
    if (userId === null) return notFound(request);
    const ended = await warden.revokeUserSessions(userId, { reason: 'revoked-by-admin', actor: adminId });
    return afterChange(request, backTo(request, `done=user&count=${ended.length}`), ended);
  }

  /** Which action a path names; null when the path is not one of these routes. */
  function routeOf(segments: string[]): Route | null {
    const [first = '', second, third, ...rest] = segments;
    if (segments.length === 0) return { allow: 'GET, HEAD', run: list };
    if (first === 'users' && second !== undefined && second !== '') {
      if (segments.length === 2) return { allow: 'DELETE', run: (request, adminId) => revokeUser(request, adminId, second) };
      if (third === 'revoke' && rest.length === 0) return { allow: 'POST', run: (request, adminId) => revokeUser(request, adminId, second) };
      return null;
    }
    if (segments.length === 1) return { allow: 'DELETE', run: (request, adminId) => revokeOne(request, adminId, first) };
    if (second === 'revoke' && segments.length === 2) return { allow: 'POST', run: (request, adminId) => revokeOne(request, adminId, first) };
    return null;
  }

  const handler = async function adminRoutesHandler(request: RouteRequest): Promise<RouteResponse | null> {
    const segments = segmentsUnder(base, request.path);
    const route = segments === null ? null : routeOf(segments);
    if (route === null) return null;
    const adminId = request.session.userId;
    // Anonymous visitors and non-admins are passed on untouched, so they get the app's own 404: nothing reveals the routes.
    if (adminId === null || (await isAdmin(adminId)) !== true) return null;
    return refuseMethod(request, route) ?? runRoute(warden, request, route, adminId);
  };
  return Object.assign(handler, { base, claims: (path: string) => path === base || path.startsWith(`${base}/`) });
}

/** A percent-encoded path segment as text, or null when it is malformed. */
function decodeSegment(segment: string): string | null {
  try {
    const value = decodeURIComponent(segment);
    return value.length > 0 && value.length <= 256 ? value : null;
  } catch {
    // A malformed escape cannot name a user.
    return null;
  }
}
