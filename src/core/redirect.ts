// Redirect targets from request data (returnTo, next, the expiry URL) are accepted only as same-origin paths.

/** The stand-in origin paths are resolved against when the app does not name its own. */
const STAND_IN_ORIGIN = 'https://sessionwarden.invalid';

/**
 * The same-origin location `value` points to, as a path (`/…` with its query and fragment), else `fallback`.
 * The candidate is resolved with the WHATWG URL parser against the app's origin (`origin`, or a stand-in), exactly
 * as a browser would resolve a `Location` header; it is accepted only when the result has that origin, and the path
 * it resolved to is returned, so dot segments, percent-encoded dots, backslashes, tabs and newlines cannot turn into
 * a protocol-relative `//other.host` on the way. Absolute URLs are accepted only when `origin` is given and matches.
 * @example
 * safeReturnTo(req.query.returnTo, '/') // '//evil.com' → '/', '/..//evil.com' → '/'
 * safeReturnTo('https://app.example/a/../b?x#y', '/', 'https://app.example') // '/b?x#y'
 */
export function safeReturnTo(value: unknown, fallback: string, origin?: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  // Control characters and backslashes have no business in a link this app made; browsers strip or reinterpret them.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  const base = originOf(origin ?? STAND_IN_ORIGIN);
  if (base === null) return fallback;
  // Without a named origin only paths are candidates; a scheme or a `//host` is another site by definition.
  if (origin === undefined && (!value.startsWith('/') || value.startsWith('//'))) return fallback;
  const resolved = resolve(value, base);
  if (resolved === null || resolved.origin !== base) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  // The answer is itself resolved again by the browser: it must land on the very same URL (never `//host`).
  if (!path.startsWith('/') || path.startsWith('//')) return fallback;
  const again = resolve(path, base);
  if (again === null || again.href !== resolved.href) return fallback;
  return path;
}

function originOf(value: string): string | null {
  const parsed = resolve(value);
  return parsed === null || parsed.origin === 'null' ? null : parsed.origin;
}

function resolve(value: string, base?: string): URL | null {
  try {
    return new URL(value, base);
  } catch {
    // Unparsable input is simply not a destination.
    return null;
  }
}
