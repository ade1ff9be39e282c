// Reading the session cookie by exact name from a Cookie header, and writing Set-Cookie values.

/** Cookie attributes fixed at configuration time. */
export interface CookieSettings {
  name: string;
  sameSite: 'Lax' | 'Strict';
  secure: boolean;
  path: string;
  /** Whether the cookie gets a Max-Age by default (`maxAge` is not null). */
  persistent: boolean;
  /** The default Max-Age in ms of a persistent cookie, or null for a browser-session cookie. */
  maxAge: number | null;
  partitioned: boolean;
  priority: 'low' | 'medium' | 'high' | null;
}

/** The session cookie found in a request: its value (or null) and whether it appeared more than once. */
export interface FoundCookie {
  value: string | null;
  duplicates: boolean;
}

/** Request cookie headers longer than this are ignored outright (browsers send at most a few KB). */
const MAX_COOKIE_HEADER = 16_384;

/**
 * Find the session cookie by exact, byte-wise name; only ASCII space and tab are trimmed (never Unicode spaces),
 * so look-alikes such as `\u00a0__Host-sid` or `__host-sid` are not the session cookie.
 * @example
 * readSessionCookie('a=1; __Host-sid=xyz', '__Host-sid') // { value: 'xyz', duplicates: false }
 */
export function readSessionCookie(header: string | null | undefined, name: string): FoundCookie {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_COOKIE_HEADER) return { value: null, duplicates: false };
  // Fast reject: most requests of other apps on the domain carry no session cookie at all.
  if (!header.includes(name)) return { value: null, duplicates: false };
  let value: string | null = null;
  let count = 0;
  // A scan instead of split(';'): no array or substrings for the other cookies of the header.
  for (let start = 0; start < header.length; ) {
    let end = header.indexOf(';', start);
    if (end < 0) end = header.length;
    const eq = header.indexOf('=', start);
    if (eq >= 0 && eq < end && trimAscii(header.slice(start, eq)) === name) {
      count += 1;
      if (value === null) value = trimAscii(header.slice(eq + 1, end));
    }
    start = end + 1;
  }
  // With duplicates we adopt none of them: an attacker-planted first value must never shadow the real one.
  if (count > 1) return { value: null, duplicates: true };
  return { value, duplicates: false };
}

function trimAscii(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && (text.charCodeAt(start) === 32 || text.charCodeAt(start) === 9)) start += 1;
  while (end > start && (text.charCodeAt(end - 1) === 32 || text.charCodeAt(end - 1) === 9)) end -= 1;
  return text.slice(start, end);
}

/**
 * A Set-Cookie value carrying a session token; `maxAgeSeconds` for a persistent cookie, null for a browser-session one.
 * @example
 * serializeSessionCookie(settings, token.value, null)
 */
export function serializeSessionCookie(settings: CookieSettings, value: string, maxAgeSeconds: number | null): string {
  let cookie = `${settings.name}=${value}; Path=${settings.path}; HttpOnly; SameSite=${settings.sameSite}`;
  if (settings.secure) cookie += '; Secure';
  if (maxAgeSeconds !== null) cookie += `; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
  return withExtras(cookie, settings);
}

const PRIORITY = { low: 'Low', medium: 'Medium', high: 'High' } as const;

function withExtras(cookie: string, settings: CookieSettings): string {
  if (settings.partitioned) cookie += '; Partitioned';
  if (settings.priority !== null) cookie += `; Priority=${PRIORITY[settings.priority]}`;
  return cookie;
}

/**
 * A Set-Cookie value that clears the session cookie, with the same name and attributes.
 * @example
 * clearSessionCookie(settings) // '__Host-sid=; Path=/; HttpOnly; SameSite=Lax; Secure; Max-Age=0'
 */
export function clearSessionCookie(settings: CookieSettings): string {
  let cookie = `${settings.name}=; Path=${settings.path}; HttpOnly; SameSite=${settings.sameSite}`;
  if (settings.secure) cookie += '; Secure';
  return withExtras(`${cookie}; Max-Age=0`, settings);
}
