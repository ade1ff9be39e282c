// Shared by the user and admin session pages: their common options, the session view model, locale and page helpers.
import { SessionConfigError } from '../core/errors.js';
import { isLive, type PublicSession, type SessionRecord } from '../core/types.js';
import { Warden } from '../core/warden.js';
import { device, parseDevice } from '../device/index.js';
import { html, raw, type SafeHtml } from '../html/escape.js';
import { direction, formatDateTime, formatRelativeTime, isLocale, negotiateLocale, translate, type Locale, type MessageKey } from '../i18n/index.js';
import { openLocationDatabaseSync, type LocationLookup } from '../location/index.js';
import { csrfAnswer, sameOriginPath } from './guards.js';
import { wantsJson } from './negotiate.js';
import { json, methodNotAllowed, page, seeOther } from './respond.js';
import { STYLESHEET } from './styles.js';
import type { RouteHandler, RouteRequest, RouteResponse } from './types.js';
import type { PingRoutes } from './ping/routes.js';
import { clientScriptTag } from './ping/script-tag.js';

/**
 * Options both route groups take.
 * @example
 * { base: '/account/sessions', geoip: { database: 'GeoLite2-City.mmdb' } }
 */
export interface PageOptions {
  /** Where the routes live, a same-origin path such as '/account/sessions'. */
  base: string;
  /** Where HTML visitors without a session are sent. @default '/login' */
  loginUrl?: string;
  /** A MaxMind-format database for the Location column, opened once at construction (a missing file throws). @default none */
  geoip?: { database: string };
  /** The locale when Accept-Language matches none. @default 'en' */
  defaultLocale?: Locale;
  /** Load the idle-timeout script on these pages too (the ping routes, and the tag's options). @default none */
  clientScript?: { routes: Pick<PingRoutes, 'pingUrl' | 'scriptUrl'>; warnBefore?: number; expireUrl?: string };
}

/** Page options after validation. */
export interface ResolvedPageOptions {
  readonly base: string;
  readonly loginUrl: string;
  readonly locate: LocationLookup | null;
  readonly defaultLocale: Locale;
  readonly clientScript: PageOptions['clientScript'] | null;
}

/**
 * Validate the shared options (and reject unknown ones) once, at construction.
 * @example
 * const config = resolvePageOptions('sessionRoutes', warden, options, ['freshAge']);
 */
export function resolvePageOptions(owner: string, warden: Warden, options: PageOptions, extraKeys: readonly string[]): ResolvedPageOptions {
  if (!(warden instanceof Warden)) throw new SessionConfigError(`${owner}(warden, options) needs the warden from createWarden()`);
  if (options === null || typeof options !== 'object') throw new SessionConfigError(`${owner}(warden, options) needs an options object with a base path`);
  const known = new Set(['base', 'loginUrl', 'geoip', 'defaultLocale', 'clientScript', ...extraKeys]);
  for (const key of Object.keys(options)) if (!known.has(key)) throw new SessionConfigError(`${owner}: unknown option ${JSON.stringify(key)}`);
  const base = sameOriginPath(owner, 'base', options.base);
  if (/[?#]/.test(base) || base === '/') throw new SessionConfigError(`${owner}: base must be a plain path such as "/account/sessions" (no query, not "/")`);
  const defaultLocale = options.defaultLocale ?? 'en';
  if (!isLocale(defaultLocale)) throw new SessionConfigError(`${owner}: defaultLocale must be one of the supported locales such as 'en' or 'de' (got ${JSON.stringify(defaultLocale)})`);
  const geoip = options.geoip;
  if (geoip !== undefined && (geoip === null || typeof geoip !== 'object')) throw new SessionConfigError(`${owner}: geoip must be { database: 'path/to/GeoLite2-City.mmdb' }`);
  return Object.freeze({
    base: base.replace(/\/+$/, ''),
    loginUrl: sameOriginPath(owner, 'loginUrl', options.loginUrl ?? '/login'),
    // Opened once here, so a missing database stops the app at startup instead of failing on a page view.
    locate: geoip === undefined ? null : openLocationDatabaseSync(geoip.database),
    defaultLocale,
    clientScript: resolveClientScript(owner, options.clientScript),
  });
}

function resolveClientScript(owner: string, value: PageOptions['clientScript']): ResolvedPageOptions['clientScript'] {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object' || typeof value.routes?.pingUrl !== 'string') {
    throw new SessionConfigError(`${owner}: clientScript must be { routes: pingRoutes(warden), warnBefore?, expireUrl? }`);
  }
  return Object.freeze({ ...value, expireUrl: value.expireUrl === undefined ? undefined : sameOriginPath(owner, 'clientScript.expireUrl', value.expireUrl) });
}

/**
 * The idle script's tag for a page, when the routes were given `clientScript` (null otherwise).
 * @example
 * renderPage(200, texts, title, body, scriptFor(config, request, texts));
 */
export function scriptFor(config: ResolvedPageOptions, request: RouteRequest, texts: Texts): ((nonce: string) => string) | null {
  const script = config.clientScript;
  if (!script) return null;
  return (nonce) => clientScriptTag(request.session, script.routes, { nonce, locale: texts.locale, warnBefore: script.warnBefore, expireUrl: script.expireUrl });
}

/**
 * A route group that lives under one base path (adapters can skip requests elsewhere without reading their bodies).
 * @example
 * const routes: BaseRoutes = sessionRoutes(warden, { base: '/account/sessions' }); routes.base // '/account/sessions'
 */
export type BaseRoutes = RouteHandler & { readonly base: string };

/**
 * The path segments after `base` ([] for the base itself), or null when the path is not under it.
 * @example
 * segmentsUnder('/account/sessions', '/account/sessions/abc/revoke') // ['abc', 'revoke']
 */
export function segmentsUnder(base: string, path: string): string[] | null {
  if (path === base || path === `${base}/`) return [];
  if (!path.startsWith(`${base}/`)) return null;
  return path.slice(base.length + 1).split('/');
}

/**
 * One route under the base: the methods it accepts and what it does for the signed-in user.
 * @example
 * const route: Route = { allow: 'POST', run: (request, userId) => revokeOthers(request, userId) };
 */
export interface Route {
  allow: string;
  run(request: RouteRequest, userId: string): Promise<RouteResponse>;
}

/**
 * 405 with `Allow` when the route does not take the request's method (HEAD counts as GET), else null.
 * @example
 * const refused = refuseMethod(request, route); if (refused) return refused;
 */
export function refuseMethod(request: RouteRequest, route: Route): RouteResponse | null {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  return route.allow.split(', ').includes(method) ? null : methodNotAllowed(request, route.allow);
}

/**
 * Run a route whose method was accepted; a state change runs only after the same-origin and CSRF checks.
 * @example
 * return runRoute(warden, request, route, userId);
 */
export async function runRoute(warden: Warden, request: RouteRequest, route: Route, userId: string): Promise<RouteResponse> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const refused = csrfAnswer(warden, request);
    if (refused) return refused;
  }
  return route.run(request, userId);
}

