// The Fastify adapter (Fastify 5): a plugin on onRequest and onSend, @fastify/session's request.session, the guards as
// preHandler hooks, and the neutral routes mounted as a plugin.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { SessionConfigError, SessionStoreError } from '../core/errors.js';
import type { SessionContext } from '../core/session-context.js';
import { Warden } from '../core/warden.js';
import { csrfAnswer, csrfFormField, freshAuthPolicy, requireFreshAnswer, requireUserAnswer, sameOriginPath, storeUnavailable, type FreshAuthOptions } from '../http/guards.js';
import { answerRoute, beginSession, finishSession, isSession, needsSave, nodeHeaders, nodeRequestInput, pathOf, readNodeBody, SESSION_COOKIE_CACHE_CONTROL, withSessionCookie } from '../http/lifecycle.js';
import type { PolicyRequest, RouteHandler, RouteResponse } from '../http/types.js';
import { adoptSession, FACADE, FastifySession, sessionOf } from './session.js';

export { FastifySession } from './session.js';
export { Cookie } from '../http/session-cookie.js';

declare module 'fastify' {
  /**
   * The shape of your session data, as with @fastify/session.
   * @example
   * declare module 'fastify' { interface Session { userId: string } }
   */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an empty interface is what apps augment.
  interface Session {}

  interface FastifyRequest {
    /** The session, as @fastify/session has it: your data as properties or through get/set, `cookie`, the methods. */
    session: FastifySessionObject;
    /** sessionwarden's own view of the request's session: login, logout, rotate, the record, the CSRF token, … */
    sessionwarden: SessionContext;
  }
}

/** `request.session`: @fastify/session's session object with your data's keys. */
export type FastifySessionObject = FastifySession & import('fastify').Session;

/** Options of the plugin. */
export interface SessionwardenPluginOptions {
  /** The warden (createWarden()) whose sessions the app uses. */
  warden: Warden;
  /** Send the session cookie on every response (a persistent cookie's Max-Age restarts with each request). @default false */
  rolling?: boolean;
  /** Store a new visitor's session even when nothing was written to it. @default false */
  saveUninitialized?: boolean;
}

const FINISHED = Symbol('sessionwarden.finished');

type PluginRequest = FastifyRequest & { [FINISHED]?: boolean; [FACADE]?: FastifySession | null };

/**
 * The plugin: validates the session cookie on `onRequest` (a store failure answers 503 at once), sets
 * `request.session` and `request.sessionwarden`, and on `onSend` saves changed data before the response goes out and
 * adds the session cookie. Registered without encapsulation, so every route of the app sees the session.
 * @example
 * await app.register(sessionwarden, { warden });
 */
export async function sessionwarden(fastify: FastifyInstance, options: SessionwardenPluginOptions): Promise<void> {
  const warden = options?.warden;
  if (!(warden instanceof Warden)) throw new SessionConfigError('the Fastify plugin needs { warden } (from createWarden())');
  if (fastify.hasRequestDecorator('sessionwarden')) throw new SessionConfigError('the Fastify plugin is registered twice');
  const rolling = options.rolling === true;
  const saveUninitialized = options.saveUninitialized === true;

  fastify.decorateRequest('sessionwarden', null as unknown as SessionContext);
  fastify.decorateRequest(FACADE, null);
  fastify.decorateRequest(FINISHED, false);
  fastify.decorateRequest('session', {
    getter(this: FastifyRequest) {
      const ctx = this.sessionwarden;
      return (ctx === null ? null : sessionOf(this, ctx)) as FastifySessionObject;
    },
    setter(this: FastifyRequest, value: FastifySessionObject) {
      const ctx = this.sessionwarden;
      if (ctx === null) throw new TypeError('sessionwarden: request.session is set by the plugin, from onRequest on');
      adoptSession(this, ctx, value);
    },
  });

  fastify.addHook('onRequest', function sessionwardenBegin(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) {
    const headers = request.headers;
    beginSession(warden, nodeRequestInput(headers, request.raw.socket?.remoteAddress, request.method, request.url), () => nodeHeaders(headers)).then((begun) => {
      // A store failure: answered here (503), the request goes no further.
      if (!isSession(begun)) return void sendAnswer(reply, begun);
      if (saveUninitialized) begun.storeEmpty = true;
      request.sessionwarden = begun;
      done();
    }, done);
  });

  // A callback hook: most responses have nothing to save and no cookie to send, and then no promise is made at all.
  fastify.addHook('onSend', function sessionwardenFinish(request: PluginRequest, reply: FastifyReply, payload: unknown, done: (error: Error | null, payload?: unknown) => void) {
    const ctx = request.sessionwarden;
    // Once per request: an error page sent because of this hook must not run the save again.
    if (ctx === null || request[FINISHED] === true) return done(null, payload);
    request[FINISHED] = true;
    if (!needsSave(ctx)) {
      const cookie = ctx.headersDue(rolling);
      if (cookie !== null) addCookie(reply, cookie);
      return done(null, payload);
    }
    finishSession(ctx, rolling).then(
      (cookie) => {
        if (cookie !== null) addCookie(reply, cookie);
        done(null, payload);
      },
      (error: unknown) => {
        if (!(error instanceof SessionStoreError)) return done(error as Error);
        // The save did not land: fail closed, the app's answer is not sent.
        const answer = storeUnavailable(nodeHeaders(request.headers));
        reply.code(answer.status).removeHeader('set-cookie').removeHeader('location');
        reply.headers(answer.headers);
        done(null, answer.body);
      },
    );
  });
}

