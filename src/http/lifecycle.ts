// A request's session from start to finish, once for every adapter: begin (fail closed on a store error), save before
// the response goes out, the Set-Cookie to add, the headers the policy reads, and mounting the neutral routes.
import type { IncomingHttpHeaders } from 'node:http';
import { SessionRateLimitError, SessionStoreError } from '../core/errors.js';
import { SessionContext } from '../core/session-context.js';
import type { RequestInput, Warden } from '../core/warden.js';
import { parseBody } from './body.js';
import { storeUnavailable, throttled } from './guards.js';
import { json } from './respond.js';
import { MAX_BODY_BYTES, type RequestHeaders, type RouteHandler, type RouteResponse } from './types.js';

/**
 * Begin a request's session; a store failure is reported and answered with the fail-closed 503 (the request must
 * then not go on, neither signed in nor anonymous). Other errors are thrown for the framework's error handling.
 * @example
 * const begun = await beginSession(warden, input, () => nodeHeaders(req.headers)); if (!(begun instanceof SessionContext)) return send(begun);
 */
export async function beginSession(warden: Warden, input: RequestInput, headers: () => RequestHeaders): Promise<SessionContext | RouteResponse> {
  try {
    return await warden.begin(input);
  } catch (error) {
    if (error instanceof SessionRateLimitError) return throttled(error);
    if (!(error instanceof SessionStoreError)) throw error;
    warden.reportStoreError(error, null, null);
    return storeUnavailable(headers());
  }
}

/**
 * The end of a request, before its response goes out: save the session when it changed (or a save is under way), then
 * the Set-Cookie value to add, or null. Throws what the save throws (SessionStoreError: answer `storeUnavailable`).
 * @example
 * const cookie = await finishSession(ctx, false); if (cookie !== null) headers.append('set-cookie', cookie);
 */
export async function finishSession(ctx: SessionContext, rolling: boolean): Promise<string | null> {
  if (needsSave(ctx)) await ctx.commit();
  return ctx.headersDue(rolling);
}

/**
 * Whether the end of the request has a save to wait for (changed data, or a save under way); when not, the cookie is
 * `ctx.headersDue(rolling)` at once (adapters may skip the promise of `finishSession`).
 * @example
 * if (!needsSave(ctx)) cookie = ctx.headersDue(false);
 */
export function needsSave(ctx: SessionContext): boolean {
  return ctx.saving || ctx.isDirty();
}

/**
 * The response's Set-Cookie list with the session cookie in it: an earlier value of the same cookie is replaced,
 * every other cookie kept. Add `Cache-Control: no-store` with it (SESSION_COOKIE_CACHE_CONTROL).
 * @example
 * withSessionCookie(['theme=dark'], '__Host-sid=…; Path=/') // ['theme=dark', '__Host-sid=…; Path=/']
 */
export function withSessionCookie(existing: readonly string[], value: string): string[] {
  const prefix = value.slice(0, value.indexOf('=') + 1);
  return [...existing.filter((cookie) => !cookie.startsWith(prefix)), value];
}

/** A response that sets or clears the session cookie must never be stored by a shared cache. */
export const SESSION_COOKIE_CACHE_CONTROL = 'no-store';

/**
 * The policy's headers from Node's request headers (Express, Fastify).
 * @example
 * nodeHeaders(req.headers).accept
 */
export function nodeHeaders(headers: IncomingHttpHeaders): RequestHeaders {
  return {
    accept: headers.accept,
    acceptLanguage: headers['accept-language'],
    secFetchSite: first(headers['sec-fetch-site']),
    secFetchMode: first(headers['sec-fetch-mode']),
    origin: first(headers.origin),
    referer: headers.referer,
    host: headers.host,
    contentType: headers['content-type'],
    csrfToken: first(headers['x-csrf-token']),
    xRequestedWith: first(headers['x-requested-with']),
    cookie: headers.cookie,
  };
}

/**
 * The policy's headers from a Web-standard Headers object (Hono, any fetch-style runtime).
 * @example
 * fetchHeaders(request.headers).accept
 */
export function fetchHeaders(headers: Headers): RequestHeaders {
  const get = (name: string) => headers.get(name) ?? undefined;
  return {
    accept: get('accept'),
    acceptLanguage: get('accept-language'),
    secFetchSite: get('sec-fetch-site'),
    secFetchMode: get('sec-fetch-mode'),
    origin: get('origin'),
    referer: get('referer'),
    host: get('host'),
    contentType: get('content-type'),
    csrfToken: get('x-csrf-token'),
    xRequestedWith: get('x-requested-with'),
    cookie: get('cookie'),
  };
}