/**
 * The answer to a successful state change: JSON with the ended ids, or a 303 back to the list with a confirmation.
 * @example
 * return afterChange(request, `${base}?done=others&count=2`, ended);
 */
export function afterChange(request: RouteRequest, location: string, ended: readonly { id: string }[]): RouteResponse {
  return wantsJson(request.headers) ? json(200, { ended: ended.map((session) => session.id) }) : seeOther(location);
}

/**
 * The confirmation named by `?done=` after a redirect (the count is re-parsed, never echoed as text).
 * @example
 * flashOf(request.query) // { done: 'others', count: 2 }
 */
export function flashOf(query: URLSearchParams): { done: 'session' | 'others' | 'user'; count: number } | null {
  const done = query.get('done');
  if (done !== 'session' && done !== 'others' && done !== 'user') return null;
  const count = Number(query.get('count') ?? '1');
  return { done, count: Number.isInteger(count) && count >= 0 && count <= 1_000_000 ? count : 0 };
}

/**
 * One session as the JSON list and the pages show it: the public handle and derived labels only, never the secret hash.
 * @example
 * { id: 'k3J8…', device: 'Chrome on macOS', location: 'Berlin, Germany', ip: '203.0.113.7', createdAt: 1768467600000, lastActiveAt: 1768467900000, current: true }
 */
export interface SessionView {
  id: string;
  device: string | null;
  location: string | null;
  ip: string | null;
  createdAt: number;
  lastActiveAt: number;
  current: boolean;
}

/**
 * Build the view of one session.
 * @example
 * toSessionView(record, request.session.id, config.locate)
 */
export function toSessionView(record: PublicSession, currentId: string | null, locate: LocationLookup | null): SessionView {
  return {
    id: record.id,
    device: device(record.userAgent),
    location: locate === null ? null : locate(record.ip),
    ip: record.ip,
    createdAt: record.createdAt,
    lastActiveAt: record.lastActiveAt,
    current: record.id === currentId,
  };
}

/**
 * A session in the admin listing: the view plus its user and status (idle or expired records count as ended).
 * @example
 * { ...view, userId: 'alice', status: 'ended', endedAt: 1768467900000, endReason: 'revoked-by-admin' }
 */
export interface AdminSessionView extends SessionView {
  userId: string | null;
  status: 'active' | 'ended';
  endedAt: number | null;
  endReason: string | null;
}

/**
 * Build the admin view of one session at `now`.
 * @example
 * toAdminSessionView(record, now, request.session.id, config.locate)
 */
