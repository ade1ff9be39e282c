// Redirect targets from request data (returnTo, next, the expiry URL) are accepted only as same-origin paths.

const BASE = 'http://sessionwarden.invalid';

/**
 * `value` when it is a path on this origin (`/` then neither `/` nor `\`, no control characters), else `fallback`.
 * @example
 * safeReturnTo(req.query.returnTo, '/') // '//evil.com' → '/'
 */
export function safeReturnTo(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return fallback;
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])/.test(value) || /[\u0000-\u001f\u007f\\]/.test(value)) return fallback;
  let parsed: URL;
  try {
    parsed = new URL(value, BASE);
  } catch {
    // Unparsable input is simply not a destination.
    return fallback;
  }
  if (parsed.origin !== BASE) return fallback;
  return parsed.pathname + parsed.search + parsed.hash;
}
