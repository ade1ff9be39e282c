// The signed-in user's session routes: list own live sessions, end one, end all others (HTML and JSON).
import { toMilliseconds, type Duration } from '../../core/duration.js';
import { SessionConfigError } from '../../core/errors.js';
import { freshAuthPolicy, requireFreshAnswer, requireUserAnswer, sameOriginPath, withQuery } from '../guards.js';
import { wantsJson } from '../negotiate.js';
import type { Warden } from '../../core/warden.js';
import { toPublicSession, type PublicSession } from '../../core/types.js';
import { html } from '../../html/escape.js';
import { json, notFound, seeOther } from '../respond.js';
import type { RouteRequest, RouteResponse } from '../types.js';
import { afterChange, deviceParts, refuseMethod, renderPage, resolvePageOptions, runRoute, scriptFor, segmentsUnder, takeFlash, textsFor, toSessionView, type BaseRoutes, type PageOptions, type Route } from '../view.js';
import { renderConfirmEndPage, renderConfirmOthersPage, renderSessionsPage } from './page.js';

/**
 * Options of `sessionRoutes`.
 * @example
 * sessionRoutes(warden, { base: '/account/sessions', reauthUrl: '/reauthenticate' })
 */
export interface SessionRoutesOptions extends PageOptions {
  /** Where the browser goes after ending its own session (`?reason=logout` is added, so it can say "You signed out."). @default '/login' */
  logoutRedirect?: string;
  /**
   * The app's "confirm your password" page. An end that needs a fresh sign-in goes to `reauthUrl?returnTo=` the
   * confirmation page of that very action, which the app sends the user back to afterwards. @default none (a 403 page)
   */
  reauthUrl?: string;
  /** How recent the sign-in must be to end other sessions; 0 turns the check off. @default '10m' */
  freshAge?: Duration;
  /**
   * The `Clear-Site-Data` header sent when the user ends their own session here ("Sign out"), so the browser also drops
   * this origin's other cookies and storage; false sends none. @default '"cookies", "storage"'
   */
  clearSiteData?: string | false;
  /** Sessions per page of the list (HTML and JSON); further pages by cursor (`?cursor=`, JSON `nextCursor`). @default 50 (1 to 500) */
  pageSize?: number;
}

/**
 * The routes under `base`: `GET base` (list), `GET base/<id>/end` (the confirmation), `POST base/<id>/revoke` and
 * `DELETE base/<id>` (end one; the current one signs out), `GET base/end-others` (its confirmation) and
 * `POST base/revoke-others`. Another user's, an ended or an unknown id all give the same 404.
 * @example
 * const routes = sessionRoutes(warden, { base: '/account/sessions', reauthUrl: '/reauthenticate' }); // then mount it, e.g. expressSessionRoutes()
 */
