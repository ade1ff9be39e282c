// The same mini app on every framework (Express, Fastify, Hono), each on a real HTTP server at an ephemeral port, and
// the matrix that runs one behaviour spec against all of them (and against each column of extra warden options).
import express, { type Request, type Response } from 'express';
import Fastify, { type FastifyRequest } from 'fastify';
import { Hono, type Context } from 'hono';
import { getRequestListener } from '@hono/node-server';
import { afterEach, describe, it as vitestIt } from 'vitest';
import { createWarden, SessionLimitError, type SessionEvent, type SessionStore, type Warden, type WardenOptions } from '../../src/index.js';
import * as onExpress from '../../src/express/index.js';
import * as onFastify from '../../src/fastify/index.js';
import * as onHono from '../../src/hono/index.js';
import { adminRoutes, pingRoutes, sessionRoutes, type RouteHandler } from '../../src/pages/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { fakeClock, type FakeClock } from '../helpers/clock.js';
import { Browser, listen } from '../helpers/http.js';

export const SESSIONS = '/account/sessions';
export const ADMIN = '/admin/sessions';
export const APP_NOT_FOUND = 'Nothing here.';

/** What every app does, whatever the framework: the answers the routes give, framework-neutral. */
interface Actions {
  warden: Warden;
  routes: RouteHandler[];
}

/** A running app of one framework. */
export interface RunningApp {
  url: string;
  close(): Promise<void>;
}

/** One framework's factory: serve the mini app for a warden. */
export interface Framework {
  name: 'express' | 'fastify' | 'hono';
  start(actions: Actions): Promise<RunningApp>;
}

const loginAnswer = async (ctx: import('../../src/index.js').SessionContext, user: unknown): Promise<{ status: number; headers: Record<string, string>; body: unknown }> => {
  try {
    await ctx.login(typeof user === 'string' && user !== '' ? user : 'alice');
    return { status: 200, headers: {}, body: { ok: true, id: ctx.id } };
  } catch (error) {
    if (error instanceof SessionLimitError) return { status: 409, headers: error.retryAfter === null ? {} : { 'retry-after': String(error.retryAfter) }, body: { error: 'session_limit', retryAfter: error.retryAfter } };
    throw error;
  }
};

/** The session's data as the framework's own session object shows it, without the cookie and methods. */
function dataOf(session: object): Record<string, unknown> {
  const { cookie: _cookie, id: _id, ...data } = JSON.parse(JSON.stringify(session)) as Record<string, unknown>;
  return data;
}

const expressApp: Framework = {
  name: 'express',
  async start({ warden, routes }) {
    const app = express();
    app.use(onExpress.createExpressMiddleware(warden));
    // The routes read their own bounded body: mounted before the app's parsers, as in the demo.
    for (const handler of routes) app.use(onExpress.expressRoutes(handler));
    app.use(express.urlencoded({ extended: false }), express.json());
    app.post('/test/login', async (req: Request, res: Response) => {
      const answer = await loginAnswer(req.sessionwarden, (req.body as Record<string, unknown>).user);
      res.status(answer.status).set(answer.headers).json(answer.body);
    });
    const me = (req: Request, res: Response) => void res.set('cache-control', 'no-store').json({ user: req.sessionwarden.userId, id: req.sessionwarden.id });
    app.get('/me', onExpress.requireUser({ loginUrl: '/login' }), me);
    app.post('/me', onExpress.requireUser({ loginUrl: '/login' }), me);
    app.get('/fresh', onExpress.requireFreshAuth({ maxAge: '5m', reauthUrl: '/reauthenticate' }), (_req: Request, res: Response) => void res.json({ ok: true }));
    app.get('/public', (_req: Request, res: Response) => void res.json({ ok: true }));
    app.post('/logout', onExpress.verifyCsrf(warden), async (req: Request, res: Response) => {
      await req.sessionwarden.logout();
      res.redirect(303, '/login');
    });
    app.get('/session-data', (req: Request, res: Response) => void res.json(dataOf(req.session)));
    app.post('/session-data', (req: Request, res: Response) => {
      Object.assign(req.session, req.body as Record<string, unknown>);
      res.json({ ok: true });
    });
    app.get('/test/form', (req: Request, res: Response) => void res.json({ csrf: onExpress.formCsrfToken(warden, req, res) }));
    app.post('/test/form-login', onExpress.verifyCsrf(warden), async (req: Request, res: Response) => {
      const answer = await loginAnswer(req.sessionwarden, 'alice');
      res.status(answer.status).set(answer.headers).json(answer.body);
    });
    app.post('/test/rotate', async (req: Request, res: Response) => {
      await req.sessionwarden.rotate();
      res.json({ ok: true });
    });
    app.post('/test/reauthenticate', async (req: Request, res: Response) => {
      await req.sessionwarden.reauthenticate();
      res.json({ ok: true });
    });
    app.use((_req: Request, res: Response) => void res.status(404).type('text/plain').send(APP_NOT_FOUND));
    const server = await listen(app);
    return { url: server.url, close: server.close };
  },
};