export function toAdminSessionView(record: SessionRecord, now: number, currentId: string | null, locate: LocationLookup | null): AdminSessionView {
  const live = isLive(record, now);
  const lapsed = record.expiresAt <= now ? 'expired' : 'idle';
  return {
    ...toSessionView(record, currentId, locate),
    userId: record.userId,
    status: live ? 'active' : 'ended',
    endedAt: record.endedAt,
    endReason: live ? null : (record.endReason ?? lapsed),
  };
}

/**
 * The locale-bound helpers a page renders with.
 * @example
 * const texts = textsFor(request, 'en', warden.now()); texts.t('activeSessions')
 */
export interface Texts {
  readonly locale: Locale;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A localised "Chrome on macOS" from the stored user agent (never the raw header). */
  device(userAgent: string | null): string;
  /** A `<time>` with "5 minutes ago" as text and the full date as its title. */
  time(ms: number): SafeHtml;
}

/**
 * Negotiate the page's locale from Accept-Language and bind the formatting helpers to it.
 * @example
 * const texts = textsFor(request, config.defaultLocale, warden.now());
 */
export function textsFor(request: RouteRequest, defaultLocale: Locale, now: number): Texts {
  const locale = negotiateLocale(request.headers.acceptLanguage, defaultLocale);
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(locale, key, params);
  return {
    locale,
    t,
    device(userAgent) {
      const { browser, os } = parseDevice(userAgent);
      if (browser !== null && os !== null) return t('deviceOn', { browser, os });
      return browser ?? os ?? t('unknownDevice');
    },
    time: (ms) => html`<time datetime="${new Date(ms).toISOString()}" title="${formatDateTime(ms, locale)}">${formatRelativeTime(ms, now, locale)}</time>`,
  };
}

/**
 * A whole HTML page: the document shell, the shared stylesheet under the response's CSP nonce, and `body` in <main>.
 * @example
 * return renderPage(200, texts, texts.t('activeSessions'), body);
 */
export function renderPage(status: number, texts: Texts, title: string, body: SafeHtml, script: ((nonce: string) => string) | null = null): RouteResponse {
  return page(
    status,
    (nonce) => html`<!doctype html>
<html lang="${texts.locale}" dir="${direction(texts.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<style nonce="${nonce}">${raw(STYLESHEET)}</style>
</head>
<body>
<main>
<h1 id="title">${title}</h1>
${body}
</main>
${script === null ? '' : raw(script(nonce))}
</body>
</html>`.value,
    { 'content-language': texts.locale },
    script !== null,
  );
}

/**
 * A POST form that is just one button, carrying the session's CSRF token; `describedBy` names the row it acts on.
 * @example
 * actionButton(`${base}/${id}/revoke`, csrfToken, texts.t('endSession'), `device-${id}`)
 */
export function actionButton(action: string, csrfToken: string | null, label: string, describedBy?: string, kind: 'danger' | 'primary' = 'danger'): SafeHtml {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrfToken ?? ''}"><button type="submit"${kind === 'primary' ? raw(' class="primary"') : ''}${describedBy ? html` aria-describedby="${describedBy}"` : ''}>${label}</button></form>`;
}

/** The columns every session table shows, in order. */
const SESSION_COLUMNS = ['location', 'device', 'ipAddress', 'created', 'lastActivity'] as const satisfies readonly MessageKey[];

/**
 * Header cells of the shared columns (Location, Device, IP address, Created, Last Activity).
 * @example
 * html`<tr>${sessionHeaders(texts)}<th scope="col">…</th></tr>`
 */
export function sessionHeaders(texts: Texts): SafeHtml {
  return html`${SESSION_COLUMNS.map((key) => html`<th scope="col">${texts.t(key)}</th>`)}`;
}

/**
 * Data cells of the shared columns for one session; absent values (privacy switch, no GeoIP) read "—" or "unknown".
 * @example
 * html`<tr>${sessionCells(view, record.userAgent, texts)}</tr>`
 */
export function sessionCells(view: SessionView, userAgent: string | null, texts: Texts): SafeHtml {
  const cell = (key: MessageKey, content: SafeHtml | string, id?: string) => html`<td data-label="${texts.t(key)}"${id ? html` id="${id}"` : ''}>${content}</td>`;
  return html`${cell('location', view.location ?? html`<span class="muted">${texts.t('unknownLocation')}</span>`)}
${cell('device', texts.device(userAgent), `device-${view.id}`)}
${cell('ipAddress', view.ip === null ? html`<span class="muted">—</span>` : html`<bdi>${view.ip}</bdi>`)}
${cell('created', texts.time(view.createdAt))}
${cell('lastActivity', html`${texts.time(view.lastActiveAt)}${view.current ? html` <span class="this">${texts.t('thisSession')}</span>` : ''}`)}`;
}
