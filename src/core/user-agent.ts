// User agents are untrusted input: control characters removed and length bounded before parsing or storage.

/**
 * Remove control characters (CR/LF included, so logs cannot be forged) and cut to `maxLength`; empty gives null.
 * @example
 * sanitizeUserAgent('curl/8.0\r\nX: y', 512) // 'curl/8.0  X: y'
 */
export function sanitizeUserAgent(raw: string | null | undefined, maxLength: number): string | null {
  if (typeof raw !== 'string' || raw.length === 0) return null;
  // Truncate first so the cleanup itself is bounded, then again after removing characters.
  const cut = raw.length > maxLength * 2 ? raw.slice(0, maxLength * 2) : raw;
  // eslint-disable-next-line no-control-regex
  const clean = cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  if (clean.length === 0) return null;
  return clean.length > maxLength ? clean.slice(0, maxLength) : clean;
}
