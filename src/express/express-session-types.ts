// The types of module 'express-session' for apps that switched to sessionwarden: their `SessionData` augmentations keep compiling.

/*
 * A script, not a module: its `declare module` is an ambient declaration of 'express-session', shipped with
 * sessionwarden/express and sessionwarden/express-session, so an app's
 * `declare module 'express-session' { interface SessionData { userId: string } }` still compiles once express-session
 * and @types/express-session are uninstalled. The names match @types/express-session's.
 */
declare module 'express-session' {
  import type { SessionData as DeclaredForSessionwarden } from 'sessionwarden/express';

  /**
   * The shape of your session data: declare its keys by augmenting this interface (or sessionwarden/express's
   * `SessionData`, which it extends).
   * @example
   * declare module 'express-session' { interface SessionData { userId: string; views: number } }
   */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what apps augment.
  export interface SessionData extends DeclaredForSessionwarden {}

  /** Cookie settings (express-session's `cookie` option); what sessionwarden does with each is in its README. */
  export interface CookieOptions {
    /** Max-Age in ms: a persistent cookie ("remember me"), never beyond the session's absolute deadline. */
    maxAge?: number | undefined;
    /** A fixed expiry (as express-session: prefer maxAge). */
    expires?: Date | null | undefined;
    /** Always true: refused when false. */
    httpOnly?: boolean | undefined;
    /** Always '/'. */
    path?: string | undefined;
    /** Refused: the session cookie is host-only. */
    domain?: string | undefined;
    /** true or 'auto': always Secure; false only outside production (plain-HTTP development). */
    secure?: boolean | 'auto' | undefined;
    /** 'lax' (also for false/undefined) or 'strict' (also true); 'none' and 'auto' are refused. */
    sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined;
    partitioned?: boolean | undefined;
    priority?: 'low' | 'medium' | 'high' | undefined;
  }

  /** `req.session.cookie`: express-session's Cookie (maxAge and expires writable; originalMaxAge kept across requests). */
  export interface Cookie {
    /** The lifetime the session started with or the app last set, in ms; null for a browser-session cookie. */
    originalMaxAge: number | null;
    /** Milliseconds until the cookie expires; null for a browser-session cookie. Setting it sets originalMaxAge. */
    maxAge: number | null;
    /** When the cookie expires; null for a browser-session cookie. Setting it sets originalMaxAge. */
    expires: Date | null;
    path: string;
    httpOnly: boolean;
    secure: boolean;
    sameSite: 'lax' | 'strict';
    domain: string | undefined;
    partitioned: boolean;
    priority: 'low' | 'medium' | 'high' | undefined;
    /** What is stored of the cookie: its lifetime when it differs from the configured one, else nothing. */
    toJSON(): { originalMaxAge: number | null } | undefined;
  }

  /**
   * `req.session`: your data as its own properties, `cookie`, and express-session's methods. Each method takes a
   * callback (called with an error or nothing) or, without one, returns a promise.
   */
  export interface Session {
    /** The session's public id (never the cookie's secret); a new visitor's is fixed on first read. */
    readonly id: string;
    cookie: Cookie;
    /** End this session and start an empty one (new id); `req.session` is then a new object. */
    regenerate(callback: (err?: any) => void): this;
    regenerate(): Promise<void>;
    /** End this session (a logout); `req.session` is then undefined for the rest of the request. */
    destroy(callback: (err?: any) => void): this;
    destroy(): Promise<void>;
    /** Read the session again from the store; an error when it ended meanwhile. */
    reload(callback: (err?: any) => void): this;
    reload(): Promise<void>;
    /** Save the data now (it is saved at the end of the request anyway). */
    save(callback: (err?: any) => void): this;
    save(): Promise<void>;
    /** Record activity now and reset `cookie.maxAge` to `cookie.originalMaxAge`. */
    touch(callback: (err?: any) => void): this;
    touch(): Promise<void>;
    /** Reset `cookie.maxAge` to `cookie.originalMaxAge`. */
    resetMaxAge(): this;
  }
}