/** Add the session cookie to the reply (replacing an earlier one of the same name, keeping the app's other cookies). */
function addCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.removeHeader('set-cookie');
  reply.header('set-cookie', withSessionCookie(list, cookie));
  reply.header('cache-control', SESSION_COOKIE_CACHE_CONTROL);
}

// Not encapsulated (what fastify-plugin does): the hooks and decorators reach every route of the app.
Object.assign(sessionwarden, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'sessionwarden',
  [Symbol.for('plugin-meta')]: { name: 'sessionwarden', fastify: '5.x' },
});

export default sessionwarden;

/**
 * Mount a route group (`sessionRoutes`, `adminRoutes`, `pingRoutes` from `sessionwarden/pages`) as a plugin: requests
 * it claims are answered on `onRequest` (the body read here, bounded), the rest go on to the app's routes. Register it
 * after the session plugin.
 * @example
 * await app.register(fastifyRoutes(sessionRoutes(warden, { base: '/account/sessions' })));
 */
export function fastifyRoutes(handler: RouteHandler): (fastify: FastifyInstance) => Promise<void> {
  const plugin = async function sessionwardenRoutes(fastify: FastifyInstance): Promise<void> {
    if (!fastify.hasRequestDecorator('sessionwarden')) throw new SessionConfigError('register the sessionwarden plugin before fastifyRoutes()');
    fastify.addHook('onRequest', async function sessionwardenRoute(request: FastifyRequest, reply: FastifyReply) {
      const session = request.sessionwarden;
      // The session plugin already answered (a store failure).
      if (session === null || reply.sent) return undefined;
      const answer = await answerRoute(handler, {
        method: request.method,
        url: request.url,
        headers: nodeHeaders(request.headers),
        session,
        body: () => readNodeBody(request.raw as AsyncIterable<Buffer>, request.headers['content-type']),
      });
      return answer === null ? undefined : sendAnswer(reply, answer);
    });
  };
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'sessionwarden-routes' });
}

/**
 * Require a signed-in user (a preHandler): fetch/JSON requests get 401 JSON (`session_ended` with the reason, or
 * `unauthenticated`), HTML navigations a 303 to `loginUrl` with `?reason=`.
 * @example
 * app.get('/account', { preHandler: requireUser({ loginUrl: '/login' }) }, handler);
 */
export function requireUser(options: { loginUrl: string }): preHandlerAsyncHookHandler {
  const loginUrl = sameOriginPath('requireUser', 'loginUrl', options?.loginUrl);
  return async function sessionwardenRequireUser(request, reply) {
    const refused = requireUserAnswer(policyRequestOf(request), loginUrl);
    if (refused !== null) return sendAnswer(reply, refused);
    return undefined;
  };
}

/**
 * Require a recent sign-in ("sudo mode", a preHandler): a stale one gets 403 JSON `reauthentication_required`, or for
 * HTML a 303 to `reauthUrl?returnTo=…`; signed-out requests are answered as by `requireUser`.
 * @example
 * app.post('/account/delete', { preHandler: requireFreshAuth({ maxAge: '10m', reauthUrl: '/reauthenticate' }) }, handler);
 */
export function requireFreshAuth(options: FreshAuthOptions & { loginUrl?: string }): preHandlerAsyncHookHandler {
  const policy = freshAuthPolicy('requireFreshAuth', options);
  const loginUrl = sameOriginPath('requireFreshAuth', 'loginUrl', options.loginUrl ?? '/login');
  return async function sessionwardenRequireFreshAuth(request, reply) {
    const refused = requireFreshAnswer(policyRequestOf(request), policy, loginUrl);
    if (refused !== null) return sendAnswer(reply, refused);
    return undefined;
  };
}

/**
 * Refuse cross-site or token-less state changes with 403 (a preHandler, so the body is parsed): Fetch Metadata /
 * Origin checks plus the session's CSRF token from the `X-CSRF-Token` header or the `_csrf` body field.
 * @example
 * app.post('/logout', { preHandler: verifyCsrf(warden) }, handler);
 */
export function verifyCsrf(warden: Warden): preHandlerAsyncHookHandler {
  return async function sessionwardenVerifyCsrf(request, reply) {
    const refused = csrfAnswer(warden, policyRequestOf(request));
    if (refused !== null) return sendAnswer(reply, refused);
    return undefined;
  };
}

/**
 * The CSRF token for a form on this page: the session's, or for a visitor without a session (a sign-in form) the
 * pre-session token, whose cookie is added to `reply`. Render it as the form's hidden `_csrf` field.
 * @example
 * const token = formCsrfToken(warden, request, reply);
 */
export function formCsrfToken(warden: Warden, request: FastifyRequest, reply: FastifyReply): string {
  const { token, setCookie } = csrfFormField(warden, policyRequestOf(request).session, request.headers.cookie);
  if (setCookie !== null) reply.header('set-cookie', setCookie);
  return token;
}

/** @internal The neutral view of a Fastify request for the policy (the plugin must have run). */
export function policyRequestOf(request: FastifyRequest): PolicyRequest {
  const session = request.sessionwarden;
  if (session === null || session === undefined) throw new SessionConfigError('register the sessionwarden plugin before its guards');
  const body: unknown = request.body;
  return {
    method: request.method,
    path: pathOf(request.url),
    headers: nodeHeaders(request.headers),
    body: body !== null && typeof body === 'object' && !Buffer.isBuffer(body) ? (body as Record<string, unknown>) : null,
    session,
  };
}

/** Send a neutral response from a hook. */
function sendAnswer(reply: FastifyReply, response: RouteResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body);
}
