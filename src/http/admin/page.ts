// The admin "All Sessions" page, and the search/filter/cursor query it shares with the admin routes.
import { normalizeIp } from '../../core/client-ip.js';
import type { PublicSession, SessionRecord } from '../../core/types.js';
import { parseDevice } from '../../device/index.js';
import { html, type SafeHtml } from '../../html/escape.js';
import type { MessageKey } from '../../i18n/index.js';
import type { LocationLookup } from '../../location/index.js';
import type { RouteResponse } from '../types.js';
import { withTime } from '../sessions/page.js';
import { actionButton, deviceIcon, flashDevice, metaLine, noticeOf, renderPage, toAdminSessionView, toSessionView, type Flash, type Texts } from '../view.js';

/**
 * The listing's query string, parsed: `q` (a user id, or an IP), `status`, `mine` and the cursor.
 * @example
 * filtersOf(new URLSearchParams('q=alice&status=active')) // { q: 'alice', status: 'active', mine: false, cursor: null }
 */
export interface AdminFilters {
  q: string;
  status: 'all' | 'active' | 'ended';
  mine: boolean;
  cursor: string | null;
}

/**
 * Parse the listing's query string; unknown values fall back to the defaults (all statuses, first page).
 * @example
 * const filters = filtersOf(request.query);
 */
export function filtersOf(query: URLSearchParams): AdminFilters {
  const status = query.get('status');
  const cursor = query.get('cursor');
  return {
    q: (query.get('q') ?? '').trim().slice(0, 256),
    status: status === 'active' || status === 'ended' ? status : 'all',
    mine: query.get('mine') === '1',
    cursor: cursor === null || cursor === '' ? null : cursor.slice(0, 64),
  };
}

/**
 * The search as store filters: an IP-shaped `q` searches by IP, anything else by user id, and "mine" adds the admin's
 * user id; null when the two user ids differ (nothing can match).
 * @example
 * searchOf({ q: '203.0.113.9', status: 'all', mine: false, cursor: null }, 'admin') // { ip: '203.0.113.9' }
 */
export function searchOf(filters: AdminFilters, adminId: string): { userId?: string; ip?: string } | null {
  const ip = normalizeIp(filters.q);
  const byUser = filters.q !== '' && ip === null ? filters.q : undefined;
  if (filters.mine && byUser !== undefined && byUser !== adminId) return null;
  const userId = filters.mine ? adminId : byUser;
  return { ...(userId === undefined ? {} : { userId }), ...(ip === null ? {} : { ip }) };
}

/**
 * Serialise filters back into a query string (for links, forms and the redirect after an action).
 * @example
 * filterQuery({ ...filters, cursor: next }) // 'q=alice&status=active&cursor=…'
 */
export function filterQuery(filters: AdminFilters): string {
  const params = new URLSearchParams();
  if (filters.q !== '') params.set('q', filters.q);
  if (filters.status !== 'all') params.set('status', filters.status);
  if (filters.mine) params.set('mine', '1');
  if (filters.cursor !== null) params.set('cursor', filters.cursor);
  return params.toString();
}

/** What the admin page shows. */
export interface AdminPageInput {
  texts: Texts;
  base: string;
  /** The idle script's tag renderer, when the page should load it. */
  script?: ((nonce: string) => string) | null;
  filters: AdminFilters;
  /** The user the filters select (a search by user id, or "mine"), who gets an "end all" button. */
  targetUser: string | null;
  /** How many live sessions that user has (no "end all" for none). */
  targetLive?: number;
  sessions: readonly SessionRecord[];
  nextCursor: string | null;
  now: number;
  currentId: string | null;
  csrfToken: string | null;
  locate: LocationLookup | null;
  /** The confirmation of the action just done, shown once, and the headers that clear it. */
  flash?: Flash | null;
  headers?: Record<string, string>;
  /** Where the "Back" link goes. @default '/' */
  backUrl?: string;
}

const END_REASON_KEYS: Record<string, MessageKey> = {
  logout: 'endReasonLogout',
  idle: 'endReasonIdle',
  expired: 'endReasonExpired',
  replaced: 'endReasonReplaced',
  revoked: 'endReasonRevoked',
  'revoked-by-admin': 'endReasonRevokedByAdmin',
};

/** "First page" once past it, "Next page" while there is more; nothing on a single page. */
function pageLinks({ base, filters, nextCursor, texts }: AdminPageInput): SafeHtml | string {
  if (filters.cursor === null && nextCursor === null) return '';
  const hrefOf = (query: string) => (query === '' ? base : `${base}?${query}`);
  const link = (cursor: string | null, label: string, rel: string) => html`<a href="${hrefOf(filterQuery({ ...filters, cursor }))}" rel="${rel}">${label}</a>`;
  return html`<nav class="pages">${filters.cursor === null ? '' : link(null, texts.t('firstPage'), 'first')}${nextCursor === null ? '' : link(nextCursor, texts.t('nextPage'), 'next')}</nav>`;
}

/**
 * Render the admin listing: search and filters, one row per session (user, device with IP and location, sign-in,
 * last activity, status with the end reason and time), an end button per live row ("Sign out" on the admin's own),
 * "end all" for a selected user with live sessions (through a confirmation), cursor links.
 * @example
 * return renderAdminPage({ texts, base: '/admin/sessions', filters, targetUser, sessions, nextCursor, now, currentId, csrfToken, locate });
 */
