// req.session and req.sessionID on Express's shared request prototype (defined once per Express, never per request),
// and the per-request slots they read.
import type { SessionContext } from '../core/session-context.js';
import { ABSENT, createSession, Session, UNOBSERVED, type FacadeRequest } from './session-facade.js';

/** Per-request adapter settings, set on a request only when they differ from the defaults. */
export interface AdapterSettings {
  rolling: boolean;
  unset: 'keep' | 'destroy';
}

export const SETTINGS = Symbol('sessionwarden.settings');
export const FACADE = Symbol('sessionwarden.facade');
export const BEFORE = Symbol('sessionwarden.before');
export const BEFORE_ID = Symbol('sessionwarden.beforeId');

export type AdapterRequest = FacadeRequest & {
  [SETTINGS]?: AdapterSettings;
  [FACADE]?: Session;
  [BEFORE]?: unknown;
  [BEFORE_ID]?: unknown;
};

/** The prototype an Express request or response inherits right above Node's own (shared by all apps of that Express). */
export function sharedPrototype(object: object, nodePrototype: object): object {
  let prototype = Object.getPrototypeOf(object) as object;
  if (prototype === nodePrototype) return prototype;
  for (;;) {
    const parent = Object.getPrototypeOf(prototype) as object | null;
    if (parent === nodePrototype) return prototype;
    // Not an Express object after all: its own prototype is the one to use.
    if (parent === null) return Object.getPrototypeOf(object) as object;
    prototype = parent;
  }
}

/**
 * `req.session` (built on first use) and `req.sessionID` as accessors on the shared request prototype, defined once:
 * a per-request defineProperty would turn every request object into a slow dictionary-mode object.
 */
export function defineSessionGetters(prototype: object): void {
  if (Object.hasOwn(prototype, FACADE)) return;
  for (const key of [FACADE, ABSENT, UNOBSERVED, SETTINGS, BEFORE, BEFORE_ID, 'sessionwarden']) {
    Object.defineProperty(prototype, key, { value: undefined, writable: true, configurable: true });
  }
  Object.defineProperty(prototype, 'session', {
    configurable: true,
    get(this: AdapterRequest) {
      const ctx = this.sessionwarden;
      if (ctx === undefined) return this[BEFORE];
      const data = ctx.data;
      if (this[ABSENT] === data) return undefined;
      const current = this[FACADE];
      // A core operation (login, logout, regenerate, reload) replaced the data: the session is a new object, as with
      // express-session's regenerate and reload.
      if (current !== undefined && (current as unknown) === data) return current;
      return (this[FACADE] = createSession(this, ctx, data));
    },
    set(this: AdapterRequest, value: unknown) {
      const ctx = this.sessionwarden;
      if (ctx === undefined) {
        this[BEFORE] = value;
        return;
      }
      if (value === null || value === undefined) {
        // express-session's unset: the rest of the request has no session; what happens to it is the `unset` option.
        this[ABSENT] = ctx.data;
        return;
      }
      if (typeof value !== 'object') throw new TypeError('sessionwarden: req.session can only be set to an object, or to null to unset it');
      this[FACADE] = value instanceof Session ? value : createSession(this, ctx, value);
      ctx.data = this[FACADE] as unknown as SessionContext['data'];
      this[ABSENT] = undefined;
    },
  });
  Object.defineProperty(prototype, 'sessionID', {
    configurable: true,
    get(this: AdapterRequest) {
      const ctx = this.sessionwarden;
      return ctx === undefined ? this[BEFORE_ID] : ctx.reserveId();
    },
    set(this: AdapterRequest, value: unknown) {
      if (this.sessionwarden !== undefined) {
        throw new TypeError('sessionwarden: req.sessionID is the session\'s own id and cannot be set (sessionwarden issues every id)');
      }
      this[BEFORE_ID] = value;
    },
  });
}
