// The demo's HTML pages: server-rendered, escaped, styled by one static stylesheet (no inline style or script).
import { html, type SafeHtml } from '../src/html/escape.js';
import { translate, type Locale, type MessageKey } from '../src/i18n/index.js';
import type { PublicSession } from '../src/index.js';
import { demoUsers, type DemoUser } from './users.js';

const REASONS: Record<string, MessageKey> = {
  logout: 'reasonLogout',
  idle: 'reasonIdle',
  expired: 'reasonExpired',
  replaced: 'reasonReplaced',
  revoked: 'reasonRevoked',
  'revoked-by-admin': 'reasonRevokedByAdmin',
};

/** The catalogue's sentence for an end reason (unknown reasons show nothing). */
export function reasonMessage(reason: string | null | undefined, locale: Locale = 'en'): string | null {
  return reason && Object.hasOwn(REASONS, reason) ? translate(locale, REASONS[reason]!) : null;
}

function layout(title: string, body: SafeHtml, head: SafeHtml | string = ''): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · sessionwarden demo</title>
<link rel="stylesheet" href="/demo.css">
${head}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`.value;
}

/**
 * The sign-in form, with the demo accounts and the reason the last session ended.
 * @example
 * res.send(loginPage({ reason: 'idle' }))
 */
export function loginPage(options: { reason?: string | null; error?: string | null; username?: string; csrfToken?: string | null }): string {
  const notice = reasonMessage(options.reason);
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="/login" class="card">
  ${options.csrfToken ? html`<input type="hidden" name="_csrf" value="${options.csrfToken}">` : ''}
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required value="${options.username ?? ''}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>
<p class="hint">Demo accounts: ${demoUsers.map((user, index) => html`${index > 0 ? ', ' : ''}<code>${user.id}</code>`)} — password <code>demo</code> for each.</p>`,
  );
}

/** Format epoch ms as an ISO-like UTC string for the demo. */
function when(ms: number | null): string {
  return ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/**
 * The signed-in home page: who you are and this session's record and deadlines.
 * @example
 * res.send(homePage({ user, session, csrfToken }))
 */
export function homePage(options: { user: DemoUser; session: PublicSession; csrfToken: string; head?: SafeHtml; links?: SafeHtml }): string {
  const { user, session } = options;
  return layout(
    'Home',
    html`<h1>Signed in as ${user.name}</h1>
<dl class="card">
  <dt>User</dt><dd><code>${user.id}</code>${user.admin ? ' (admin)' : ''}</dd>
  <dt>Session</dt><dd><code>${session.id}</code></dd>
  <dt>Created</dt><dd>${when(session.createdAt)}</dd>
  <dt>Last active</dt><dd>${when(session.lastActiveAt)}</dd>
  <dt>Idle deadline</dt><dd>${when(Math.min(session.lastActiveAt + session.idleTimeout, session.expiresAt))}</dd>
  <dt>Absolute deadline</dt><dd>${when(session.expiresAt)}</dd>
</dl>
${options.links ?? ''}
<form method="post" action="/logout">
  <input type="hidden" name="_csrf" value="${options.csrfToken}">
  <button type="submit">Sign out</button>
</form>`,
    options.head ?? '',
  );
}

/**
 * Links to the session pages from the home page ("All sessions (admin)" only for the admin).
 * @example
 * homePage({ user, session, csrfToken, links: sessionLinks(user.admin) })
 */
export function sessionLinks(admin: boolean): SafeHtml {
  return html`<nav><a href="/account/sessions">Your sessions</a>${admin ? html`<a href="/admin/sessions">All sessions (admin)</a>` : ''}</nav>`;
}

/**
 * Confirm the password again before a sensitive action ("sudo mode").
 * @example
 * res.send(reauthPage({ user, csrfToken, returnTo: '/account/sessions' }))
 */
export function reauthPage(options: { user: DemoUser; csrfToken: string; returnTo: string; error?: string; head?: SafeHtml }): string {
  return layout(
    'Confirm your password',
    html`<h1>Confirm your password</h1>
<p>Please confirm your password to continue, ${options.user.name}.</p>
${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ''}
<form method="post" action="/reauthenticate" class="card">
  <input type="hidden" name="_csrf" value="${options.csrfToken}">
  <input type="hidden" name="returnTo" value="${options.returnTo}">
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Confirm</button>
</form>`,
    options.head ?? '',
  );
}

/**
 * A small page for errors and refusals (status codes other than 200).
 * @example
 * res.status(409).send(messagePage('Already signed in', text))
 */
export function messagePage(title: string, message: string, link: { href: string; label: string } = { href: '/login', label: 'Back to sign in' }): string {
  return layout(title, html`<h1>${title}</h1><p class="error" role="alert">${message}</p><p><a href="${link.href}">${link.label}</a></p>`);
}
