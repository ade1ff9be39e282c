// Cross-site request checks for state-changing requests: Fetch Metadata first, Origin/Referer as the fallback.

/** The request headers the cross-site check reads. */
export interface OriginHeaders {
  secFetchSite?: string | null;
  origin?: string | null;
  referer?: string | null;
  host?: string | null;
}

/**
 * Whether a state-changing request may come from where it says it comes from. A session-bound CSRF token is
 * still required on top of this (it is the defence when a browser sends no Fetch Metadata, Origin or Referer).
 * @example
 * isSameOriginRequest({ secFetchSite: 'cross-site' }, null) // false
 */
export function isSameOriginRequest(headers: OriginHeaders, allowedOrigins: ReadonlySet<string> | null): boolean {
  const site = headers.secFetchSite;
  if (typeof site === 'string' && site.length > 0) {
    if (site !== 'same-origin') return false;
  }
  const origin = headers.origin;
  if (typeof origin === 'string' && origin.length > 0) return originAllowed(origin, headers.host, allowedOrigins);
  const referer = headers.referer;
  if (typeof referer === 'string' && referer.length > 0) {
    let refererOrigin: string;
    try {
      refererOrigin = new URL(referer).origin;
    } catch {
      // An unparsable Referer proves nothing about the source: treat it as foreign.
      return false;
    }
    return originAllowed(refererOrigin, headers.host, allowedOrigins);
  }
  return true;
}

function originAllowed(origin: string, host: string | null | undefined, allowed: ReadonlySet<string> | null): boolean {
  if (origin === 'null') return false;
  if (allowed !== null) return allowed.has(origin);
  if (typeof host !== 'string' || host.length === 0) return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  return parsed.host === host.toLowerCase();
}
