// Content negotiation, once for every adapter and route: does the client want JSON (fetch, XHR) or an HTML page?

/** The request headers negotiation reads. */
export interface NegotiationHeaders {
  accept?: string | undefined;
  contentType?: string | undefined;
  secFetchMode?: string | undefined;
  xRequestedWith?: string | undefined;
}

/** Longer Accept headers are not parsed (no honest client needs more). */
const MAX_ACCEPT_LENGTH = 1024;
const MAX_ACCEPT_ENTRIES = 32;

/**
 * Whether the client wants JSON rather than a page. Accept decides when it prefers one of the two (q-values and
 * wildcards honoured: `application/json;q=0` is a refusal); on a tie or without Accept, `X-Requested-With:
 * XMLHttpRequest`, a non-navigation `Sec-Fetch-Mode` (fetch) and a JSON request body each mean JSON; else a page.
 * @example
 * wantsJson({ accept: 'text/html,application/json;q=0.9' }) // false
 */
export function wantsJson(headers: NegotiationHeaders): boolean {
  const accept = headers.accept;
  if (typeof accept === 'string' && accept.length > 0 && accept.length <= MAX_ACCEPT_LENGTH) {
    const json = quality(accept, 'application', 'json');
    const page = quality(accept, 'text', 'html');
    if (json !== page) return json > page;
  }
  if (typeof headers.xRequestedWith === 'string' && headers.xRequestedWith.toLowerCase() === 'xmlhttprequest') return true;
  const mode = headers.secFetchMode;
  if (typeof mode === 'string' && mode.length > 0) return mode !== 'navigate' && mode !== 'nested-navigate';
  return /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(headers.contentType ?? '');
}

/** The q-value Accept gives `type/subtype`: from its most specific matching range (exact, `type/*`, `*\/*`), else 0. */
function quality(accept: string, type: string, subtype: string): number {
  let best = -1;
  let q = 0;
  const entries = accept.split(',', MAX_ACCEPT_ENTRIES);
  for (const entry of entries) {
    const [range = '', ...parameters] = entry.split(';');
    const [rangeType = '', rangeSubtype = ''] = range.trim().toLowerCase().split('/');
    const specificity = rangeType === type && rangeSubtype === subtype ? 2 : rangeType === type && rangeSubtype === '*' ? 1 : rangeType === '*' && rangeSubtype === '*' ? 0 : -1;
    if (specificity <= best) continue;
    best = specificity;
    q = 1;
    for (const parameter of parameters) {
      const [name = '', value = ''] = parameter.split('=');
      if (name.trim().toLowerCase() !== 'q') continue;
      const parsed = Number(value.trim());
      q = Number.isFinite(parsed) && parsed >= 0 && parsed <= 1 ? parsed : 0;
    }
  }
  return q;
}