export function sessionRoutes(warden: Warden, options: SessionRoutesOptions): BaseRoutes {
  const config = resolvePageOptions('sessionRoutes', warden, options, ['logoutRedirect', 'reauthUrl', 'freshAge', 'clearSiteData', 'pageSize']);
  const logoutRedirect = sameOriginPath('sessionRoutes', 'logoutRedirect', options.logoutRedirect ?? '/login');
  const freshAge = toMilliseconds(options.freshAge ?? '10m', 'sessionRoutes freshAge');
  const { base } = config;
  const fresh = options.reauthUrl === undefined ? null : freshAuthPolicy('sessionRoutes', { maxAge: freshAge, reauthUrl: options.reauthUrl, returnTo: base });
  const secure = warden.options.cookie.secure;
  const clearSiteData = options.clearSiteData ?? '"cookies", "storage"';
  if (clearSiteData !== false && typeof clearSiteData !== 'string') throw new SessionConfigError('sessionRoutes clearSiteData must be a header value such as \'"cookies"\' or false');
  const pageSize = options.pageSize ?? 50;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) throw new SessionConfigError('sessionRoutes pageSize must be a whole number from 1 to 500');
  const signedOutHeaders: Record<string, string> = clearSiteData === false ? {} : { 'clear-site-data': clearSiteData };

  const isFresh = (request: RouteRequest) => freshAge === 0 || request.session.isFresh(freshAge);

  /** Ending other sessions needs a recent sign-in (SEC-36); the answer never says whether the id exists. */
  async function requireFresh(request: RouteRequest, confirmPath: string): Promise<RouteResponse | null> {
    if (isFresh(request)) return null;
    // The password step comes back to the confirmation of this very action, which posts it again: never a GET that acts.
    if (fresh !== null) return requireFreshAnswer(request, { ...fresh, returnTo: confirmPath }, config.loginUrl);
    if (wantsJson(request.headers)) return json(403, { error: 'reauthentication_required' });
    const texts = await textsFor(request, config, warden.now());
    return renderPage(403, texts, texts.t('reauthenticationRequired'), html`<p><a href="${base}">${texts.t('back')}</a></p>`);
  }

  /** One page of the user's live sessions (most recently active first); a store without `list()` gives the first page only. */
  async function pageOf(userId: string, cursor: string | null): Promise<{ sessions: PublicSession[]; nextCursor: string | null }> {
    if (warden.store.list !== undefined) {
      const page = await warden.listSessions({ userId, status: 'active', cursor, limit: pageSize });
      return { sessions: page.sessions.map(toPublicSession), nextCursor: page.nextCursor };
    }
    return { sessions: (await warden.listUserSessions(userId)).slice(0, pageSize), nextCursor: null };
  }

  async function list(request: RouteRequest, userId: string): Promise<RouteResponse> {
    const given = request.query.get('cursor');
    const cursor = given === null || given === '' ? null : given.slice(0, 64);
    const { sessions, nextCursor } = await pageOf(userId, cursor);
    const currentId = request.session.id;
    if (wantsJson(request.headers)) return json(200, { sessions: sessions.map((record) => toSessionView(record, currentId, config.locate)), nextCursor });
    const texts = await textsFor(request, config, warden.now());
    const { flash, headers } = takeFlash(request, base);
    const pages = { next: nextCursor === null ? null : withQuery(base, 'cursor', nextCursor), first: cursor === null ? null : base };
    return renderSessionsPage({ texts, base, sessions, currentId, csrfToken: request.session.csrfToken, locate: config.locate, flash, headers, backUrl: config.backUrl, script: scriptFor(config, request, texts), pages });
  }

  /** "End the session on Firefox on Linux?" for one of the user's other live sessions. */
  async function confirmOne(request: RouteRequest, userId: string, id: string): Promise<RouteResponse> {
    if (id === request.session.id) return seeOther(base);
    const session = (await warden.listUserSessions(userId)).find((each) => each.id === id);
    if (session === undefined) return notFound(request);
    const texts = await textsFor(request, config, warden.now());
    return renderConfirmEndPage({ texts, base, csrfToken: request.session.csrfToken, locate: config.locate, fresh: isFresh(request), session, script: scriptFor(config, request, texts) });
  }

  async function confirmOthers(request: RouteRequest, userId: string): Promise<RouteResponse> {
    const others = (await warden.listUserSessions(userId)).filter((each) => each.id !== request.session.id);
    if (others.length === 0) return seeOther(base);
    const texts = await textsFor(request, config, warden.now());
    return renderConfirmOthersPage({ texts, base, csrfToken: request.session.csrfToken, locate: config.locate, fresh: isFresh(request), others, script: scriptFor(config, request, texts) });
  }

  async function revokeOne(request: RouteRequest, userId: string, id: string): Promise<RouteResponse> {
    if (id === request.session.id) {
      await request.session.logout();
      return wantsJson(request.headers)
        ? json(200, { ended: [id], signedOut: true }, signedOutHeaders)
        : seeOther(/[?&]reason=/.test(logoutRedirect) ? logoutRedirect : withQuery(logoutRedirect, 'reason', 'logout'), signedOutHeaders);
    }
    const refused = await requireFresh(request, `${base}/${encodeURIComponent(id)}/end`);
    if (refused) return refused;
    // The owner comes from the session only (SEC-35): a body `userId` is never read.
    const ended = await warden.revokeSession(id, { ownerId: userId, reason: 'revoked', actor: userId, ip: request.session.ip });
    if (ended === null) return notFound(request);
    return afterChange(request, base, [ended], { done: 'session', ...deviceParts(ended.userAgent) }, { secure });
  }

  async function revokeOthers(request: RouteRequest, userId: string): Promise<RouteResponse> {
    const refused = await requireFresh(request, `${base}/end-others`);
    if (refused) return refused;
    const ended = await warden.revokeUserSessions(userId, { exceptId: request.session.id, reason: 'revoked', actor: userId, ip: request.session.ip });
    return afterChange(request, base, ended, { done: 'others', count: ended.length }, { secure });
  }

  /** Which action a path names; null when the path is not one of these routes. */
  function routeOf(segments: string[], method: string): Route | null {
    const [id = '', action, ...rest] = segments;
    if (segments.length === 0) {
      // A DELETE without an id is an unknown id (SEC-32), answered after the usual checks.
      if (method === 'DELETE') return { allow: 'DELETE', run: (request, userId) => revokeOne(request, userId, '') };
      return { allow: 'GET, HEAD', run: list };
    }
    if (segments.length === 1 && id === 'revoke-others') return { allow: 'POST', run: revokeOthers };
    if (segments.length === 1 && id === 'end-others') return { allow: 'GET, HEAD', run: confirmOthers };
    if (segments.length === 1) return { allow: 'DELETE', run: (request, userId) => revokeOne(request, userId, id) };
    if (action === 'revoke' && rest.length === 0) return { allow: 'POST', run: (request, userId) => revokeOne(request, userId, id) };
    if (action === 'end' && rest.length === 0) return { allow: 'GET, HEAD', run: (request, userId) => confirmOne(request, userId, id) };
    return null;
  }

  const handler = async function sessionRoutesHandler(request: RouteRequest): Promise<RouteResponse | null> {
    const segments = segmentsUnder(base, request.path);
    const route = segments === null ? null : routeOf(segments, request.method);
    if (route === null) return null;
    const refused = refuseMethod(request, route);
    if (refused) return refused;
    const userId = request.session.userId;
    // A signed-out visit to the list comes back here after signing in (the app's login page checks returnTo).
    const loginUrl = request.method === 'GET' || request.method === 'HEAD' ? withQuery(config.loginUrl, 'returnTo', request.path) : config.loginUrl;
    return userId === null ? requireUserAnswer(request, loginUrl)! : runRoute(warden, request, route, userId);
  };
  return Object.assign(handler, { base, claims: (path: string) => path === base || path.startsWith(`${base}/`) });
}
