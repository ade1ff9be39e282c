// The admin session routes: every session with search, filters and cursor pages; end one session or all of a user's.
import { SessionConfigError } from '../../core/errors.js';
import type { SessionPage } from '../../core/types.js';
import type { Warden } from '../../core/warden.js';
import { wantsJson } from '../negotiate.js';
import { withQuery } from '../guards.js';
import { json, notFound, seeOther } from '../respond.js';
import type { RouteRequest, RouteResponse } from '../types.js';
import { afterChange, deviceParts, refuseMethod, resolvePageOptions, runRoute, scriptFor, segmentsUnder, takeFlash, textsFor, toAdminSessionView, type BaseRoutes, type PageOptions, type Route } from '../view.js';
import { filterQuery, filtersOf, renderAdminPage, renderConfirmUserPage, searchOf } from './page.js';

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
 * `POST base/<id>/revoke` or `DELETE base/<id>` (end one; the admin's own session signs out), `GET base/users/<userId>/end`
 * (the confirmation), `POST base/users/<userId>/revoke` or `DELETE base/users/<userId>` (end all of a user's). Ends
 * use reason `revoked-by-admin` and the admin as `actor`.
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
  const secure = warden.options.cookie.secure;

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
    const texts = await textsFor(request, config, now);
    const targetUser = search?.userId ?? null;
    const targetLive = targetUser === null ? 0 : (await warden.listUserSessions(targetUser)).length;
    const { flash, headers } = takeFlash(request, base);
    return renderAdminPage({ texts, base, filters, targetUser, targetLive, ...found, now, currentId, csrfToken: request.session.csrfToken, locate: config.locate, flash, headers, backUrl: config.backUrl, script: scriptFor(config, request, texts) });
  }

  /** Where an HTML form goes back to: the list with the same filters and page (the confirmation rides in a cookie). */
  function backTo(request: RouteRequest): string {
    const keep = filterQuery(filtersOf(request.query));
    return keep === '' ? base : `${base}?${keep}`;
  }

  async function revokeOne(request: RouteRequest, adminId: string, id: string): Promise<RouteResponse> {
    if (id === request.session.id) {
      // The admin's own row reads "Sign out", and does just that.
      await request.session.logout();
      return wantsJson(request.headers) ? json(200, { ended: [id], signedOut: true }) : seeOther(withQuery(config.loginUrl, 'reason', 'logout'));
    }
    const ended = await warden.revokeSession(id, { reason: 'revoked-by-admin', actor: adminId });
    if (ended === null) return notFound(request);
    return afterChange(request, backTo(request), [ended], { done: 'session', ...deviceParts(ended.userAgent) }, { path: base, secure });
  }

  async function confirmUser(request: RouteRequest, encodedUserId: string): Promise<RouteResponse> {
    const userId = decodeSegment(encodedUserId);
    if (userId === null) return notFound(request);
    const sessions = await warden.listUserSessions(userId);
    if (sessions.length === 0) return seeOther(backTo(request));
    const texts = await textsFor(request, config, warden.now());
    const keep = filterQuery(filtersOf(request.query));
    return renderConfirmUserPage({ texts, base, back: keep === '' ? '' : `?${keep}`, userId, sessions, csrfToken: request.session.csrfToken, locate: config.locate, script: scriptFor(config, request, texts) });
  }

  async function revokeUser(request: RouteRequest, adminId: string, encodedUserId: string): Promise<RouteResponse> {
    const userId = decodeSegment(encodedUserId);
    if (userId === null) return notFound(request);
    const ended = await warden.revokeUserSessions(userId, { reason: 'revoked-by-admin', actor: adminId });
    return afterChange(request, backTo(request), ended, { done: 'user', count: ended.length }, { path: base, secure });
  }

  /** Which action a path names; null when the path is not one of these routes. */
  function routeOf(segments: string[]): Route | null {
    const [first = '', second, third, ...rest] = segments;
    if (segments.length === 0) return { allow: 'GET, HEAD', run: list };
    if (first === 'users' && second !== undefined && second !== '') {
      if (segments.length === 2) return { allow: 'DELETE', run: (request, adminId) => revokeUser(request, adminId, second) };
      if (third === 'revoke' && rest.length === 0) return { allow: 'POST', run: (request, adminId) => revokeUser(request, adminId, second) };
      if (third === 'end' && rest.length === 0) return { allow: 'GET, HEAD', run: (request) => confirmUser(request, second) };
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
