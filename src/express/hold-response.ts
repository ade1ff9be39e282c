// Holding back the end of an Express response until the session's changes are saved: the one patch of `res`.
import type { ServerResponse } from 'node:http';
import type { SessionContext } from '../core/session-context.js';

/**
 * Make the session's save land before the response completes, so the browser's next request, on any process or
 * machine, reads what this one wrote:
 * - when the headers are written (explicitly or by the first `write`/`end`), the session cookie is added to them;
 * - `res.end()` waits for `ctx.commit()` (only when data changed) and then ends with the same arguments: the body
 *   is never buffered or split, and nothing is delayed when there is nothing to save;
 * - a failed save never hangs the response: before any header went out, `fail(error)` may answer instead (Express's
 *   error handling); otherwise the response ends as the app wrote it (the failure is reported by `commit()`).
 * @example
 * holdResponseUntilSaved(res, ctx, (error) => { next(error); return true; });
 */
export function holdResponseUntilSaved(res: ServerResponse, ctx: SessionContext, fail: (error: unknown) => boolean): void {
  const writeHead = res.writeHead;
  const end = res.end;
  res.writeHead = function writeHeadWithSessionCookie(this: ServerResponse, ...args: unknown[]) {
    // Added now, not when the session changed: an app's later setHeader('Set-Cookie', …) cannot drop it.
    if (ctx.cookieHeader !== null) addSessionCookie(this, ctx.cookieHeader);
    return (writeHead as (...rest: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  res.end = function endAfterSave(this: ServerResponse, ...args: unknown[]) {
    // Restored first: an error page sent from `fail` (or a second end) goes straight out.
    res.end = end;
    if (!ctx.isDirty()) return (end as (...rest: unknown[]) => ServerResponse).apply(this, args);
    ctx.commit().then(
      () => (end as (...rest: unknown[]) => ServerResponse).apply(res, args),
      (error: unknown) => {
        if (!res.headersSent && fail(error)) return;
        (end as (...rest: unknown[]) => ServerResponse).apply(res, args);
      },
    );
    return this;
  } as typeof res.end;
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
