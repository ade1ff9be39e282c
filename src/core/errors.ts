// The error classes: misconfiguration, store failures, refused logins and oversized data.

/**
 * Thrown at construction for a bad option; the message starts with `sessionwarden:` and names the option.
 * @example
 * try { createWarden({ idleTimeout: 'soon' }) } catch (e) { if (e instanceof SessionConfigError) … }
 */
export class SessionConfigError extends Error {
  override name = 'SessionConfigError';
  constructor(message: string) {
    super(`sessionwarden: ${message}`);
  }
}

/** Stable codes of store failures. */
export type SessionStoreErrorCode =
  | 'STORE_UNAVAILABLE'
  | 'STORE_TIMEOUT'
  | 'STORE_CONFLICT'
  | 'STORE_CORRUPT'
  | 'STORE_WRITE_FAILED';

/**
 * A store or I/O failure; the request fails closed (503) and the cause is kept.
 * @example
 * if (error instanceof SessionStoreError && error.code === 'STORE_TIMEOUT') …
 */
export class SessionStoreError extends Error {
  override name = 'SessionStoreError';
  readonly code: SessionStoreErrorCode;
  /** The HTTP answer it calls for (read by Express's and Fastify's error handling): fail closed, retry shortly. */
  readonly status = 503;
  readonly statusCode = 503;
  readonly headers: Readonly<Record<string, string>> = { 'Retry-After': '5' };
  constructor(code: SessionStoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(`sessionwarden: ${message}`, options);
    this.code = code;
  }
}

/**
 * A login refused by the concurrency policy; `retryAfter` is in seconds (null when no time can be promised).
 * @example
 * catch (e) { if (e instanceof SessionLimitError) res.set('Retry-After', String(e.retryAfter)) }
 */
export class SessionLimitError extends Error {
  override name = 'SessionLimitError';
  readonly reason = 'session-limit' as const;
  readonly retryAfter: number | null;
  readonly retryAt: number | null;
  /** The HTTP answer it calls for when the app does not catch it (read by Express's and Fastify's error handling). */
  readonly status = 409;
  readonly statusCode = 409;
  readonly headers: Readonly<Record<string, string>>;
  constructor(retryAt: number | null, now: number) {
    const retryAfter = retryAt === null ? null : Math.max(1, Math.ceil((retryAt - now) / 1000));
    super(
      retryAfter === null
        ? 'sessionwarden: this account has reached its session limit'
        : `sessionwarden: this account has reached its session limit; retry in ${retryAfter} s`,
    );
    this.retryAt = retryAt;
    this.retryAfter = retryAfter;
    this.headers = retryAfter === null ? {} : { 'Retry-After': String(retryAfter) };
  }
}

/**
 * Session data over the configured size cap; nothing was written.
 * @example
 * catch (e) { if (e instanceof SessionDataError) res.status(413) }
 */
export class SessionDataError extends Error {
  override name = 'SessionDataError';
  constructor(message: string) {
    super(`sessionwarden: ${message}`);
  }
}

/**
 * A state change attempted without a session, or after the response headers were sent.
 * @example
 * catch (e) { if (e instanceof SessionStateError) … }
 */
export class SessionStateError extends Error {
  override name = 'SessionStateError';
  constructor(message: string) {
    super(`sessionwarden: ${message}`);
  }
}

/**
 * A client that presented too many invalid session tokens is told to wait (`bruteForce.blockFor`); nothing was read.
 * @example
 * catch (e) { if (e instanceof SessionRateLimitError) res.set('Retry-After', String(e.retryAfter)).status(429) }
 */
export class SessionRateLimitError extends Error {
  override name = 'SessionRateLimitError';
  readonly retryAfter: number;
  /** The HTTP answer it calls for (read by Express's and Fastify's error handling). */
  readonly status = 429;
  readonly statusCode = 429;
  readonly headers: Readonly<Record<string, string>>;
  constructor(retryAfter: number) {
    super(`sessionwarden: too many invalid session tokens from this client; retry in ${retryAfter} s`);
    this.retryAfter = retryAfter;
    this.headers = { 'Retry-After': String(retryAfter) };
  }
}
