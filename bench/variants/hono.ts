// The Hono rows (on @hono/node-server): bare Hono, its floor, and sessionwarden's middleware (any store, from dist/).
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { loadBuiltPackage } from '../package.js';
import { openFloor } from './floor.js';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';
import { openBenchWarden, type BenchStoreKind } from './stores.js';

/**
 * Bare Hono: `POST /login` sets nothing, `GET /me` answers the user.
 * @example
 * const server = await startBareHono({ dataDir, sessions: 0 });
 */
export async function startBareHono(_options: VariantOptions): Promise<VariantServer> {
  const app = new Hono();
  app.post('/login', (c) => c.json({ ok: true }));
  app.get('/me', (c) => c.json({ user: BENCH_USER }));
  return serveListener(getRequestListener(app.fetch), () => undefined);
}

/**
 * The floor on Hono: one middleware reads the cookie, one SHA-256, one indexed SQLite read.
 * @example
 * const server = await startHonoFloor({ dataDir, sessions: 0 });
 */
export async function startHonoFloor(options: VariantOptions): Promise<VariantServer> {
  const floor = openFloor(options);
  const app = new Hono<{ Variables: { user: string | null } }>();
  app.use(async (c, next) => {
    c.set('user', floor.userOf(c.req.header('cookie')));
    await next();
  });
  app.post('/login', (c) => c.json({ ok: true }, 200, { 'set-cookie': floor.issue(BENCH_USER) }));
  app.get('/me', (c) => {
    const user = c.get('user');
    return user ? c.json({ user }) : c.body(null, 401);
  });
  return serveListener(getRequestListener(app.fetch), () => floor.close());
}

/**
 * sessionwarden's Hono middleware over a store of `kind` from dist/, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenHono('postgres', { dataDir, sessions: 0 });
 */
export async function startSessionwardenHono(kind: BenchStoreKind, options: VariantOptions): Promise<VariantServer> {
  const { hono: adapter } = await loadBuiltPackage();
  const { warden, release } = await openBenchWarden(kind, options);
  const app = new Hono();
  app.use(adapter.sessionwarden(warden));
  app.post('/login', async (c) => {
    await c.get('sessionwarden').login(BENCH_USER);
    return c.json({ ok: true });
  });
  app.get('/me', (c) => {
    const userId = c.get('sessionwarden').userId;
    return userId ? c.json({ user: userId }) : c.body(null, 401);
  });
  return serveListener(getRequestListener(app.fetch), release);
}
