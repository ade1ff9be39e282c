// Sessions brought in from express-session stores: their record id and secret hash derived from the old id, and its signed cookie.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Longest express-session cookie value looked at (`s:` + id + `.` + 43-character signature, URL-encoded). */
const MAX_SIGNED_COOKIE = 512;

/**
 * The sessionwarden record id of an imported express-session session: derived from a hash of the old id, so the old
 * id (a bearer credential with the app's secret) is never stored in clear, and importing twice finds the same record.
 * @example
 * importedSessionId('Ab3…') // 22 base64url characters
 */
export function importedSessionId(oldId: string): string {
  return createHash('sha256').update(`sessionwarden-import-id\0${oldId}`).digest().subarray(0, 16).toString('base64url');
}

/**
 * The secret hash of an imported session: a different, domain-separated hash of the old id. No sessionwarden token can
 * ever match it (their secrets are 43 base64url characters, never containing the separator), so an imported record
 * authenticates only through its signed express-session cookie.
 * @example
 * record.secretHash = importedSecretHash(oldId);
 */
export function importedSecretHash(oldId: string): string {
  return createHash('sha256').update(`sessionwarden-import-secret\0${oldId}`).digest('base64url');
}

/**
 * Whether a stored secret hash is the one of this old session id, in constant time.
 * @example
 * if (!matchesImported(oldId, record.secretHash)) return null;
 */
export function matchesImported(oldId: string, storedHash: string): boolean {
  const expected = Buffer.from(importedSecretHash(oldId), 'base64url');
  const stored = Buffer.from(storedHash, 'base64url');
  return stored.length === expected.length && timingSafeEqual(expected, stored);
}

/**
 * The session id inside an express-session cookie (`s:<id>.<signature>`, URL-encoded or not), when its signature is
 * cookie-signature's HMAC-SHA256 of the id under one of `secrets` (compared in constant time); null otherwise.
 * @example
 * unsignExpressSessionCookie('s%3Aabc.Xyz…', ['keyboard cat']) // 'abc'
 */
export function unsignExpressSessionCookie(value: string, secrets: readonly (string | Buffer)[]): string | null {
  if (value.length > MAX_SIGNED_COOKIE) return null;
  let decoded = value;
  if (value.includes('%')) {
    try {
      decoded = decodeURIComponent(value);
    } catch {
      // Not percent-encoding after all: such a value is no express-session cookie.
      return null;
    }
  }
  if (!decoded.startsWith('s:')) return null;
  const signed = decoded.slice(2);
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const id = signed.slice(0, dot);
  const presented = Buffer.from(signed.slice(dot + 1));
  let valid = false;
  for (const secret of secrets) {
    const expected = Buffer.from(createHmac('sha256', secret).update(id).digest('base64').replace(/=+$/, ''));
    // Every secret is tried whatever the outcome, so the time taken does not tell which one matched.
    if (expected.length === presented.length && timingSafeEqual(expected, presented)) valid = true;
  }
  return valid ? id : null;
}

/**
 * Whether a cookie value has the shape of an express-session signed cookie (before any check of its signature).
 * @example
 * looksSigned('s%3Aabc.def') // true
 */
export function looksSigned(value: string): boolean {
  return value.startsWith('s:') || value.startsWith('s%3A') || value.startsWith('s%3a');
}
