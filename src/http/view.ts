// Shared by the user and admin session pages: their common options, the session view model, locale and page helpers.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SessionConfigError } from '../core/errors.js';
import { isLive, type PublicSession, type SessionRecord } from '../core/types.js';
import { Warden } from '../core/warden.js';
import { device, parseDevice, type DeviceKind } from '../device/index.js';
import { html, raw, type SafeHtml } from '../html/escape.js';
import { chooseLocale, matchLocale, direction, formatDateTime, formatRelativeTime, isLocale, translate, type Locale, type MessageKey } from '../i18n/index.js';
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
 * { base: '/account/sessions', geoip: { database: 'GeoLite2-City.mmdb' }, locale: (request) => users.get(request.session.userId)?.language }
 */
export interface PageOptions {
  /** Where the routes live, a same-origin path such as '/account/sessions'. */
  base: string;
  /** Where HTML visitors without a session are sent. @default '/login' */
  loginUrl?: string;
  /** Where the pages' "Back" link goes (the application). @default '/' */
  backUrl?: string;
  /** A MaxMind-format database for locations, opened once at construction (a missing file throws). @default none */
  geoip?: { database: string };
  /** The locale when Accept-Language matches none. @default 'en' */
  defaultLocale?: Locale;
  /**
   * The language the app keeps for this user (a BCP 47 tag such as 'de' or 'en-GB'), chosen before Accept-Language;
   * null or undefined falls back to the header. @default none
   */
  locale?: (request: RouteRequest) => string | null | undefined | Promise<string | null | undefined>;
  /** The user's IANA time zone for dates ('Europe/Berlin'); an unknown zone falls back to UTC. @default 'UTC' */
  timeZone?: (request: RouteRequest) => string | null | undefined | Promise<string | null | undefined>;
  /** Load the idle-timeout script on these pages too (the ping routes, and the tag's options). @default none */
  clientScript?: { routes: Pick<PingRoutes, 'pingUrl' | 'scriptUrl'>; warnBefore?: number; expireUrl?: string };
}

