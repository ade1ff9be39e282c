// express-session with connect-redis on a node-redis v5 client, as connect-redis's README sets it up.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { RedisStore } from 'connect-redis';
import express, { type Request, type RequestHandler } from 'express';
import { createClient } from 'redis';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';
import { BENCH_REDIS_URL, benchPrefix } from './redis-bench.js';

const require = createRequire(import.meta.url);

// express-session ships no type declarations: the little used here, typed locally.
type StoreCallback = (error?: unknown) => void;
interface ExpressSessionModule {
  (options: { secret: string; resave: boolean; saveUninitialized: boolean; store: RedisStore }): RequestHandler;
}
interface ExpressSessionRequest extends Omit<Request, 'session'> {
  session: { userId?: string; regenerate(callback: StoreCallback): void };
}

/**
 * Start express-session + connect-redis, filled first with `sessions` sessions of other users (through the store's set).
 * @example
 * const server = await startExpressSessionRedis({ dataDir, sessions: 0 });
 */
export async function startExpressSessionRedis({ sessions }: VariantOptions): Promise<VariantServer> {
  const session = require('express-session') as ExpressSessionModule;
  const { prefix, clear } = benchPrefix('connect-redis');
  const client = createClient({ url: BENCH_REDIS_URL });
  client.on('error', (error: unknown) => console.error('connect-redis client:', error));
  await client.connect();
  const store = new RedisStore({ client, prefix });
  for (let first = 0; first < sessions; first += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, sessions - first) }, (_, k) =>
        store.set(randomBytes(24).toString('base64url'), { cookie: { originalMaxAge: null, expires: undefined, httpOnly: true, path: '/' }, userId: `user-${first + k}` } as never),
      ),
    );
  }
  const app = express();
  app.use(session({ secret: 'bench-secret-bench-secret-bench-secret', resave: false, saveUninitialized: false, store }));
  app.post('/login', function expressSessionLogin(req, res, next) {
    const request = req as ExpressSessionRequest;
    request.session.regenerate((error) => {
      if (error) {
        next(error);
        return;
      }
      request.session.userId = BENCH_USER;
      res.json({ ok: true });
    });
  });
  app.get('/me', function expressSessionMe(req, res) {
    const userId = (req as ExpressSessionRequest).session.userId;
    if (!userId) {
      res.status(401).end();
      return;
    }
    res.json({ user: userId });
  });
  return serveListener(app, async () => {
    await client.close();
    await clear();
  });
}
