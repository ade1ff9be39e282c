// req.session for Express: data as own properties and express-session's methods (callbacks or promises) on the prototype.
import type { Duration } from '../core/duration.js';
import type { SessionContext, LoginOptions } from '../core/session-context.js';
import { toPublicSession, type EndReason, type PublicSession, type SessionData } from '../core/types.js';

const CONTEXT = Symbol('sessionwarden.context');

type Callback = (error?: unknown) => void;

/** Names the facade uses itself; session data cannot use them as keys. */
const RESERVED = new Set([
  'id', 'cookie', 'regenerate', 'destroy', 'reload', 'save', 'touch', 'resetMaxAge', 'login', 'logout', 'reauthenticate',
  'rotate', 'isFresh', 'record', 'endReason', 'userId', 'csrfToken',
]);

/** The read-only view of the cookie that express-session code expects at `req.session.cookie`. */
export interface SessionCookieView {
  readonly path: string;
  readonly httpOnly: true;
  readonly secure: boolean;
  readonly sameSite: 'lax' | 'strict';
  readonly domain: undefined;
  /** Milliseconds until the absolute deadline when the cookie is persistent; null for a browser-session cookie. */
  readonly maxAge: number | null;
  readonly originalMaxAge: number | null;
  readonly expires: Date | null;
}

/**
 * `req.session`: express-session's API (data as properties; regenerate, destroy, reload, save, touch with a callback or
 * a promise) plus login, logout, reauthenticate, rotate, isFresh and the current record.
 * @example
 * req.session.views = (req.session.views ?? 0) + 1;
 */
export interface ExpressSession {
  [key: string]: unknown;
  readonly id: string | null;
  readonly cookie: SessionCookieView;
  readonly userId: string | null;
  readonly record: PublicSession | null;
  readonly endReason: EndReason | null;
  readonly csrfToken: string | null;
  regenerate(callback?: Callback): Promise<void> | void;
  destroy(callback?: Callback): Promise<void> | void;
  reload(callback?: Callback): Promise<void> | void;
  save(callback?: Callback): Promise<void> | void;
  touch(callback?: Callback): Promise<void> | void;
  login(userId: string, options?: LoginOptions): Promise<void>;
  logout(): Promise<void>;
  reauthenticate(): Promise<void>;
  rotate(): Promise<void>;
  isFresh(maxAge: Duration): boolean;
}

interface FacadeInternals {
  [CONTEXT]: SessionContext;
}

/** Run a promise-returning operation in express-session's style: a callback when given, else the promise. */
function settle(operation: Promise<void>, callback: Callback | undefined): Promise<void> | void {
  if (typeof callback !== 'function') return operation;
  operation.then(() => callback(), callback);
}

function contextOf(session: object): SessionContext {
  return (session as FacadeInternals)[CONTEXT];
}

/** Copy the context's data onto the facade, replacing its own properties. */
function syncFromContext(session: Record<string, unknown>, ctx: SessionContext): void {
  for (const key of Object.keys(session)) delete session[key];
  Object.assign(session, ctx.data);
  ctx.data = session as SessionData;
}

const prototype = {
  get id(): string | null {
    return contextOf(this).id;
  },
  get userId(): string | null {
    return contextOf(this).userId;
  },
  get record(): PublicSession | null {
    const record = contextOf(this).record;
    return record === null ? null : toPublicSession(record);
  },
  get endReason(): EndReason | null {
    return contextOf(this).endReason;
  },
  get csrfToken(): string | null {
    return contextOf(this).csrfToken;
  },
  get cookie(): SessionCookieView {
    const ctx = contextOf(this);
    const settings = ctx.cookieSettings;
    const remaining = settings.persistent && ctx.record ? Math.max(0, ctx.record.expiresAt - ctx.now()) : null;
    return Object.freeze({
      path: settings.path,
      httpOnly: true as const,
      secure: settings.secure,
      sameSite: settings.sameSite === 'Strict' ? ('strict' as const) : ('lax' as const),
      domain: undefined,
      maxAge: remaining,
      originalMaxAge: remaining,
      expires: remaining === null ? null : new Date(ctx.now() + remaining),
    });
  },
  regenerate(this: Record<string, unknown>, callback?: Callback) {
    const ctx = contextOf(this);
    return settle(ctx.regenerate().then(() => syncFromContext(this, ctx)), callback);
  },
  destroy(this: Record<string, unknown>, callback?: Callback) {
    const ctx = contextOf(this);
    return settle(ctx.logout().finally(() => syncFromContext(this, ctx)), callback);
  },
  reload(this: Record<string, unknown>, callback?: Callback) {
    const ctx = contextOf(this);
    return settle(ctx.reload().then(() => syncFromContext(this, ctx)), callback);
  },
  save(this: Record<string, unknown>, callback?: Callback) {
    return settle(contextOf(this).save(), callback);
  },
  touch(this: Record<string, unknown>, callback?: Callback) {
    const ctx = contextOf(this);
    return settle(ctx.record === null ? Promise.resolve() : ctx.touch(), callback);
  },
  resetMaxAge(this: Record<string, unknown>, callback?: Callback) {
    return (prototype.touch as (this: Record<string, unknown>, callback?: Callback) => Promise<void> | void).call(this, callback);
  },
  async login(this: Record<string, unknown>, userId: string, options?: LoginOptions) {
    const ctx = contextOf(this);
    await ctx.login(userId, options);
    syncFromContext(this, ctx);
  },
  async logout(this: Record<string, unknown>) {
    const ctx = contextOf(this);
    try {
      await ctx.logout();
    } finally {
      syncFromContext(this, ctx);
    }
  },
  async reauthenticate(this: Record<string, unknown>) {
    const ctx = contextOf(this);
    await ctx.reauthenticate();
    syncFromContext(this, ctx);
  },
  async rotate(this: Record<string, unknown>) {
    const ctx = contextOf(this);
    await ctx.rotate();
    syncFromContext(this, ctx);
  },
  isFresh(this: Record<string, unknown>, maxAge: Duration) {
    return contextOf(this).isFresh(maxAge);
  },
};

// Methods and getters are not data: for…in and Object.keys(req.session) must list the data alone.
for (const key of Object.keys(prototype)) Object.defineProperty(prototype, key, { enumerable: false });

const handler: ProxyHandler<Record<string, unknown>> = {
  set(target, key, value, receiver) {
    if (typeof key === 'string') {
      if (RESERVED.has(key)) throw new TypeError(`sessionwarden: req.session.${key} is reserved; store your data under another name`);
      // The first write of an anonymous request gets its id (req.sessionID) and cookie now; the record is stored
      // when the response ends.
      contextOf(target).prepareAnonymous();
    }
    return Reflect.set(target, key, value, receiver);
  },
};

/**
 * Build `req.session` for one request; data lives as own properties, shared with the core context.
 * @example
 * req.session = createSessionFacade(ctx);
 */
export function createSessionFacade(ctx: SessionContext): ExpressSession {
  const target = Object.create(prototype) as Record<string, unknown>;
  Object.defineProperty(target, CONTEXT, { value: ctx, enumerable: false });
  Object.assign(target, ctx.data);
  ctx.data = target as SessionData;
  return new Proxy(target, handler) as unknown as ExpressSession;
}
