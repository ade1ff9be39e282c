// The demo's HTML pages: server-rendered, escaped, translated, in the library's look (no inline style or script).
// Framework-neutral: each page takes plain values and returns the document as a string.
import { html, type SafeHtml } from '../src/html/escape.js';
import { direction, formatClock, formatDateTime, formatDuration, formatRelativeTime, type MessageKey } from '../src/i18n/index.js';
import type { PublicSession } from '../src/index.js';
import { parseDevice } from '../src/device/index.js';
import { withTime } from '../src/http/sessions/page.js';
import { deviceIcon, metaLine, noticeOf, toSessionView, type Texts } from '../src/http/view.js';
import { demoStrings } from './strings.js';
import { demoUsers, type DemoUser } from './users.js';

const REASONS: Record<string, MessageKey> = {
  logout: 'reasonLogout',
  idle: 'reasonIdle',
  expired: 'reasonExpired',
  replaced: 'reasonReplaced',
  revoked: 'reasonRevoked',
  'revoked-by-admin': 'reasonRevokedByAdmin',
};

/**
 * The catalogue's sentence for an end reason in the page's language (unknown reasons show nothing).
 * @example
 * reasonMessage('idle', texts) // 'You were signed out after a period of inactivity.'
 */
export function reasonMessage(reason: string | null | undefined, texts: Texts): string | null {
  return reason && Object.hasOwn(REASONS, reason) ? texts.t(REASONS[reason]!) : null;
}

/** What every demo page gets: the language helpers and what goes into <head> (the idle script). */
export interface PageContext {
  texts: Texts;
  head?: SafeHtml | string;
}

function layout(context: PageContext, title: string, body: SafeHtml, mainClass = ''): string {
  const { texts } = context;
  return html`<!doctype html>
<html lang="${texts.tag}" dir="${direction(texts.locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · sessionwarden</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/demo.css">
${context.head ?? ''}
</head>
<body>
<main${mainClass ? html` class="${mainClass}"` : ''}>
${body}
</main>
</body>
</html>`.value;
}

/** A time of day for instants within the next 20 hours, else a full date and time. */
function formatWhen(ms: number, now: number, texts: Texts): string {
  return ms - now < 20 * 3_600_000 ? formatClock(ms, texts.tag, texts.timeZone) : formatDateTime(ms, texts.tag, texts.timeZone);
}

/** A password field that says when it was wrong (aria-invalid, the message tied to it), focused when asked. */
function passwordField(texts: Texts, error: string | null, focus: boolean): SafeHtml {
  return html`<label for="password">${texts.t('password')}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${focus ? html` autofocus` : ''}${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>`;
}

function errorBand(error: string | null): SafeHtml | string {
  return error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : '';
}

/**
 * The sign-in form: the reason the last session ended, the demo accounts, and where to go back to afterwards.
 * `hiddenFields` is the seam for the form's anti-forgery field (a pre-session CSRF token, when the app has one).
 * @example
 * loginPage(context, { reason: 'idle', returnTo: '/account/sessions' })
 */
export function loginPage(context: PageContext, options: { reason?: string | null; error?: string | null; username?: string; csrfToken?: string | null; returnTo?: string | null; hiddenFields?: SafeHtml }): string {
  const { texts } = context;
  const t = texts.t;
  const notice = reasonMessage(options.reason, texts);
  const error = options.error ?? null;
  const username = options.username ?? '';
  return layout(
    context,
    t('signIn'),
    html`<h1>${t('signIn')}</h1>
${noticeOf(notice, { focus: false, id: 'notice' })}
${errorBand(error)}
<form method="post" action="/login" class="stack">
  ${options.csrfToken ? html`<input type="hidden" name="_csrf" value="${options.csrfToken}">` : ''}${options.hiddenFields ?? ''}
  ${options.returnTo ? html`<input type="hidden" name="returnTo" value="${options.returnTo}">` : ''}
  <label for="username">${t('username')}</label>
  <input id="username" name="username" autocomplete="username" required value="${username}"${username === '' ? html` autofocus` : ''}${error ? html` aria-invalid="true" aria-describedby="form-error"` : notice ? html` aria-describedby="notice"` : ''}>
  ${passwordField(texts, error, username !== '')}
  <div class="actions"><button type="submit" class="primary">${t('signIn')}</button></div>
</form>
<p class="hint">${demoStrings(texts.tag).demoHint.split('{users}')[0]}${demoUsers.map((user, index) => html`${index > 0 ? ', ' : ''}<code>${user.id}</code>`)}${demoStrings(texts.tag).demoHint.split('{users}')[1]}</p>`,
  );
}

/**
 * The signed-in home page: this device, when inactivity will sign you out (kept current by the idle script), links.
 * @example
 * homePage(context, { user, session, csrfToken, admin: false })
 */
