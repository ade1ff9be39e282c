// The demo on Express: the session middleware, the library's pages, the guards, and the demo's routes (demo/site.ts).
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Warden } from '../src/index.js';
import { createExpressMiddleware, expressRoutes, requireUser, verifyCsrf } from '../src/express/index.js';
import { demoErrorHandler } from './errors.js';
import { ASSETS, createDemoSite, FORM_LIMIT, LOGIN, securityHeaders, type DemoAnswer, type DemoOptions, type DemoRequest } from './site.js';

/**
 * Build the demo app on Express and its warden.
 * @example
 * const { app } = createExpressDemo({ config: readDemoConfig(process.env) }); app.listen(3000);
 */
export function createExpressDemo(options: DemoOptions): { app: express.Express; warden: Warden } {
  const site = createDemoSite(options);
  const { warden } = site;
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    const { nonce, headers } = securityHeaders();
    res.locals.nonce = nonce;
    res.set(headers);
    next();
  });
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, (_req, res) => void res.set({ 'content-type': asset.type, 'cache-control': asset.cacheControl }).send(asset.body));
  }
  app.use(createExpressMiddleware(warden));
  for (const routes of site.routes) app.use(expressRoutes(routes));
  const form = express.urlencoded({ extended: false, limit: FORM_LIMIT });
  const signedIn = requireUser({ loginUrl: LOGIN });

  /** Run a demo route and send its answer; errors go to Express's error handling. */
  const run = (route: (request: DemoRequest) => DemoAnswer | Promise<DemoAnswer>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const query = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const answer = await route({ session: req.sessionwarden, query, body: (req.body ?? {}) as Record<string, unknown>, acceptLanguage: req.get('accept-language'), cookie: req.headers.cookie, nonce: String(res.locals.nonce) });
      res.status(answer.status).set(answer.headers).send(answer.body);
    } catch (error) {
      next(error);
    }
  };

  app.get('/login', run(site.loginForm));
  app.post('/login', form, verifyCsrf(warden), run(site.login));
  app.post('/logout', form, verifyCsrf(warden), run(site.logout));
  app.get('/reauthenticate', signedIn, run(site.reauthForm));
  app.post('/reauthenticate', form, signedIn, verifyCsrf(warden), run(site.reauthenticate));
  app.get('/', signedIn, run(site.home));
  app.get('/api/me', signedIn, run(site.me));
  app.use(demoErrorHandler());
  return { app, warden };
}
