// The demo on Hono: the session middleware, the library's pages, the guards, and the demo's routes (demo/site.ts).
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Warden } from '../src/index.js';
import { honoRoutes, requireUser, sessionwarden, verifyCsrf } from '../src/hono/index.js';
import { demoErrors } from './errors.js';
import { ASSETS, createDemoSite, FORM_LIMIT, LOGIN, securityHeaders, type DemoAnswer, type DemoOptions, type DemoRequest } from './site.js';

/** The demo's own variable: this response's CSP nonce. */
type DemoEnv = { Variables: { nonce: string } };

/**
 * Build the demo app on Hono and its warden (serve `app.fetch`, e.g. with @hono/node-server).
 * @example
 * const { app } = createHonoDemo({ config: readDemoConfig(process.env) }); serve({ fetch: app.fetch, port: 3000 });
 */
export function createHonoDemo(options: DemoOptions): { app: Hono<DemoEnv>; warden: Warden } {
  const site = createDemoSite(options);
  const { warden } = site;
  const app = new Hono<DemoEnv>();
  app.use(async (c, next) => {
    const { nonce, headers } = securityHeaders();
    c.set('nonce', nonce);
    await next();
    // A route's own policy (the library's pages) stays; every other response gets the demo's.
    for (const [name, value] of Object.entries(headers)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (c) => c.body(typeof asset.body === 'string' ? asset.body : new Uint8Array(asset.body), 200, { 'content-type': asset.type, 'cache-control': asset.cacheControl }));
  }
  app.use(sessionwarden(warden));
  for (const routes of site.routes) app.use(honoRoutes(routes));
  const signedIn = requireUser({ loginUrl: LOGIN });
  // HTML forms are the demo's only bodies: bounded before the CSRF check reads them.
  const csrf = [bodyLimit({ maxSize: FORM_LIMIT }), verifyCsrf(warden)] as const;

  /** Run a demo route and answer; errors go to Hono's error handling. */
  const run = (route: (request: DemoRequest) => DemoAnswer | Promise<DemoAnswer>) => async (c: Context<DemoEnv>) => {
    const body = c.req.method === 'POST' ? ((await c.req.parseBody()) as Record<string, unknown>) : {};
    const answer = await route({ session: c.get('sessionwarden'), query: new URL(c.req.url).searchParams, body, acceptLanguage: c.req.header('accept-language'), cookie: c.req.header('cookie'), nonce: c.get('nonce') });
    return c.body(answer.body as string, answer.status as 200, answer.headers);
  };

  app.get('/login', run(site.loginForm));
  app.post('/login', ...csrf, run(site.login));
  app.post('/logout', ...csrf, run(site.logout));
  app.get('/reauthenticate', signedIn, run(site.reauthForm));
  app.post('/reauthenticate', signedIn, ...csrf, run(site.reauthenticate));
  app.get('/', signedIn, run(site.home));
  app.get('/api/me', signedIn, run(site.me));
  const answerError = demoErrors();
  app.onError((error, c) => {
    const answer = answerError(error, { method: c.req.method, path: c.req.path, wantsJson: /json/.test(c.req.header('accept') ?? '') });
    return c.body(answer.body as string, answer.status as 500, answer.headers);
  });
  return { app, warden };
}
