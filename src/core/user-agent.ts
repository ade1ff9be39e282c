// User agents are untrusted input: control and bidi characters removed and length bounded before parsing or storage.

const DEFAULT_MAX_LENGTH = 512;

// C0, DEL and C1 controls, plus the invisible characters that re-order or break lines: a raw User-Agent shown
// on an admin page must not be able to spoof the text around it (bidi overrides) or split a log line (CR, LF, U+2028).
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g;

/**
 * Makes an untrusted User-Agent safe to store and show: control and bidi characters become spaces, then it is cut to `max` characters.
 * @example
 * truncateUserAgent('curl/8.4.0\r\nX-Evil: 1'); // 'curl/8.4.0  X-Evil: 1'
 */
export function truncateUserAgent(ua: string, max: number = DEFAULT_MAX_LENGTH): string {
  if (typeof ua !== 'string') return '';
  // NaN and negatives mean "keep nothing"; Infinity means "keep everything".
  const limit = max >= 0 ? Math.floor(max) : 0;
  // Cutting before replacing is equivalent (the replacement is one character for one) and never scans a huge header.
  let cut = ua.length > limit ? ua.slice(0, limit) : ua;
  const last = cut.charCodeAt(cut.length - 1);
  // A cut between the halves of a surrogate pair would leave a lone half that cannot be encoded as UTF-8.
  if (last >= 0xd800 && last <= 0xdbff) cut = cut.slice(0, -1);
  return cut.replace(UNSAFE_CHARACTERS, ' ');
}

/**
 * The stored form of a request's user agent: made safe by `truncateUserAgent`, trimmed; empty gives null.
 * @example
 * sanitizeUserAgent('curl/8.0\r\nX: y', 512) // 'curl/8.0  X: y'
 */
export function sanitizeUserAgent(raw: string | null | undefined, maxLength: number): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return null;
  const clean = truncateUserAgent(raw, maxLength).trim();
  return clean.length === 0 ? null : clean;
}
