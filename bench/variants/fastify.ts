// The Fastify rows: bare Fastify, its floor, sessionwarden's plugin (any store, from dist/) and @fastify/session (memory).
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginCallback } from 'fastify';
import { loadBuiltPackage } from '../package.js';
import { openFloor } from './floor.js';
import { BENCH_USER, type VariantOptions, type VariantServer } from './index.js';
import { openBenchWarden, type BenchStoreKind } from './stores.js';

/** Serve a Fastify app as a variant server (Fastify's own listen, no extra layer). */
function serveFastify(app: FastifyInstance, release: () => Promise<void> | void): VariantServer {
  return {
    listen: async (port) => {
      await app.listen({ port, host: '127.0.0.1' });
      return (app.server.address() as AddressInfo).port;
    },
    close: async () => {
      app.server.closeAllConnections();
      await app.close();
      await release();
    },
  };
}

/**
 * Bare Fastify 5: `POST /login` sets nothing, `GET /me` answers the user.
 * @example
 * const server = await startBareFastify({ dataDir, sessions: 0 });
 */
export async function startBareFastify(_options: VariantOptions): Promise<VariantServer> {
  const app = Fastify();
  app.post('/login', async () => ({ ok: true }));
  app.get('/me', async () => ({ user: BENCH_USER }));
  return serveFastify(app, () => undefined);
}

/**
 * The floor on Fastify: one onRequest hook reads the cookie, one SHA-256, one indexed SQLite read.
 * @example
 * const server = await startFastifyFloor({ dataDir, sessions: 0 });
 */
export async function startFastifyFloor(options: VariantOptions): Promise<VariantServer> {
  const floor = openFloor(options);
  const app = Fastify();
  app.decorateRequest('user', null);
  app.addHook('onRequest', async (request) => {
    (request as unknown as { user: string | null }).user = floor.userOf(request.headers.cookie);
  });
  app.post('/login', async (_request, reply) => reply.header('set-cookie', floor.issue(BENCH_USER)).send({ ok: true }));
  app.get('/me', async (request, reply) => {
    const user = (request as unknown as { user: string | null }).user;
    if (!user) return reply.code(401).send();
    return { user };
  });
  return serveFastify(app, () => floor.close());
}

/**
 * sessionwarden's Fastify plugin over a store of `kind` from dist/, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenFastify('redis', { dataDir, sessions: 0 });
 */
export async function startSessionwardenFastify(kind: BenchStoreKind, options: VariantOptions): Promise<VariantServer> {
  const { fastify: adapter } = await loadBuiltPackage();
  const { warden, release } = await openBenchWarden(kind, options);
  const app = Fastify();
  await app.register(adapter.sessionwarden, { warden });
  app.post('/login', async (request) => {
    await request.sessionwarden.login(BENCH_USER);
    return { ok: true };
  });
  app.get('/me', async (request, reply) => {
    const userId = request.sessionwarden.userId;
    if (!userId) return reply.code(401).send();
    return { user: userId };
  });
  return serveFastify(app, release);
}

/**
 * @fastify/session with its default MemoryStore (and @fastify/cookie), as its README sets it up; the user in the session.
 * @example
 * const server = await startFastifySession({ dataDir, sessions: 0 });
 */
export async function startFastifySession({ sessions }: VariantOptions): Promise<VariantServer> {
  // Loaded by computed names: @fastify/session's types declare request.session too, and the program has ours.
  const names = ['@fastify/cookie', '@fastify/session'];
  const [cookie, session] = (await Promise.all(names.map((name) => import(name)))) as [{ default: FastifyPluginCallback }, { default: FastifyPluginCallback<Record<string, unknown>> & { MemoryStore: new () => { set(id: string, value: unknown, done: () => void): void } } }];
  const store = new session.default.MemoryStore();
  for (let i = 0; i < sessions; i += 1) store.set(`filled-${i}`, { cookie: { originalMaxAge: null }, user: `user-${i}` }, () => undefined);
  const app = Fastify();
  await app.register(cookie.default);
  // secure: false, as its README asks for plain HTTP (the benchmark's): with true it sends no cookie at all there.
  await app.register(session.default, { secret: 'a bench secret of at least thirty-two characters', cookie: { secure: false, sameSite: 'lax', path: '/' }, saveUninitialized: false, store });
  type WithUser = { session: { user?: string } };
  app.post('/login', async (request) => {
    (request as unknown as WithUser).session.user = BENCH_USER;
    return { ok: true };
  });
  app.get('/me', async (request, reply) => {
    const user = (request as unknown as WithUser).session.user;
    if (!user) return reply.code(401).send();
    return { user };
  });
  return serveFastify(app, () => undefined);
}
