// request.session for Fastify: @fastify/session's session object (data as own properties, get/set, regenerate,
// destroy, reload, save, touch, sessionId, cookie) over the request's SessionContext.
import type { FastifyRequest } from 'fastify';
import type { SessionContext } from '../core/session-context.js';
import type { SessionData } from '../core/types.js';
import { Cookie } from '../http/session-cookie.js';

type Callback = (err?: any) => void;

/** On a request: the session object built for its current data (rebuilt when login, logout or reload replace them). */
export const FACADE = Symbol('sessionwarden.fastifySession');

/** A request the plugin ran for. */
type SessionRequest = FastifyRequest & { [FACADE]?: FastifySession | null };

/**
 * `request.session`: @fastify/session's session. Your data are its own enumerable properties (or through `get`/`set`),
 * next to `cookie`; the methods sit on the prototype. Each asynchronous method takes a callback or, without one,
 * returns a promise, as in @fastify/session. Login, logout and the rest of sessionwarden are on `request.sessionwarden`.
 * @example
 * request.session.set('visits', (request.session.get('visits') ?? 0) + 1);
 */
export class FastifySession {
  cookie: Cookie;
  readonly #request: SessionRequest;
  #saved = false;

  constructor(request: SessionRequest, ctx: SessionContext, data: object) {
    this.#request = request;
    this.cookie = new Cookie(ctx, (data as { cookie?: unknown }).cookie);
    const target = this as unknown as Record<string, unknown>;
    for (const key in data) {
      // Own data only, and never over a method: a stored "save" key cannot replace save().
      if (Object.hasOwn(data, key) && !(key in target)) target[key] = (data as Record<string, unknown>)[key];
    }
  }

  /** The session's public id (never the secret); a new visitor's is fixed on first read. */
  get sessionId(): string {
    return this.#request.sessionwarden.reserveId();
  }

  /** A value of the session's data. */
  get<K extends keyof import('fastify').Session>(key: K): import('fastify').Session[K] | undefined {
    return (this as unknown as import('fastify').Session)[key];
  }

  /** Set a value of the session's data (saved before the response goes out). */
  set<K extends keyof import('fastify').Session>(key: K, value: import('fastify').Session[K]): void {
    (this as unknown as import('fastify').Session)[key] = value;
  }

  /** Whether the data changed since they were loaded or last saved. */
  isModified(): boolean {
    return this.#request.sessionwarden.isDirty();
  }

  /** Whether `save()` stored the session in this request. */
  isSaved(): boolean {
    return this.#saved;
  }

  /** Restart the cookie's lifetime (a persistent cookie is sent again with a new Max-Age). */
  touch(): void {
    this.cookie.maxAge = this.cookie.originalMaxAge;
    this.#request.sessionwarden.refreshCookie();
  }

  /**
   * Start over with a new, empty session (the current one ends); `keep` names data keys to carry over.
   * @example
   * await request.session.regenerate(['cart']);
   */
  regenerate(callback: Callback): void;
  regenerate(keep: string[], callback: Callback): void;
  regenerate(keep?: string[]): Promise<void>;
  regenerate(keepOrCallback?: string[] | Callback, callback?: Callback): void | Promise<void> {
    const keep = Array.isArray(keepOrCallback) ? keepOrCallback : [];
    const done = typeof keepOrCallback === 'function' ? keepOrCallback : callback;
    const request = this.#request;
    const kept = keep.map((key) => [key, (this as unknown as Record<string, unknown>)[key]] as const);
    const operation = request.sessionwarden.regenerate().then(() => {
      const next = request.session as unknown as Record<string, unknown>;
      for (const [key, value] of kept) if (value !== undefined) next[key] = value;
    });
    return answer(operation, done);
  }

  /** End the session (reason `logout`) and clear its cookie; `request.session` is a new, empty session afterwards. */
  destroy(callback: Callback): void;
  destroy(): Promise<void>;
  destroy(callback?: Callback): void | Promise<void> {
    return answer(this.#request.sessionwarden.logout(), callback);
  }

  /** Read the session again from the store (fails when it ended meanwhile). */
  reload(callback: Callback): void;
  reload(): Promise<void>;
  reload(callback?: Callback): void | Promise<void> {
    return answer(this.#request.sessionwarden.reload(), callback);
  }

  /** Save the data now (they are saved before the response goes out anyway). */
  save(callback: Callback): void;
  save(): Promise<void>;
  save(callback?: Callback): void | Promise<void> {
    const operation = this.#request.sessionwarden.save().then(() => {
      this.#saved = true;
    });
    return answer(operation, callback);
  }
}

/**
 * The request's session object for its context's current data; the object becomes the context's data, so the core
 * saves exactly what the app sees.
 * @example
 * const session = sessionOf(request, request.sessionwarden);
 */
export function sessionOf(request: SessionRequest, ctx: SessionContext): FastifySession {
  const current = request[FACADE];
  if (current !== undefined && current !== null && (current as unknown) === ctx.data) return current;
  const session = new FastifySession(request, ctx, ctx.data);
  ctx.data = session as unknown as SessionData;
  request[FACADE] = session;
  return session;
}

/**
 * Replace the session's data with an object (`request.session = { … }`).
 * @example
 * adoptSession(request, ctx, { cart: [] });
 */
export function adoptSession(request: SessionRequest, ctx: SessionContext, value: unknown): void {
  if (value === null || typeof value !== 'object') throw new TypeError('sessionwarden: request.session can only be set to an object');
  const session = value instanceof FastifySession ? value : new FastifySession(request, ctx, value);
  ctx.data = session as unknown as SessionData;
  request[FACADE] = session;
}

/** @fastify/session's style: with a callback, call it with the error, if any; without one, the promise. */
function answer(operation: Promise<void>, callback: Callback | undefined): void | Promise<void> {
  if (typeof callback !== 'function') return operation;
  operation.then(
    () => callback(),
    (error: unknown) => callback(error),
  );
}
