// Holding back the end of an Express response until the session's changes are saved: the one patch of `res`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SESSION_COOKIE_CACHE_CONTROL, withSessionCookie } from '../http/lifecycle.js';

const WRAPPED = Symbol('sessionwarden.wrapped');
const ENDING = Symbol('sessionwarden.ending');

/** A request the middleware may have run for, with Express's `next` to answer a failed save. */
type HeldRequest = IncomingMessage & { next?: (error?: unknown) => void };
/** A response of such a request. */
type HeldResponse = ServerResponse & { req?: HeldRequest; [ENDING]?: true };
type Method = (this: ServerResponse, ...args: unknown[]) => unknown;

/** What the adapter does around a response; both hooks return null at once for requests without a session. */
export interface ResponseHooks {
  /** The session's Set-Cookie value to add as the headers are written, or null. */
  cookieFor(req: HeldRequest): string | null;
  /** The work that must land before the response ends (the session's save), or null when there is none. */
  finish(req: HeldRequest, headersSent: boolean): Promise<void> | null;
}

/**
 * Make every session's save land before its response completes, so the browser's next request, on any process or
 * machine, reads what this one wrote. Wraps `writeHead` and `end` once on the given response prototype (nothing is
 * allocated per request; responses of requests without a session pass straight through):
 * - when the headers are written (explicitly or by the first `write`/`end`), the session cookie is added to them;
 * - `res.end()` waits for the adapter's `finish` work (only when there is some) and then ends with the same
 *   arguments: the body is never buffered or split, and nothing is delayed when there is nothing to save;
 * - a failed save never hangs the response: before any header went out it goes to Express's error handling
 *   (`req.next(error)`); otherwise the response ends as the app wrote it (the failure is reported by the core).
 * @example
 * holdResponsesUntilSaved(Object.getPrototypeOf(res), hooks);
 */
export function holdResponsesUntilSaved(prototype: ServerResponse, hooks: ResponseHooks): void {
  if (Object.hasOwn(prototype, WRAPPED)) return;
  const writeHead = prototype.writeHead as unknown as Method;
  const end = prototype.end as unknown as Method;
  Object.defineProperty(prototype, WRAPPED, { value: true });
  prototype.writeHead = function writeHeadWithSessionCookie(this: HeldResponse) {
    const request = this.req;
    const cookie = request === undefined ? null : hooks.cookieFor(request);
    // Added now, not when the session changed: an app's later setHeader('Set-Cookie', …) cannot drop it.
    if (cookie !== null) {
      addSessionCookie(this, cookie);
      // eslint-disable-next-line prefer-rest-params -- read in place, without copying them per response.
      keepCookieOverHeadersArgument(this, arguments as unknown as unknown[]);
    }
    // eslint-disable-next-line prefer-rest-params -- forwarded as they came, without copying them per response.
    return writeHead.apply(this, arguments as unknown as unknown[]);
  } as typeof prototype.writeHead;
  prototype.end = function endAfterSave(this: HeldResponse) {
    // eslint-disable-next-line prefer-rest-params -- forwarded as they came, without copying them per response.
    const args = arguments as unknown as unknown[];
    const request = this.req;
    // An error page sent by Express's error handling (or a second end) goes straight out.
    if (request === undefined || this[ENDING] === true) return end.apply(this, args);
    const work = hooks.finish(request, this.headersSent);
    if (work === null) return end.apply(this, args);
    this[ENDING] = true;
    const rest = Array.from(args);
    work.then(
      () => end.apply(this, rest),
      (error: unknown) => {
        if (!this.headersSent && typeof request.next === 'function') request.next(error);
        else end.apply(this, rest);
      },
    );
    return this;
  } as typeof prototype.end;
}

/**
 * `writeHead(status, { 'Set-Cookie': … })` replaces the Set-Cookie header set before it: fold the cookies already
 * set (the session's among them) into that argument instead.
 */
function keepCookieOverHeadersArgument(res: ServerResponse, args: unknown[]): void {
  const headers = typeof args[1] === 'string' ? args[2] : args[1];
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return;
  const record = headers as Record<string, unknown>;
  const key = Object.keys(record).find((name) => name.toLowerCase() === 'set-cookie');
  if (key === undefined) return;
  const given = record[key];
  const set = res.getHeader('set-cookie') as string[];
  record[key] = [...(Array.isArray(given) ? given.map(String) : [String(given)]), ...set];
}

/** Set the session cookie, replacing an earlier value of the same cookie and keeping every other cookie. */
function addSessionCookie(res: ServerResponse, value: string): void {
  const existing = res.getHeader('set-cookie');
  res.setHeader('Set-Cookie', withSessionCookie(existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)], value));
  res.setHeader('Cache-Control', SESSION_COOKIE_CACHE_CONTROL);
}