const fastifyApp: Framework = {
  name: 'fastify',
  async start({ warden, routes }) {
    const app = Fastify();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
    await app.register(onFastify.sessionwarden, { warden });
    for (const handler of routes) await app.register(onFastify.fastifyRoutes(handler));
    app.post('/test/login', async (request, reply) => {
      const answer = await loginAnswer(request.sessionwarden, (request.body as Record<string, unknown> | undefined)?.user);
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
    const me = async (request: FastifyRequest) => ({ user: request.sessionwarden.userId, id: request.sessionwarden.id });
    app.get('/me', { preHandler: onFastify.requireUser({ loginUrl: '/login' }) }, me);
    app.post('/me', { preHandler: onFastify.requireUser({ loginUrl: '/login' }) }, me);
    app.get('/fresh', { preHandler: onFastify.requireFreshAuth({ maxAge: '5m', reauthUrl: '/reauthenticate' }) }, async () => ({ ok: true }));
    app.get('/public', async () => ({ ok: true }));
    app.post('/logout', { preHandler: onFastify.verifyCsrf(warden) }, async (request, reply) => {
      await request.sessionwarden.logout();
      return reply.redirect('/login', 303);
    });
    app.get('/session-data', async (request) => dataOf(request.session));
    app.post('/session-data', async (request) => {
      for (const [key, value] of Object.entries((request.body ?? {}) as Record<string, unknown>)) (request.session as unknown as Record<string, unknown>)[key] = value;
      return { ok: true };
    });
    app.get('/test/form', async (request, reply) => ({ csrf: onFastify.formCsrfToken(warden, request, reply) }));
    app.post('/test/form-login', { preHandler: onFastify.verifyCsrf(warden) }, async (request, reply) => {
      const answer = await loginAnswer(request.sessionwarden, 'alice');
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
    app.post('/test/rotate', async (request) => {
      await request.sessionwarden.rotate();
      return { ok: true };
    });
    app.post('/test/reauthenticate', async (request) => {
      await request.sessionwarden.reauthenticate();
      return { ok: true };
    });
    app.setNotFoundHandler(async (_request, reply) => reply.code(404).type('text/plain').send(APP_NOT_FOUND));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as import('node:net').AddressInfo;
    return {
      url: `http://127.0.0.1:${address.port}`,
      close: async () => {
        app.server.closeAllConnections();
        await app.close();
      },
    };
  },
};

/** A Hono body: JSON or a form, as a plain object. */
async function honoBody(c: Context): Promise<Record<string, unknown>> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) return (await c.req.json()) as Record<string, unknown>;
  if (type.startsWith('application/x-www-form-urlencoded')) return (await c.req.parseBody()) as Record<string, unknown>;
  return {};
}

const honoApp: Framework = {
  name: 'hono',
  async start({ warden, routes }) {
    const app = new Hono();
    app.use(onHono.sessionwarden(warden));
    for (const handler of routes) app.use(onHono.honoRoutes(handler));
    app.post('/test/login', async (c) => {
      const answer = await loginAnswer(c.get('sessionwarden'), (await honoBody(c)).user);
      return c.json(answer.body, answer.status as 200, answer.headers);
    });
    const me = (c: Context) => c.json({ user: c.get('sessionwarden').userId, id: c.get('sessionwarden').id });
    app.get('/me', onHono.requireUser({ loginUrl: '/login' }), me);
    app.post('/me', onHono.requireUser({ loginUrl: '/login' }), me);
    app.get('/fresh', onHono.requireFreshAuth({ maxAge: '5m', reauthUrl: '/reauthenticate' }), (c) => c.json({ ok: true }));
    app.get('/public', (c) => c.json({ ok: true }));
    app.post('/logout', onHono.verifyCsrf(warden), async (c) => {
      await c.get('sessionwarden').logout();
      return c.redirect('/login', 303);
    });
    app.get('/session-data', (c) => c.json(dataOf(c.get('sessionwarden').data)));
    app.post('/session-data', async (c) => {
      const session = c.get('session');
      for (const [key, value] of Object.entries(await honoBody(c))) session.set(key as never, value as never);
      return c.json({ ok: true });
    });
    app.get('/test/form', (c) => c.json({ csrf: onHono.formCsrfToken(warden, c) }));
    app.post('/test/form-login', onHono.verifyCsrf(warden), async (c) => {
      const answer = await loginAnswer(c.get('sessionwarden'), 'alice');
      return c.json(answer.body, answer.status as 200, answer.headers);
    });
    app.post('/test/rotate', async (c) => {
      await c.get('sessionwarden').rotate();
      return c.json({ ok: true });
    });
    app.post('/test/reauthenticate', async (c) => {
      await c.get('sessionwarden').reauthenticate();
      return c.json({ ok: true });
    });
    app.notFound((c) => c.text(APP_NOT_FOUND, 404));
    const server = await listen(getRequestListener(app.fetch));
    return { url: server.url, close: server.close };
  },
};

/** Every framework the behaviour suite runs against. */
export const FRAMEWORKS: readonly Framework[] = [expressApp, fastifyApp, honoApp];

/**
 * Columns of extra warden options: every scenario runs once per framework and column (a "cache on" column is one
 * entry here).
 */
export const COLUMNS: readonly { name: string; warden: Partial<WardenOptions> }[] = [
  { name: 'defaults', warden: {} },
  // The read cache (issue 14): every scenario must behave the same with sessions answered from process memory.
  { name: 'cache', warden: { cache: { maxEntries: 1000 } } },
];

/** A running app of the matrix: its framework, warden, store, clock, captured events and browsers. */
export interface MatrixApp {
  framework: Framework['name'];
  url: string;
  warden: Warden;
  store: SessionStore;
  clock: FakeClock;
  events: SessionEvent[];
  browser(headers?: Record<string, string>): Browser;
  /** A new browser signed in as `user`. */
  signIn(user?: string, headers?: Record<string, string>): Promise<Browser>;
  close(): Promise<void>;
}

/** What a scenario gets: `start()` runs the app of the current framework and column (closed after the test). */
export interface MatrixEnv {
  framework: Framework['name'];
  /** The column's name (its extra warden options are applied by `start()`). */
  column: string;
  start(options?: Partial<WardenOptions>): Promise<MatrixApp>;
  /**
   * A scenario that cannot run everywhere: `skipOn` names each framework or column it is skipped on with the reason,
   * which the skipped test's name shows. (Plain `it` runs everywhere.)
   */
  it(title: string, scenario: () => Promise<void>, skipOn: Partial<Record<string, string>>): void;
}

/**
 * describe() once per framework and column; the body registers the scenarios with `it` and starts apps through `env`.
 * @example
 * describeMatrix('login', (env) => { it('signs in', async () => { const app = await env.start(); … }); });
 */
export function describeMatrix(name: string, body: (env: MatrixEnv) => void): void {
  for (const framework of FRAMEWORKS) {
    for (const column of COLUMNS) {
      describe(`${name} [${framework.name}${COLUMNS.length > 1 ? `, ${column.name}` : ''}]`, () => {
        const running: MatrixApp[] = [];
        afterEach(async () => {
          for (const app of running.splice(0)) await app.close();
        });
        body({
          framework: framework.name,
          column: column.name,
          it(title, scenario, skipOn) {
            const why = skipOn[framework.name] ?? skipOn[column.name];
            if (why === undefined) vitestIt(title, scenario);
            else vitestIt.skip(`${title} (skipped on ${framework.name}/${column.name}: ${why})`, scenario);
          },
          async start(options = {}) {
            const clock = fakeClock();
            const events: SessionEvent[] = [];
            const store = options.store ?? memoryStore();
            const warden = createWarden({ now: clock.now, onEvent: (event) => events.push(event), touchInterval: '10m', ...column.warden, ...options, store });
            const ping = pingRoutes(warden, { base: '/session' });
            const routes: RouteHandler[] = [
              ping,
              sessionRoutes(warden, { base: SESSIONS, reauthUrl: '/reauthenticate' }),
            ];
            // The admin view lists every session: only over a store that can (the failing test store cannot).
            if (typeof store.list === 'function') routes.push(adminRoutes(warden, { base: ADMIN, isAdmin: (userId) => userId === 'admin' }));
            const server = await framework.start({ warden, routes });
            const browser = (headers: Record<string, string> = {}) => new Browser(server.url, headers);
            const app: MatrixApp = {
              framework: framework.name,
              url: server.url,
              warden,
              store,
              clock,
              events,
              browser,
              async signIn(user = 'alice', headers = {}) {
                const signedIn = browser(headers);
                const response = await signedIn.request('POST', '/test/login', { json: { user } });
                if (response.status !== 200) throw new Error(`sign-in of ${user} failed with ${response.status}: ${response.text}`);
                return signedIn;
              },
              async close() {
                await server.close();
                await store.close?.();
              },
            };
            running.push(app);
            return app;
          },
        });
      });
    }
  }
}
