// The demo on Fastify: the session plugin, the library's pages, the guards as preHandlers, and the demo's routes (demo/site.ts).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Warden } from '../src/index.js';
import { fastifyRoutes, requireUser, sessionwarden, verifyCsrf } from '../src/fastify/index.js';
import { demoErrors } from './errors.js';
import { ASSETS, createDemoSite, FORM_LIMIT, LOGIN, securityHeaders, type DemoAnswer, type DemoOptions, type DemoRequest } from './site.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** This response's CSP nonce. */
    nonce: string;
  }
}

/**
 * Build the demo app on Fastify and its warden (call `app.ready()` or `app.listen()` next).
 * @example
 * const { app } = await createFastifyDemo({ config: readDemoConfig(process.env) }); await app.listen({ port: 3000 });
 */
export async function createFastifyDemo(options: DemoOptions): Promise<{ app: FastifyInstance; warden: Warden }> {
  const site = createDemoSite(options);
  const { warden } = site;
  const app = Fastify();
  app.decorateRequest('nonce', '');
  app.addHook('onRequest', async (request, reply) => {
    const { nonce, headers } = securityHeaders();
    request.nonce = nonce;
    reply.headers(headers);
  });
  // HTML forms: the demo's only bodies.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: FORM_LIMIT }, (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  for (const [path, asset] of Object.entries(ASSETS)) {
    app.get(path, async (_request, reply) => reply.headers({ 'content-type': asset.type, 'cache-control': asset.cacheControl }).send(asset.body));
  }
  await app.register(sessionwarden, { warden });
  for (const routes of site.routes) await app.register(fastifyRoutes(routes));
  const signedIn = requireUser({ loginUrl: LOGIN });
  const csrf = verifyCsrf(warden);

  /** Run a demo route and send its answer; errors go to Fastify's error handling. */
  const run = (route: (request: DemoRequest) => DemoAnswer | Promise<DemoAnswer>) => async (request: FastifyRequest, reply: FastifyReply) => {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const answer = await route({ session: request.sessionwarden, query, body: (request.body ?? {}) as Record<string, unknown>, acceptLanguage: request.headers['accept-language'], cookie: request.headers.cookie, nonce: request.nonce });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  };

  app.get('/login', run(site.loginForm));
  app.post('/login', { preHandler: csrf }, run(site.login));
  app.post('/logout', { preHandler: csrf }, run(site.logout));
  app.get('/reauthenticate', { preHandler: signedIn }, run(site.reauthForm));
  app.post('/reauthenticate', { preHandler: [signedIn, csrf] }, run(site.reauthenticate));
  app.get('/', { preHandler: signedIn }, run(site.home));
  app.get('/api/me', { preHandler: signedIn }, run(site.me));
  const answerError = demoErrors();
  app.setErrorHandler((error, request, reply) => {
    const answer = answerError(error, { method: request.method, path: request.url.split('?')[0]!, wantsJson: /json/.test(request.headers.accept ?? '') });
    return reply.code(answer.status).headers(answer.headers).send(answer.body);
  });
  return { app, warden };
}