export function renderAdminPage(input: AdminPageInput): RouteResponse {
  const { texts, base, filters, csrfToken } = input;
  const t = texts.t;
  const keep = filterQuery(filters);
  const back = keep === '' ? '' : `?${keep}`;
  const rows = input.sessions.map((record) => {
    const view = toAdminSessionView(record, input.now, input.currentId, input.locate, texts.tag);
    const reasonKey = view.endReason === null ? undefined : END_REASON_KEYS[view.endReason];
    const status = view.status === 'active'
      ? html`<span class="badge">${t('active')}</span>`
      : html`<span class="badge off">${t('ended')}</span>${reasonKey ? html`<span class="reason">${t(reasonKey)}</span>` : ''}${view.endedAt === null ? '' : html`<span class="reason">${texts.time(view.endedAt)}</span>`}`;
    const action = view.status !== 'active'
      ? ''
      : view.current
        ? actionButton(`${base}/${view.id}/revoke${back}`, csrfToken, t('signOut'), `device-${view.id}`, 'quiet')
        : actionButton(`${base}/${view.id}/revoke${back}`, csrfToken, t('endSession'), `device-${view.id}`);
    return html`<tr${view.current ? html` class="current" aria-current="true"` : ''}>
<td class="who" data-label="${t('user')}">${view.userId === null ? html`<span class="muted">—</span>` : html`<bdi>${view.userId}</bdi>`}</td>
<td class="what" data-label="${t('session')}"><div class="session">${deviceIcon(parseDevice(record.userAgent).kind)}<span class="name"><span id="device-${view.id}">${texts.device(record.userAgent)}</span>${view.current ? html` <span class="badge">${t('thisDevice')}</span>` : ''}</span><span class="meta">${metaLine(view, [])}</span></div></td>
<td class="when" data-label="${t('signedIn')}">${texts.time(view.createdAt)}</td>
<td class="when" data-label="${t('lastActivity')}">${texts.time(view.lastActiveAt)}</td>
<td class="status" data-label="${t('status')}">${status}</td>
<td class="act">${action}</td>
</tr>`;
  });
  const statuses = (['all', 'active', 'ended'] as const).map((status) => html`<option value="${status}"${filters.status === status ? html` selected` : ''}>${t(FILTER_KEYS[status])}</option>`);
  const target = input.targetUser !== null && (input.targetLive ?? 0) > 0
    ? html`<div class="target"><strong><bdi>${input.targetUser}</bdi></strong><a class="button danger" href="${base}/users/${encodeURIComponent(input.targetUser)}/end${back}">${t('endAllForUser')}</a></div>`
    : '';
  const body = html`${noticeOf(flashText(input.flash ?? null, texts))}
<form class="filters" method="get" action="${base}" role="search">
<label>${t('searchLabel')} <input type="search" name="q" value="${filters.q}" placeholder="${t('searchPlaceholder')}" maxlength="256"></label>
<label>${t('status')} <select name="status">${statuses}</select></label>
<label class="check"><input type="checkbox" name="mine" value="1"${filters.mine ? html` checked` : ''}> ${t('mine')}</label>
<button type="submit" class="primary">${t('search')}</button>
</form>
${target}
${rows.length === 0 ? html`<p class="muted">${t('noSessions')}</p>` : html`<table aria-labelledby="title">
<thead><tr><th scope="col">${t('user')}</th><th scope="col">${t('session')}</th><th scope="col">${t('signedIn')}</th><th scope="col">${t('lastActivity')}</th><th scope="col">${t('status')}</th><th scope="col"><span class="sr">${t('actions')}</span></th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`}
${pageLinks(input)}`;
  return renderPage(200, texts, t('allSessions'), body, input.script ?? null, { back: { href: input.backUrl ?? '/', label: t('backToApp') }, headers: input.headers });
}

const FILTER_KEYS = { all: 'filterAll', active: 'filterActive', ended: 'filterEnded' } as const satisfies Record<AdminFilters['status'], MessageKey>;

function flashText(flash: Flash | null, texts: Texts): string | null {
  if (flash === null) return null;
  if (flash.done === 'user') return texts.t('userSessionsEnded', { count: typeof flash.count === 'number' ? flash.count : 0 });
  return texts.t('sessionEndedOn', { device: flashDevice(flash, texts) });
}

/**
 * "End all 3 sessions of alice?": the user's live sessions, what ending them does, the button, and Cancel.
 * @example
 * return renderConfirmUserPage({ texts, base, back: '?q=alice', userId: 'alice', sessions, csrfToken, locate });
 */
export function renderConfirmUserPage(input: { texts: Texts; base: string; back: string; userId: string; sessions: readonly PublicSession[]; csrfToken: string | null; locate: LocationLookup | null; script?: ((nonce: string) => string) | null }): RouteResponse {
  const { texts, base } = input;
  const t = texts.t;
  const items = input.sessions.map((session) => {
    const view = toSessionView(session, null, input.locate, texts.tag);
    return html`<li>${deviceIcon(parseDevice(session.userAgent).kind)}<span><strong>${texts.device(session.userAgent)}</strong><br><span class="meta">${metaLine(view, [withTime(texts, 'lastActive', texts.time(view.lastActiveAt))])}</span></span></li>`;
  });
  const list = `${base}${input.back}`;
  const body = html`<p>${t('confirmEndUserText', { user: input.userId })}</p>
<div class="card"><ul class="plain">${items}</ul></div>
<form method="post" action="${base}/users/${encodeURIComponent(input.userId)}/revoke${input.back}" class="actions"><input type="hidden" name="_csrf" value="${input.csrfToken ?? ''}"><button type="submit" class="danger-fill">${t('endAllForUser')}</button> <a class="button" href="${list}">${t('cancel')}</a></form>`;
  return renderPage(200, texts, t('confirmEndUser', { count: input.sessions.length, user: input.userId }), body, input.script ?? null, { back: { href: list, label: t('allSessions') } });
}
