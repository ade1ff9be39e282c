// The signed-in user's "Active Sessions" page: one row per live session, an end button per row, "end all others".
import { html } from '../../html/escape.js';
import type { PublicSession } from '../../core/types.js';
import type { LocationLookup } from '../../location/index.js';
import type { RouteResponse } from '../types.js';
import { actionButton, flashOf, renderPage, sessionCells, sessionHeaders, toSessionView, type Texts } from '../view.js';

/** What the user's page shows. */
export interface SessionsPageInput {
  texts: Texts;
  base: string;
  /** The user's live sessions, most recently active first. */
  sessions: readonly PublicSession[];
  currentId: string | null;
  csrfToken: string | null;
  locate: LocationLookup | null;
  query: URLSearchParams;
  /** The idle script's tag renderer, when the page should load it. */
  script?: ((nonce: string) => string) | null;
}

/**
 * Render the user's session list; the current session's button signs out, every other row's ends that session.
 * @example
 * return renderSessionsPage({ texts, base: '/account/sessions', sessions, currentId, csrfToken, locate, query });
 */
export function renderSessionsPage(input: SessionsPageInput): RouteResponse {
  const { texts, base, csrfToken } = input;
  const t = texts.t;
  const flash = flashOf(input.query);
  const others = input.sessions.filter((session) => session.id !== input.currentId).length;
  const rows = input.sessions.map((record) => {
    const view = toSessionView(record, input.currentId, input.locate);
    const label = view.current ? t('signOut') : t('endSession');
    return html`<tr${view.current ? html` class="current" aria-current="true"` : ''}>
${sessionCells(view, record.userAgent, texts)}
<td data-label="${t('actions')}">${actionButton(`${base}/${view.id}/revoke`, csrfToken, label, `device-${view.id}`)}</td>
</tr>`;
  });
  const body = html`${flash === null ? '' : html`<p class="notice" role="status">${flash.done === 'others' ? t('otherSessionsEnded', { count: flash.count }) : t('sessionEnded')}</p>`}
<table aria-labelledby="title">
<thead><tr>${sessionHeaders(texts)}<th scope="col">${t('actions')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${others > 0 ? actionButton(`${base}/revoke-others`, csrfToken, t('endAllOtherSessions'), undefined, 'primary') : html`<p class="muted">${t('noOtherSessions')}</p>`}`;
  return renderPage(200, texts, t('activeSessions'), body, input.script ?? null);
}
