// Session tokens: a public id plus a 32-byte secret, of which only the SHA-256 is stored.
import * as crypto from 'node:crypto';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Characters of a 16-byte id in base64url. */
const ID_LENGTH = 22;
/** Characters of a 32-byte secret (or SHA-256 digest) in base64url. */
const SECRET_LENGTH = 43;
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;
const ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;

/** A freshly minted token: `value` goes in the cookie, `id` and `secretHash` in the store. */
export interface IssuedToken {
  id: string;
  secretHash: string;
  value: string;
}

/**
 * Mint a new token from one CSPRNG call: 16 bytes of public id and 32 bytes of secret.
 * @example
 * const { id, secretHash, value } = issueToken();
 */
export function issueToken(): IssuedToken {
  const bytes = randomBytes(48);
  const id = bytes.subarray(0, 16).toString('base64url');
  const secret = bytes.subarray(16).toString('base64url');
  return { id, secretHash: hashSecret(secret), value: `${id}.${secret}` };
}

/**
 * The stored form of a secret: base64url SHA-256.
 * @example
 * hashSecret(secret) === record.secretHash
 */
export function hashSecret(secret: string): string {
  return sha256(secret).toString('base64url');
}

/** One-shot SHA-256 (crypto.hash, about twice as fast as createHash for 43 bytes) where Node has it. */
const sha256: (text: string) => Buffer =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (text) => (crypto as unknown as { hash(algorithm: string, data: string, encoding: 'buffer'): Buffer }).hash('sha256', text, 'buffer')
    : (text) => createHash('sha256').update(text).digest();

/**
 * Split a cookie value into id and secret when it has the exact issued shape; anything else is no token.
 * @example
 * parseToken('abc') // null
 */
export function parseToken(value: string | null | undefined): { id: string; secret: string } | null {
  if (typeof value !== 'string' || value.length !== ID_LENGTH + 1 + SECRET_LENGTH || !TOKEN_PATTERN.test(value)) return null;
  return { id: value.slice(0, ID_LENGTH), secret: value.slice(ID_LENGTH + 1) };
}

/**
 * Whether a string has the shape of a public session id (checked before any store look-up).
 * @example
 * isSessionId(req.params.id)
 */
export function isSessionId(value: unknown): value is string {
  return typeof value === 'string' && value.length === ID_LENGTH && ID_PATTERN.test(value);
}

/**
 * Compare a presented secret with a stored hash in constant time.
 * @example
 * if (!verifySecret(secret, record.secretHash)) return null;
 */
export function verifySecret(secret: string, storedHash: string): boolean {
  const presented = sha256(secret);
  const stored = Buffer.from(storedHash, 'base64url');
  // Equal lengths keep timingSafeEqual from throwing; a corrupt stored hash simply fails.
  if (stored.length !== presented.length) return false;
  return timingSafeEqual(presented, stored);
}

/**
 * The CSRF token of a session: an HMAC keyed by the stored secret hash, so it changes whenever the token rotates.
 * @example
 * const csrf = csrfTokenFor(record);
 */
export function csrfTokenFor(record: { id: string; secretHash: string }): string {
  return createHmac('sha256', Buffer.from(record.secretHash, 'base64url')).update(`csrf:${record.id}`).digest('base64url');
}

/**
 * Check a presented CSRF token against the session's, in constant time.
 * @example
 * verifyCsrfToken(record, req.body._csrf)
 */
export function verifyCsrfToken(record: { id: string; secretHash: string }, presented: unknown): boolean {
  if (typeof presented !== 'string' || presented.length !== SECRET_LENGTH) return false;
  const expected = Buffer.from(csrfTokenFor(record));
  const given = Buffer.from(presented);
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given);
}
