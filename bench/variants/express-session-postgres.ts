// express-session with connect-pg-simple, the usual PostgreSQL setup, on a fresh database of its own (same server).
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import express, { type Request, type RequestHandler } from 'express';
import pg from 'pg';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';
import { createBenchDatabase } from './stores.js';

const require = createRequire(import.meta.url);

// express-session and connect-pg-simple are used untyped here: the little the routes use, typed locally.

type StoreCallback = (error?: unknown) => void;

interface ExpressSessionStore {
  set(id: string, session: object, callback: StoreCallback): void;
  close?(): Promise<void> | void;
}

interface ExpressSessionModule {
  (options: { secret: string; resave: boolean; saveUninitialized: boolean; store: ExpressSessionStore }): RequestHandler;
}

type PgStoreFactory = (session: ExpressSessionModule) => new (options: { pool: pg.Pool; createTableIfMissing: boolean; pruneSessionInterval: false }) => ExpressSessionStore;

interface ExpressSessionRequest extends Omit<Request, 'session'> {
  session: { userId?: string; regenerate(callback: StoreCallback): void };
}

/**
 * Start express-session over connect-pg-simple (its README setup: a pg Pool, the table created if missing), filled
 * first with `sessions` sessions of other users.
 * @example
 * const server = await startExpressSessionPostgres({ dataDir, sessions: 0 });
 */
export async function startExpressSessionPostgres({ sessions }: VariantOptions): Promise<VariantServer> {
  const session = require('express-session') as ExpressSessionModule;
  const PgStore = (require('connect-pg-simple') as PgStoreFactory)(session);
  const db = await createBenchDatabase('connect_pg_simple');
  const pool = new pg.Pool({ connectionString: db.url });
  // Pruning off: the measured window should see requests, not the store's background sweep.
  const store = new PgStore({ pool, createTableIfMissing: true, pruneSessionInterval: false });
  await fill(store, sessions);
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
    await store.close?.();
    await pool.end();
    await db.drop();
  });
}

/** Sessions of other users through the store's own `set`, 32 at a time. */
async function fill(store: ExpressSessionStore, count: number): Promise<void> {
  let next = 0;
  const set = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const cookie = { originalMaxAge: null, expires: null, httpOnly: true, path: '/' };
      store.set(randomBytes(24).toString('base64url'), { cookie, userId: `user-${i}` }, (error) => (error ? reject(new Error('pre-populating connect-pg-simple failed', { cause: error })) : resolve()));
    });
  const worker = async () => {
    while (next < count) await set(next++);
  };
  // The first call creates the table: alone, before the others race it.
  if (count > 0) await set(next++);
  await Promise.all(Array.from({ length: 32 }, worker));
}
