// The session cookie as express-session and @fastify/session show it (`session.cookie`), over a request's SessionContext.
import type { SessionContext } from '../core/session-context.js';

/**
 * `session.cookie`: express-session's Cookie (also @fastify/session's). `maxAge` and `expires` are read and written as there (writing either
 * sets `originalMaxAge`, which is kept across requests in the session data); the other attributes are the warden's
 * and can only be set to what they are (the security rules fix them).
 * @example
 * req.session.cookie.maxAge = 30 * 24 * 3600 * 1000; // remember me
 */
export class Cookie {
  /** The lifetime in ms the session started with or the app last set; null for a browser-session cookie. */
  originalMaxAge: number | null;
  readonly #ctx: SessionContext;
  #expires: Date | null;

  constructor(ctx: SessionContext, stored: unknown) {
    this.#ctx = ctx;
    const lifetime = storedLifetime(stored);
    this.originalMaxAge = lifetime === undefined ? ctx.cookieSettings.maxAge : lifetime;
    this.#expires = this.originalMaxAge === null ? null : new Date(ctx.now() + this.originalMaxAge);
  }

  get maxAge(): number | null {
    return this.#expires === null ? null : this.#expires.getTime() - this.#ctx.now();
  }

  set maxAge(ms: number | Date | null) {
    if (ms instanceof Date || ms === null || ms === undefined) {
      this.expires = ms ?? null;
      return;
    }
    if (typeof ms !== 'number' || !Number.isFinite(ms)) throw new TypeError('sessionwarden: req.session.cookie.maxAge must be a number of milliseconds or null');
    this.#expires = new Date(this.#ctx.now() + ms);
    this.originalMaxAge = ms;
  }

  get expires(): Date | null {
    return this.#expires;
  }

  set expires(date: Date | null) {
    if (date !== null && date !== undefined && (!(date instanceof Date) || Number.isNaN(date.getTime()))) {
      throw new TypeError('sessionwarden: req.session.cookie.expires must be a valid Date or null');
    }
    this.#expires = date ?? null;
    this.originalMaxAge = this.#expires === null ? null : this.#expires.getTime() - this.#ctx.now();
  }

  get path(): string {
    return this.#ctx.cookieSettings.path;
  }

  set path(value: string) {
    this.#fixed('path', value, this.path, 'the session cookie is Path=/ (a __Host- cookie must be; mount apps on separate hosts to keep them apart)');
  }

  get httpOnly(): boolean {
    return true;
  }

  set httpOnly(value: boolean) {
    this.#fixed('httpOnly', value, true, 'the session cookie is always HttpOnly, so page scripts cannot read it');
  }

  get secure(): boolean {
    return this.#ctx.cookieSettings.secure;
  }

  set secure(value: boolean) {
    this.#fixed('secure', value, this.secure, 'Secure is set once for the app (false only outside production, for plain-HTTP development)');
  }

  get sameSite(): 'lax' | 'strict' {
    return this.#ctx.cookieSettings.sameSite === 'Strict' ? 'strict' : 'lax';
  }

  set sameSite(value: 'lax' | 'strict') {
    this.#fixed('sameSite', value, this.sameSite, "SameSite is set once for the app: 'lax' or 'strict'");
  }

  get domain(): string | undefined {
    return undefined;
  }

  set domain(value: string | undefined) {
    this.#fixed('domain', value, undefined, 'the session cookie is host-only (no Domain)');
  }

  get partitioned(): boolean {
    return this.#ctx.cookieSettings.partitioned;
  }

  get priority(): 'low' | 'medium' | 'high' | undefined {
    return this.#ctx.cookieSettings.priority ?? undefined;
  }

  /** What the session data keeps of the cookie: its lifetime when it is not the configured one (nothing otherwise). */
  toJSON(): { originalMaxAge: number | null } | undefined {
    return this.originalMaxAge === this.#ctx.cookieSettings.maxAge ? undefined : { originalMaxAge: this.originalMaxAge };
  }

  #fixed(name: string, value: unknown, current: unknown, why: string): void {
    if (value !== current) throw new TypeError(`sessionwarden: req.session.cookie.${name} cannot be changed: ${why}`);
  }
}

/** The lifetime a stored `cookie` value (express-session's Cookie JSON, or ours) names: ms, null, or undefined for none. */
export function storedLifetime(stored: unknown): number | null | undefined {
  if (stored instanceof Cookie) return stored.originalMaxAge;
  if (stored === null || typeof stored !== 'object') return undefined;
  const lifetime = (stored as { originalMaxAge?: unknown }).originalMaxAge;
  if (lifetime === null) return null;
  return typeof lifetime === 'number' && Number.isFinite(lifetime) ? lifetime : undefined;
}

