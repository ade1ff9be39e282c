// The signed-in user's session pages: the list (this device first), and the confirmations before ending sessions.
import { html, type SafeHtml } from '../../html/escape.js';
import type { PublicSession } from '../../core/types.js';
import { parseDevice } from '../../device/index.js';
import type { LocationLookup } from '../../location/index.js';
import type { RouteResponse } from '../types.js';
import { actionButton, CHEVRON, currentFirst, deviceIcon, flashDevice, metaLine, noticeOf, renderPage, toSessionView, type Flash, type Texts } from '../view.js';

/** What the user's page shows. */
export interface SessionsPageInput {
  texts: Texts;
  base: string;
  /** The user's live sessions (the page puts the current one first). */
  sessions: readonly PublicSession[];
  currentId: string | null;
  csrfToken: string | null;
  locate: LocationLookup | null;
  /** The confirmation of the action just done, shown once. */
  flash?: Flash | null;
  /** Headers to send with the page (clearing the confirmation's cookie). */
  headers?: Record<string, string>;
  /** Where the "Back" link goes. @default '/' */
  backUrl?: string;
  /** Cursor links when the list is paged: a "next page" (and "first page") URL, rendered as given. */
  pages?: { next?: string | null; first?: string | null } | null;
  /** The idle script's tag renderer, when the page should load it. */
  script?: ((nonce: string) => string) | null;
}

/**
 * Render the user's session list: one block per session with its device icon, "Firefox on Linux", location, IP and
 * last activity; this device first with a badge and a "Sign out" button; "End session" and "End all other sessions"
 * lead to confirmations.
 * @example
 * return renderSessionsPage({ texts, base: '/account/sessions', sessions, currentId, csrfToken, locate });
 */
export function renderSessionsPage(input: SessionsPageInput): RouteResponse {
  const { texts, base, csrfToken } = input;
  const t = texts.t;
  const ordered = currentFirst(input.sessions, input.currentId);
  const others = ordered.filter((session) => session.id !== input.currentId).length;
  const rows = ordered.map((record) => {
    const view = toSessionView(record, input.currentId, input.locate, texts.tag);
    const name = `device-${view.id}`;
    const action = view.current
      ? actionButton(`${base}/${view.id}/revoke`, csrfToken, t('signOut'), name, 'quiet')
      : html`<a class="button danger end" href="${base}/${view.id}/end" aria-describedby="${name}"><span class="label">${t('endSession')}</span>${CHEVRON}</a>`;
    return html`<li class="session${view.current ? ' current' : ''}"${view.current ? html` aria-current="true"` : ''}>
${deviceIcon(parseDevice(record.userAgent).kind)}
<span class="name"><span id="${name}">${texts.device(record.userAgent)}</span>${view.current ? html` <span class="badge">${t('thisDevice')}</span>` : ''}</span>
<span class="meta">${metaLine(view, view.current ? [t('activeNow')] : [withTime(texts, 'lastActive', texts.time(view.lastActiveAt))], view.current ? t('thisDevice') : null)}</span>
<span class="act">${action}</span>
</li>`;
  });
  const pageLinks = input.pages && (input.pages.next || input.pages.first)
    ? html`<nav class="pages">${input.pages.first ? html`<a href="${input.pages.first}" rel="first">${t('firstPage')}</a>` : ''}${input.pages.next ? html`<a href="${input.pages.next}" rel="next">${t('nextPage')}</a>` : ''}</nav>`
    : '';
  const body = html`<p class="intro">${t('sessionsIntro')}</p>
${noticeOf(flashText(input.flash ?? null, texts))}
<ul class="sessions" aria-labelledby="title">
${rows}
</ul>
${pageLinks}
<div class="bulk">${others > 0 ? html`<a class="button danger" href="${base}/end-others">${t('endAllOtherSessions')}</a>` : html`<p class="muted">${t('noOtherSessions')}</p>`}</div>`;
  return renderPage(200, texts, t('activeSessions'), body, input.script ?? null, { back: { href: input.backUrl ?? '/', label: t('backToApp') }, headers: input.headers });
}