export function homePage(context: PageContext, options: { user: DemoUser; session: PublicSession; csrfToken: string; now: number }): string {
  const { texts } = context;
  const t = texts.t;
  const { user, session } = options;
  const view = toSessionView(session, session.id, null, texts.tag);
  const deadline = Math.min(session.lastActiveAt + session.idleTimeout, session.expiresAt);
  const [before = '', after = ''] = demoStrings(texts.tag).idleAt.split('{time}');
  return layout(
    context,
    demoStrings(texts.tag).signedInAs.replace('{name}', user.name),
    html`<h1>${demoStrings(texts.tag).signedInAs.replace('{name}', user.name)}</h1>
<div class="card"><div class="session current">
${deviceIcon(parseDevice(session.userAgent).kind)}
<span class="name">${texts.device(session.userAgent)} <span class="badge">${t('thisDevice')}</span></span>
<span class="meta">${metaLine(view, [withTime(texts, 'signedInAt', texts.time(session.createdAt))], t('thisDevice'))}</span>
</div>
<p class="muted deadline">${before}<time datetime="${new Date(deadline).toISOString()}" data-sessionwarden-deadline>${formatWhen(deadline, options.now, texts)}</time>${after}</p></div>
<div class="actions">
<a class="button" href="/account/sessions">${t('activeSessions')}</a>
${user.admin ? html`<a class="button" href="/admin/sessions">${t('allSessions')}</a>` : ''}
<form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${options.csrfToken}"><button type="submit">${t('signOut')}</button></form>
</div>`,
    'home',
  );
}

/**
 * Confirm the password again before a sensitive action ("sudo mode"): what it is for, the field, Confirm and Cancel.
 * @example
 * reauthPage(context, { csrfToken, returnTo: '/account/sessions/abc/end', cancelUrl: '/account/sessions', forSessions: true })
 */
export function reauthPage(context: PageContext, options: { csrfToken: string; returnTo: string; cancelUrl: string; forSessions: boolean; error?: string | null }): string {
  const { texts } = context;
  const t = texts.t;
  const error = options.error ?? null;
  return layout(
    context,
    t('confirmPasswordTitle'),
    html`<h1>${t('confirmPasswordTitle')}</h1>
<p>${t(options.forSessions ? 'reauthForSessions' : 'reauthenticationRequired')}</p>
${errorBand(error)}
<form method="post" action="/reauthenticate" class="stack">
  <input type="hidden" name="_csrf" value="${options.csrfToken}">
  <input type="hidden" name="returnTo" value="${options.returnTo}">
  ${passwordField(texts, error, true)}
  <div class="actions"><button type="submit" class="primary">${t('confirm')}</button> <a class="button" href="${options.cancelUrl}">${t('cancel')}</a></div>
</form>`,
  );
}

/** The sign-in the session limit refused, as the refusal page shows it. */
export interface Refusal {
  username: string;
  /** The session in the way (the most recently active of the user's). */
  blocking: PublicSession | null;
  /** The limit: sessions allowed at once. */
  max: number;
  /** When a sign-in here is possible at the latest (the lock window's end), or null when only the other session's end opens a slot. */
  latestAt: number | null;
  /** Whether the user may sign the other device out now (the app allows it and its lock window has passed). */
  canTakeOver: boolean;
  now: number;
  error?: string | null;
  csrfToken?: string | null;
  returnTo?: string | null;
}

/**
 * "Signed in on another device": which device and when it was last active, an honest sentence about when signing in
 * here becomes possible, and the form again (the username kept), with "Sign out the other device" when allowed.
 * @example
 * refusedPage(context, { username: 'alice', blocking, max: 1, latestAt, canTakeOver: false, now })
 */
export function refusedPage(context: PageContext, refusal: Refusal): string {
  const { texts } = context;
  const t = texts.t;
  const blocking = refusal.blocking;
  const idle = blocking === null ? null : formatDuration(blocking.idleTimeout / 1000, texts.tag);
  const wait = idle === null
    ? ''
    : refusal.latestAt !== null && refusal.latestAt > refusal.now
      ? t('limitWaitUntil', { clock: formatWhen(refusal.latestAt, refusal.now, texts), idle })
      : t('limitWaitIdle', { idle });
  const error = refusal.error ?? null;
  return layout(
    context,
    t('limitTitle'),
    html`<h1>${t('limitTitle')}</h1>
<p>${blocking === null ? '' : t('limitDevice', { device: texts.device(blocking.userAgent), time: formatRelativeTime(blocking.lastActiveAt, refusal.now, texts.tag, texts.timeZone) })} ${t('limitMax', { count: refusal.max })}</p>
${wait ? html`<p>${wait}</p>` : ''}
${refusal.canTakeOver ? html`<p>${t('limitTakeOverText')}</p>` : ''}
${errorBand(error)}
<form method="post" action="/login" class="stack">
  ${refusal.csrfToken ? html`<input type="hidden" name="_csrf" value="${refusal.csrfToken}">` : ''}
  ${refusal.returnTo ? html`<input type="hidden" name="returnTo" value="${refusal.returnTo}">` : ''}
  <label for="username">${t('username')}</label>
  <input id="username" name="username" autocomplete="username" required value="${refusal.username}">
  ${passwordField(texts, error, true)}
  <div class="actions"><button type="submit" class="primary">${t('tryAgain')}</button>${refusal.canTakeOver ? html` <button type="submit" name="takeover" value="1" class="danger">${t('limitTakeOver')}</button>` : ''}</div>
</form>`,
  );
}