/** Page options after validation. */
export interface ResolvedPageOptions {
  readonly base: string;
  readonly loginUrl: string;
  readonly backUrl: string;
  readonly locate: LocationLookup | null;
  readonly defaultLocale: Locale;
  readonly locale: PageOptions['locale'] | null;
  readonly timeZone: PageOptions['timeZone'] | null;
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
  const known = new Set(['base', 'loginUrl', 'backUrl', 'geoip', 'defaultLocale', 'locale', 'timeZone', 'clientScript', ...extraKeys]);
  for (const key of Object.keys(options)) if (!known.has(key)) throw new SessionConfigError(`${owner}: unknown option ${JSON.stringify(key)}`);
  const base = sameOriginPath(owner, 'base', options.base);
  if (/[?#]/.test(base) || base === '/') throw new SessionConfigError(`${owner}: base must be a plain path such as "/account/sessions" (no query, not "/")`);
  const defaultLocale = options.defaultLocale ?? 'en';
  if (!isLocale(defaultLocale)) throw new SessionConfigError(`${owner}: defaultLocale must be one of the supported locales such as 'en' or 'de' (got ${JSON.stringify(defaultLocale)})`);
  const geoip = options.geoip;
  if (geoip !== undefined && (geoip === null || typeof geoip !== 'object')) throw new SessionConfigError(`${owner}: geoip must be { database: 'path/to/GeoLite2-City.mmdb' }`);
  for (const hook of ['locale', 'timeZone'] as const) {
    if (options[hook] !== undefined && typeof options[hook] !== 'function') throw new SessionConfigError(`${owner}: ${hook} must be a function of the request`);
  }
  return Object.freeze({
    base: base.replace(/\/+$/, ''),
    loginUrl: sameOriginPath(owner, 'loginUrl', options.loginUrl ?? '/login'),
    backUrl: sameOriginPath(owner, 'backUrl', options.backUrl ?? '/'),
    // Opened once here, so a missing database stops the app at startup instead of failing on a page view.
    locate: geoip === undefined ? null : openLocationDatabaseSync(geoip.database),
    defaultLocale,
    locale: options.locale ?? null,
    timeZone: options.timeZone ?? null,
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
  return (nonce) => clientScriptTag(request.session, script.routes, { nonce, locale: texts.tag, warnBefore: script.warnBefore, expireUrl: script.expireUrl });
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
 * What a page confirms once after an action: which kind of end, the device (its allow-listed labels), a count, a user.
 * @example
 * const flash: Flash = { done: 'session', browser: 'Firefox', os: 'Linux' };
 */
export interface Flash {
  done: 'session' | 'others' | 'user';
  browser?: string | null;
  os?: string | null;
  count?: number;
  user?: string;
}

const FLASH_COOKIE = 'sessionwarden-flash';
const FLASH_SECONDS = 60;

/**
 * The answer to a successful state change: JSON with the ended ids, or a 303 to `location` that carries the
 * confirmation in a short-lived cookie for that path alone, signed with the session's CSRF token: the next page view
 * shows it once and clears it, a reload does not repeat it, and nothing is kept on the server (any process can show it).
 * @example
 * return afterChange(request, base, ended, { done: 'others', count: ended.length }, { secure: true });
 */
export function afterChange(request: RouteRequest, location: string, ended: readonly { id: string }[], flash: Flash | null = null, options: { path?: string; secure?: boolean } = {}): RouteResponse {
  if (wantsJson(request.headers)) return json(200, { ended: ended.map((session) => session.id) });
  const key = request.session.csrfToken;
  if (flash === null || key === null) return seeOther(location);
  const payload = Buffer.from(JSON.stringify(flash)).toString('base64url');
  const cookie = `${FLASH_COOKIE}=${payload}.${signFlash(payload, key)}; Path=${cookiePath(options.path ?? location)}; Max-Age=${FLASH_SECONDS}; HttpOnly; SameSite=Lax`;
  return seeOther(location, { 'set-cookie': options.secure ? `${cookie}; Secure` : cookie });
}

/**
 * The confirmation waiting for this page view, if any, and the header that clears it (send it with the page).
 * A tampered, foreign or malformed cookie reads as none.
 * @example
 * const { flash, clear } = takeFlash(request, base);
 */
export function takeFlash(request: RouteRequest, path: string): { flash: Flash | null; headers: Record<string, string> } {
  const value = cookieValue(request.headers.cookie, FLASH_COOKIE);
  if (value === null) return { flash: null, headers: {} };
  const headers = { 'set-cookie': `${FLASH_COOKIE}=; Path=${cookiePath(path)}; Max-Age=0; HttpOnly; SameSite=Lax` };
  const key = request.session.csrfToken;
  const [payload = '', mac = ''] = value.split('.');
  if (key === null || !/^[\w-]{1,2048}$/.test(payload) || !safeEqual(mac, signFlash(payload, key))) return { flash: null, headers };
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Flash>;
    if (parsed.done !== 'session' && parsed.done !== 'others' && parsed.done !== 'user') return { flash: null, headers };
    return { flash: parsed as Flash, headers };
  } catch {
    // A signed payload always parses; anything else is not ours.
    return { flash: null, headers };
  }
}

function signFlash(payload: string, key: string): string {
  return createHmac('sha256', key).update(`flash:${payload}`).digest('base64url');
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A cookie path never carries characters that would end the attribute. */
function cookiePath(path: string): string {
  return path.replace(/[;,\s]/g, '');
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (typeof header !== 'string' || header.length > 16_384) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
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
 * Build the view of one session (the location in `locale` when the database has that language).
 * @example
 * toSessionView(record, request.session.id, config.locate)
 */
export function toSessionView(record: PublicSession, currentId: string | null, locate: LocationLookup | null, locale?: string): SessionView {
  return {
    id: record.id,
    device: device(record.userAgent),
    location: locate === null ? null : locate(record.ip, locale),
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
 * Build the admin view of one session at `now`; a lapsed session ended at its deadline.
 * @example
 * toAdminSessionView(record, now, request.session.id, config.locate)
 */
export function toAdminSessionView(record: SessionRecord, now: number, currentId: string | null, locate: LocationLookup | null, locale?: string): AdminSessionView {
  const live = isLive(record, now);
  const lapsed = record.expiresAt <= now ? 'expired' : 'idle';
  return {
    ...toSessionView(record, currentId, locate, locale),
    userId: record.userId,
    status: live ? 'active' : 'ended',
    endedAt: live ? null : (record.endedAt ?? Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt)),
    endReason: live ? null : (record.endReason ?? lapsed),
  };
}

/**
 * The current session first, then the most recently active (ties by sign-in, then id), so rows never swap on reload.
 * @example
 * const ordered = currentFirst(sessions, request.session.id);
 */
export function currentFirst<T extends PublicSession>(sessions: readonly T[], currentId: string | null): T[] {
  return [...sessions].sort((a, b) => Number(b.id === currentId) - Number(a.id === currentId) || b.lastActiveAt - a.lastActiveAt || b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1));
}

/**
 * The locale-bound helpers a page renders with.
 * @example
 * const texts = await textsFor(request, config, warden.now()); texts.t('activeSessions')
 */
export interface Texts {
  /** The catalogue's locale. */
  readonly locale: Locale;
  /** The tag for Intl formatting and the page's `lang` (the request's own tag, such as 'en-GB'). */
  readonly tag: string;
  readonly timeZone: string;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  /** A localised "Chrome on macOS" from the stored user agent (never the raw header). */
  device(userAgent: string | null): string;
  /** A `<time>` with "5 minutes ago" (or a date) as text, the full local date as its title. */
  time(ms: number): SafeHtml;
  /** A `<time>` with the full local date and time as text. */
  fullTime(ms: number): SafeHtml;
}

/**
 * Choose the page's locale (the app's `locale` hook, then Accept-Language) and time zone, and bind the helpers to them.
 * @example
 * const texts = await textsFor(request, config, warden.now());
 */
export async function textsFor(request: RouteRequest, config: Pick<ResolvedPageOptions, 'defaultLocale' | 'locale' | 'timeZone'>, now: number): Promise<Texts> {
  const chosen = await pickLocale(request, config);
  return bindTexts(chosen.locale, chosen.tag, await pickTimeZone(request, config), now);
}

async function pickLocale(request: RouteRequest, config: Pick<ResolvedPageOptions, 'defaultLocale' | 'locale'>): Promise<{ locale: Locale; tag: string }> {
  const own = config.locale ? await config.locale(request) : null;
  // The app's stored choice is one more language range, tried before the browser's.
  if (typeof own === 'string' && matchLocale(own) !== null) return chooseLocale(own, config.defaultLocale);
  return chooseLocale(request.headers.acceptLanguage, config.defaultLocale);
}

async function pickTimeZone(request: RouteRequest, config: Pick<ResolvedPageOptions, 'timeZone'>): Promise<string> {
  const zone = config.timeZone ? await config.timeZone(request) : null;
  if (typeof zone !== 'string' || zone.length > 64) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    // An unknown zone from the app's user settings must not break the page.
    return 'UTC';
  }
}

/**
 * Helpers for one locale, tag and zone (error pages and tests build them without a request).
 * @example
 * const texts = bindTexts('de', 'de-AT', 'Europe/Vienna', Date.now());
 */
export function bindTexts(locale: Locale, tag: string, timeZone: string, now: number): Texts {
  const t = (key: MessageKey, params?: Record<string, string | number>) => translate(tag, key, params);
  // In a right-to-left page the Latin product names are isolated, so "Chrome على Windows 10" never reorders.
  const isolate = direction(locale) === 'rtl' ? (text: string) => `\u2068${text}\u2069` : (text: string) => text;
  return {
    locale,
    tag,
    timeZone,
    t,
    device(userAgent) {
      const { browser, os } = parseDevice(userAgent);
      // A no-break space keeps "Windows 10" on one line.
      const osLabel = os === null ? null : isolate(os.replace(/ /g, '\u00a0'));
      const browserLabel = browser === null ? null : isolate(browser === 'Bot' ? t('bot') : browser);
      if (browserLabel !== null && osLabel !== null) return t('deviceOn', { browser: browserLabel, os: osLabel });
      return browserLabel ?? osLabel ?? t('unknownDevice');
    },
    time: (ms) => html`<time datetime="${new Date(ms).toISOString()}" title="${formatDateTime(ms, tag, timeZone)}">${formatRelativeTime(ms, now, tag, timeZone)}</time>`,
    fullTime: (ms) => html`<time datetime="${new Date(ms).toISOString()}">${formatDateTime(ms, tag, timeZone)}</time>`,
  };
}

/**
 * A whole HTML page: the document shell, the shared stylesheet under the response's CSP nonce, a link back, and
 * `body` in <main>. `status` may carry extra headers (the flash cookie's clearing).
 * @example
 * return renderPage(200, texts, texts.t('activeSessions'), body, null, { back: { href: '/', label: texts.t('backToApp') } });
 */
export function renderPage(
  status: number,
  texts: Texts,
  title: string,
  body: SafeHtml,
  script: ((nonce: string) => string) | null = null,
  extra: { back?: { href: string; label: string } | null; headers?: Record<string, string> } = {},
): RouteResponse {
  return page(
    status,
    (nonce) => html`<!doctype html>
<html lang="${texts.tag}" dir="${direction(texts.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title}</title>
<style nonce="${nonce}">${raw(STYLESHEET)}</style>
</head>
<body>
<main>
${extra.back ? html`<p class="crumb"><a href="${extra.back.href}">${BACK_ICON}${extra.back.label}</a></p>` : ''}
<h1 id="title">${title}</h1>
${body}
</main>
${script === null ? '' : raw(script(nonce))}
</body>
</html>`.value,
    { 'content-language': texts.tag, ...extra.headers },
    script !== null,
  );
}

/**
 * A POST form that is just one button, carrying the session's CSRF token; `describedBy` names the row it acts on.
 * @example
 * actionButton(`${base}/${id}/revoke`, csrfToken, texts.t('endSession'), `device-${id}`)
 */
export function actionButton(action: string, csrfToken: string | null, label: string, describedBy?: string, kind: 'danger' | 'primary' | 'quiet' | 'danger-fill' = 'danger'): SafeHtml {
  return html`<form class="inline" method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrfToken ?? ''}"><button type="submit" class="${kind}"${describedBy ? html` aria-describedby="${describedBy}"` : ''}>${label}</button></form>`;
}

/**
 * The confirmation band shown once after an action: announced, and focused so that keyboard users start there
 * (`focus: false` where a form field should have focus instead, which then names the band as its description).
 * @example
 * noticeOf(texts.t('reasonIdle'), { focus: false, id: 'notice' })
 */
export function noticeOf(text: string | null, options: { focus?: boolean; id?: string } = {}): SafeHtml | string {
  if (text === null) return '';
  const focus = options.focus ?? true;
  return html`<p class="notice" role="status"${options.id ? html` id="${options.id}"` : ''}${focus ? html` tabindex="-1" autofocus` : ''}>${CHECK_ICON}<span>${text}</span></p>`;
}

/**
 * The one-line summary of a session under its title: location (when known), IP, then `activity`.
 * @example
 * metaLine(view, texts, texts.t('activeNow'))
 */
export function metaLine(view: SessionView, parts: ReadonlyArray<SafeHtml | string>, badge: string | null = null): SafeHtml {
  const items = [view.location === null ? null : view.location, view.ip === null ? null : html`<bdi>${view.ip}</bdi>`, ...parts].filter((item) => item !== null);
  // On a phone the badge moves from the title line to this one (the stylesheet shows one of the two).
  return html`${badge === null ? '' : html`<span class="badge">${badge}</span>`}${items.map((item, index) => html`${index > 0 ? html`<span class="sep" aria-hidden="true"> · </span>` : ''}<span>${item}</span>`)}`;
}

/** The chevron a phone shows instead of the "End session" label: the whole row leads to the confirmation. */
export const CHEVRON = raw('<svg class="chev" viewBox="0 0 24 24" width="22" height="22" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M9 5l7 7-7 7"/></svg>');

const ICONS: Record<DeviceKind, string> = {
  desktop: '<rect x="3" y="4" width="18" height="12" rx="1.5"/><path d="M8 20h8M12 16v4"/>',
  phone: '<rect x="7" y="2.5" width="10" height="19" rx="2"/><path d="M11 18.5h2"/>',
  tablet: '<rect x="4.5" y="2.5" width="15" height="19" rx="2"/><path d="M11 18.5h2"/>',
  other: '<circle cx="12" cy="12" r="9"/><path d="M3 12h18M12 3a14 14 0 0 1 0 18M12 3a14 14 0 0 0 0 18"/>',
};

/**
 * The inline SVG icon of a device kind (desktop, phone, tablet, or a globe for tools and the unknown); decorative.
 * @example
 * deviceIcon(parseDevice(record.userAgent).kind)
 */
export function deviceIcon(kind: DeviceKind): SafeHtml {
  return raw(`<svg class="icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false" data-kind="${kind}">${ICONS[kind]}</svg>`);
}

const BACK_ICON = raw('<svg class="back" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M15 5l-7 7 7 7"/></svg>');
const CHECK_ICON = raw('<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false"><path d="M5 12.5l4.5 4.5L19 7.5"/></svg>');

/**
 * The label of a flash's device in the page's language, from the allow-listed names it carries.
 * @example
 * flashDevice(flash, texts) // 'Firefox on Linux'
 */
export function flashDevice(flash: Flash, texts: Texts): string {
  const browser = typeof flash.browser === 'string' ? flash.browser : null;
  const os = typeof flash.os === 'string' ? flash.os : null;
  if (browser !== null && os !== null) return texts.t('deviceOn', { browser, os });
  return browser ?? os ?? texts.t('unknownDevice');
}

/** The allow-listed parts of a stored user agent, for a flash. */
export function deviceParts(userAgent: string | null): { browser: string | null; os: string | null } {
  const { browser, os } = parseDevice(userAgent);
  return { browser, os };
}