function flashText(flash: Flash | null, texts: Texts): string | null {
  if (flash === null) return null;
  if (flash.done === 'others') return texts.t('otherSessionsEnded', { count: typeof flash.count === 'number' ? flash.count : 0 });
  return texts.t('sessionEndedOn', { device: flashDevice(flash, texts) });
}

/**
 * Fill a message's `{time}` with HTML (a `<time>` element), keeping the words around it escaped.
 * @example
 * withTime(texts, 'lastActive', texts.time(ms))
 */
export function withTime(texts: Texts, key: 'lastActive' | 'signedInAt' | 'endedAt', time: SafeHtml): SafeHtml {
  const [before = '', after = ''] = texts.t(key, { time: '\u0000' }).split('\u0000');
  return html`${before}${time}${after}`;
}

/** What a confirmation page shows. */
export interface ConfirmPageInput {
  texts: Texts;
  base: string;
  csrfToken: string | null;
  locate: LocationLookup | null;
  /** Whether the sign-in is recent enough; when not, the button says "Continue" and the password step comes next. */
  fresh: boolean;
  script?: ((nonce: string) => string) | null;
}

/**
 * "End the session on Firefox on Linux?": the device's details, what ending it does, the button that posts the
 * action, and Cancel back to the list.
 * @example
 * return renderConfirmEndPage({ texts, base, csrfToken, locate, fresh: true, session });
 */
export function renderConfirmEndPage(input: ConfirmPageInput & { session: PublicSession }): RouteResponse {
  const { texts, base, session } = input;
  const t = texts.t;
  const view = toSessionView(session, null, input.locate, texts.tag);
  const label = texts.device(session.userAgent);
  const body = html`<div class="card"><div class="session">
${deviceIcon(parseDevice(session.userAgent).kind)}
<span class="name" id="device-${view.id}">${label}</span>
<span class="meta">${metaLine(view, [withTime(texts, 'lastActive', texts.time(view.lastActiveAt))])}</span>
</div>
<dl class="facts"><dt>${t('signedIn')}</dt><dd>${texts.fullTime(view.createdAt)}</dd><dt>${t('lastActivity')}</dt><dd>${texts.fullTime(view.lastActiveAt)}</dd></dl>
</div>
<p>${t('confirmEndSessionText')}</p>
${confirmActions(input, `${base}/${view.id}/revoke`, t('endSession'))}`;
  return renderPage(200, texts, t('confirmEndSession', { device: label }), body, input.script ?? null, { back: { href: base, label: t('activeSessions') } });
}

/**
 * "End 3 other sessions?": the devices that will be signed out, the button, and Cancel.
 * @example
 * return renderConfirmOthersPage({ texts, base, csrfToken, locate, fresh: true, others });
 */
export function renderConfirmOthersPage(input: ConfirmPageInput & { others: readonly PublicSession[] }): RouteResponse {
  const { texts, base } = input;
  const t = texts.t;
  const items = currentFirst(input.others, null).map((session) => {
    const view = toSessionView(session, null, input.locate, texts.tag);
    return html`<li>${deviceIcon(parseDevice(session.userAgent).kind)}<span><strong>${texts.device(session.userAgent)}</strong><br><span class="meta">${metaLine(view, [withTime(texts, 'lastActive', texts.time(view.lastActiveAt))])}</span></span></li>`;
  });
  const body = html`<p>${t('confirmEndOthersText')}</p>
<div class="card"><ul class="plain">${items}</ul></div>
${confirmActions(input, `${base}/revoke-others`, t('endAllOtherSessions'))}`;
  return renderPage(200, texts, t('confirmEndOthers', { count: input.others.length }), body, input.script ?? null, { back: { href: base, label: t('activeSessions') } });
}

function confirmActions(input: ConfirmPageInput, action: string, label: string): SafeHtml {
  const t = input.texts.t;
  return html`${input.fresh ? '' : html`<p class="muted">${t('freshNeeded')}</p>`}
<form method="post" action="${action}" class="actions"><input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}"><button type="submit" class="danger-fill">${input.fresh ? label : t('continue')}</button> <a class="button" href="${input.base}">${t('cancel')}</a></form>`;
}
