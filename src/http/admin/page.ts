// The admin "All Sessions" page, and the search/filter/cursor query it shares with the admin routes.
import { normalizeIp } from '../../core/client-ip.js';
import type { SessionRecord } from '../../core/types.js';
import { html, type SafeHtml } from '../../html/escape.js';
import type { MessageKey } from '../../i18n/index.js';
import type { LocationLookup } from '../../location/index.js';
import type { RouteResponse } from '../types.js';
import { actionButton, flashOf, renderPage, sessionCells, sessionHeaders, toAdminSessionView, type Texts } from '../view.js';

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
  sessions: readonly SessionRecord[];
  nextCursor: string | null;
  now: number;
  currentId: string | null;
  csrfToken: string | null;
  locate: LocationLookup | null;
  query: URLSearchParams;
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
 * Render the admin listing: search and filters, one row per session, an end button per live row, cursor links.
 * @example
 * return renderAdminPage({ texts, base: '/admin/sessions', filters, targetUser, sessions, nextCursor, now, currentId, csrfToken, locate, query });
 */
export function renderAdminPage(input: AdminPageInput): RouteResponse {
  const { texts, base, filters, csrfToken } = input;
  const t = texts.t;
  const keep = filterQuery(filters);
  const back = keep === '' ? '' : `?${keep}`;
  const flash = flashOf(input.query);
  const rows = input.sessions.map((record) => {
    const view = toAdminSessionView(record, input.now, input.currentId, input.locate);
    const reasonKey = view.endReason === null ? undefined : END_REASON_KEYS[view.endReason];
    return html`<tr${view.current ? html` class="current" aria-current="true"` : ''}>
<td data-label="${t('user')}">${view.userId === null ? html`<span class="muted">—</span>` : html`<bdi>${view.userId}</bdi>`}</td>
${sessionCells(view, record.userAgent, texts)}
<td data-label="${t('status')}">${view.status === 'active' ? t('active') : html`${t('ended')}${reasonKey ? html`<br><span class="muted">${t(reasonKey)}</span>` : ''}`}</td>
<td data-label="${t('actions')}">${view.status === 'active' ? actionButton(`${base}/${view.id}/revoke${back}`, csrfToken, t('endSession'), `device-${view.id}`) : ''}</td>
</tr>`;
  });
  const statuses = (['all', 'active', 'ended'] as const).map((status) => html`<option value="${status}"${filters.status === status ? html` selected` : ''}>${t(status)}</option>`);
  const body = html`${flash === null ? '' : html`<p class="notice" role="status">${flash.done === 'user' ? t('userSessionsEnded', { count: flash.count }) : t('sessionEnded')}</p>`}
<form class="filters" method="get" action="${base}" role="search">
<label>${t('search')} <input type="search" name="q" value="${filters.q}" placeholder="${t('searchPlaceholder')}" maxlength="256"></label>
<label>${t('status')} <select name="status">${statuses}</select></label>
<label class="check"><input type="checkbox" name="mine" value="1"${filters.mine ? html` checked` : ''}> ${t('mine')}</label>
<button type="submit" class="primary">${t('search')}</button>
</form>
${input.targetUser === null ? '' : html`<div class="filters"><bdi>${input.targetUser}</bdi> ${actionButton(`${base}/users/${encodeURIComponent(input.targetUser)}/revoke${back}`, csrfToken, t('endAllForUser'))}</div>`}
${rows.length === 0 ? html`<p class="muted">${t('noSessions')}</p>` : html`<table aria-labelledby="title">
<thead><tr><th scope="col">${t('user')}</th>${sessionHeaders(texts)}<th scope="col">${t('status')}</th><th scope="col">${t('actions')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`}
${pageLinks(input)}`;
  return renderPage(200, texts, t('allSessions'), body, input.script ?? null);
}
