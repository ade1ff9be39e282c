// Holding back the end of an Express response until the session's changes are saved: the one patch of `res`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SessionContext } from '../core/session-context.js';

const WRAPPED = Symbol('sessionwarden.wrapped');
const ENDING = Symbol('sessionwarden.ending');

/** A response of a request the middleware ran for: its session, and Express's `next` to answer a failed save. */
type HeldResponse = ServerResponse & {
  req?: IncomingMessage & { sessionwarden?: SessionContext; next?: (error?: unknown) => void };
  [ENDING]?: true;
};
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/**
 * Make every session's save land before its response completes, so the browser's next request, on any process or
 * machine, reads what this one wrote. Wraps `writeHead` and `end` once on the app's response prototype (nothing is
 * allocated per request; responses of requests without a session pass straight through):
 * - when the headers are written (explicitly or by the first `write`/`end`), the session cookie is added to them;
 * - `res.end()` waits for `ctx.commit()` (only when data changed) and then ends with the same arguments: the body
 *   is never buffered or split, and nothing is delayed when there is nothing to save;
 * - a failed save never hangs the response: before any header went out it goes to Express's error handling
 *   (`req.next(error)`); otherwise the response ends as the app wrote it (the failure is reported by `commit()`).
 * @example
 * holdResponsesUntilSaved(Object.getPrototypeOf(res));
 */
export function holdResponsesUntilSaved(prototype: ServerResponse): void {
  if (Object.hasOwn(prototype, WRAPPED)) return;
  const writeHead = prototype.writeHead as unknown as Method;
  const end = prototype.end as unknown as Method;
  Object.defineProperty(prototype, WRAPPED, { value: true });
  prototype.writeHead = function writeHeadWithSessionCookie(this: HeldResponse) {
    const cookie = this.req?.sessionwarden?.cookieHeader;
    // Added now, not when the session changed: an app's later setHeader('Set-Cookie', …) cannot drop it.
    if (cookie !== null && cookie !== undefined) addSessionCookie(this, cookie);
    // eslint-disable-next-line prefer-rest-params -- forwarded as they came, without copying them per response.
    return writeHead.apply(this, arguments as unknown as unknown[]);
  } as typeof prototype.writeHead;
  prototype.end = function endAfterSave(this: HeldResponse) {
    // eslint-disable-next-line prefer-rest-params -- forwarded as they came, without copying them per response.
    const args = arguments as unknown as unknown[];
    const request = this.req;
    const ctx = request?.sessionwarden;
    if (ctx === undefined || this[ENDING] === true || !ctx.isDirty()) return end.apply(this, args);
    // An error page sent by Express's error handling (or a second end) goes straight out.
    this[ENDING] = true;
    const rest = Array.from(args);
    ctx.commit().then(
      () => end.apply(this, rest),
      (error: unknown) => {
        if (!this.headersSent && typeof request?.next === 'function') request.next(error);
        else end.apply(this, rest);
      },
    );
    return this;
  } as typeof prototype.end;
}

/** Set the session cookie, replacing an earlier value of the same cookie and keeping every other cookie. */
function addSessionCookie(res: ServerResponse, value: string): void {
  const name = value.slice(0, value.indexOf('=') + 1);
  const existing = res.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)];
  res.setHeader('Set-Cookie', [...list.filter((cookie) => !cookie.startsWith(name)), value]);
  // A response that sets or clears the session cookie must never be stored by a shared cache.
  res.setHeader('Cache-Control', 'no-store');
}