/**
 * What the core needs to begin a Node request (Express, Fastify): the cookie, address, proxies' header, user agent,
 * method and path.
 * @example
 * await warden.begin(nodeRequestInput(req.headers, req.socket.remoteAddress, req.method, req.originalUrl));
 */
export function nodeRequestInput(headers: IncomingHttpHeaders, remoteAddress: string | undefined, method: string, url: string): RequestInput {
  return { cookie: headers.cookie, ip: remoteAddress, forwardedFor: joinedHeader(headers['x-forwarded-for']), userAgent: headers['user-agent'], method, path: pathOf(url) };
}

/** A node header that may repeat, as one string (X-Forwarded-For's hops joined). */
export function joinedHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The path of a request URL (path and query, or absolute), without the query string.
 * @example
 * pathOf('/a/b?c=1') // '/a/b'
 */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/** What a body reader returns when the body is over MAX_BODY_BYTES (the route answers 413). */
export const TOO_LARGE = Symbol('sessionwarden.tooLarge');

/** A route's body: parsed, none, or too large. */
export type RouteBody = Record<string, unknown> | null | typeof TOO_LARGE;

/** What `answerRoute` needs of a request: adapters fill it from their framework. */
export interface MountedRequest {
  method: string;
  /** The path and query as received (`/account/sessions?x=1`). */
  url: string;
  headers: RequestHeaders;
  session: SessionContext;
  /** Read the body (only called for a claimed, state-changing request). */
  body(): Promise<RouteBody>;
}

/**
 * Run a mounted route group for a request: null when the group does not claim its path (the adapter passes the
 * request on, with its body unread), else the answer (413 for a body too large, the fail-closed 503 for a store
 * failure). Other errors are thrown for the framework's error handling.
 * @example
 * const answer = await answerRoute(handler, { method, url, headers, session, body: () => readNodeBody(req, type) });
 */
export async function answerRoute(handler: RouteHandler, request: MountedRequest): Promise<RouteResponse | null> {
  // Concatenated, not resolved: a path starting with // must stay a path, not become a host.
  const url = new URL(`http://route.invalid${request.url}`);
  const path = url.pathname.replace(/\/{2,}/g, '/');
  // Decide before reading the body: a request for the app's own routes must reach them with its body unread.
  if (!handler.claims(path)) return null;
  try {
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.body();
    if (body === TOO_LARGE) return json(413, { error: 'body_too_large' });
    return await handler({ method: request.method, path, headers: request.headers, body, session: request.session, query: url.searchParams });
  } catch (error) {
    if (error instanceof SessionStoreError) return storeUnavailable(request.headers);
    throw error;
  }
}

/**
 * Parse a body already read as text: TOO_LARGE over MAX_BODY_BYTES.
 * @example
 * parseRouteBody('idleFor=3', 'application/x-www-form-urlencoded') // { idleFor: '3' }
 */
export function parseRouteBody(text: string, contentType: string | null | undefined): RouteBody {
  if (new TextEncoder().encode(text).byteLength > MAX_BODY_BYTES) return TOO_LARGE;
  return parseBody(text, contentType ?? undefined);
}

/**
 * Read and parse a Node request body (bounded to MAX_BODY_BYTES).
 * @example
 * const body = await readNodeBody(req, req.headers['content-type']);
 */
export async function readNodeBody(stream: AsyncIterable<Buffer>, contentType: string | undefined): Promise<RouteBody> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  return parseBody(Buffer.concat(chunks).toString('utf8'), contentType);
}

/**
 * Read and parse a Web-standard body stream (bounded to MAX_BODY_BYTES), without Node APIs.
 * @example
 * const body = await readWebBody(request.body, request.headers.get('content-type'));
 */
export async function readWebBody(stream: ReadableStream<Uint8Array> | null, contentType: string | null | undefined): Promise<RouteBody> {
  if (stream === null) return null;
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      void reader.cancel().catch(() => undefined);
      return TOO_LARGE;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return parseBody(new TextDecoder().decode(bytes), contentType ?? undefined);
}

/** @internal Whether a value is a begun session (rather than the 503 answer). */
export function isSession(value: SessionContext | RouteResponse): value is SessionContext {
  return value instanceof SessionContext;
}
