// The <script> tag that loads the browser script, configured by data attributes (CSRF token, deadlines, strings).
import type { SessionContext } from '../../core/session-context.js';
import { escapeHtml } from '../../html/escape.js';
import { direction, pluralForms, translate, type Locale } from '../../i18n/index.js';
import { safeReturnTo } from '../../core/redirect.js';
import type { PingRoutes } from './routes.js';

/**
 * Options of `clientScriptTag`.
 * @example
 * clientScriptTag(ctx, ping, { nonce, warnBefore: 60, expireUrl: '/login', locale: 'de' })
 */
export interface ClientScriptTagOptions {
  /** The CSP nonce of this response (the script reads it for its stylesheet). */
  nonce?: string;
  /** Seconds of warning before expiry. @default 60 */
  warnBefore?: number;
  /** Where to go on expiry (a same-origin path; `?reason=` is added). @default reload the page */
  expireUrl?: string;
  /** Language of the warning: a supported locale or a regional tag ('en-GB', 'ar-EG'), as the page negotiated it. @default 'en' */
  locale?: Locale | string;
  /** Warn before leaving a page with an edited form. @default false */
  guardForms?: boolean;
}

/**
 * Render the script tag for a signed-in page; returns '' when the request has no session.
 * @example
 * `<body>…${clientScriptTag(req.sessionContext, ping, { nonce })}</body>`
 */
export function clientScriptTag(ctx: SessionContext, routes: Pick<PingRoutes, 'pingUrl' | 'scriptUrl'>, options: ClientScriptTagOptions = {}): string {
  const record = ctx.record;
  const csrf = ctx.csrfToken;
  if (record === null || csrf === null) return '';
  const now = ctx.now();
  const locale = options.locale ?? 'en';
  const strings = {
    warningTitle: translate(locale, 'warningTitle'),
    warningMessage: translate(locale, 'warningMessage'),
    warningAnnounce: pluralForms(locale, 'warningAnnounce'),
    staySignedIn: translate(locale, 'staySignedIn'),
    signOutNow: translate(locale, 'signOutNow'),
    unsavedChanges: translate(locale, 'unsavedChanges'),
  };
  const attributes: Array<[string, string | null]> = [
    ['type', 'module'],
    ['src', routes.scriptUrl],
    ['nonce', options.nonce ?? null],
    ['data-sessionwarden', ''],
    ['data-ping-url', routes.pingUrl],
    ['data-csrf', csrf],
    ['data-warn-before', String(options.warnBefore ?? 60)],
    ['data-idle-remaining', String(Math.max(0, (Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt) - now) / 1000))],
    ['data-absolute-remaining', String(Math.max(0, (record.expiresAt - now) / 1000))],
    ['data-expire-url', options.expireUrl === undefined ? null : safeReturnTo(options.expireUrl, '/')],
    ['data-strings', JSON.stringify(strings)],
    ['data-lang', locale],
    ['data-dir', direction(locale)],
    ['data-guard-forms', options.guardForms ? '' : null],
  ];
  const rendered = attributes
    .filter((entry): entry is [string, string] => entry[1] !== null)
    .map(([name, value]) => (value === '' ? name : `${name}="${escapeHtml(value)}"`))
    .join(' ');
  return `<script ${rendered}></script>`;
}
