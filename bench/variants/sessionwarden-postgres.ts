// sessionwarden on Express with its PostgreSQL store, from the built package (dist/), on a fresh database of its own.
import { randomBytes } from 'node:crypto';
import express from 'express';
import pg from 'pg';
import type { Warden } from '../../src/index.js';
import type * as PostgresStore from '../../src/stores/postgres/index.js';
import { loadBuiltPackage } from '../package.js';
import { BENCH_USER, cacheOption, serveListener, type VariantOptions, type VariantServer } from './index.js';

/** The server the PostgreSQL variants use (its database is only where fresh ones are created from). */
const SERVER_URL = process.env.SESSIONWARDEN_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * A fresh database on the benchmark's PostgreSQL server, dropped by `drop()`: each variant measures its own.
 * @example
 * const db = await createBenchDatabase('sessionwarden'); … await db.drop();
 */
export async function createBenchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sw_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: SERVER_URL });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/**
 * Start sessionwarden's Express middleware over `postgresStore()`, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenPostgres({ dataDir, sessions: 0 });
 */
export async function startSessionwardenPostgres(options: VariantOptions): Promise<VariantServer> {
  const { sessions } = options;
  const { core, express: adapter } = await loadBuiltPackage();
  // Computed at run time, like loadBuiltPackage's: the bundler leaves it to Node, which resolves it to dist/.
  const { postgresStore } = (await import(`${'sessionwarden'}/stores/postgres`)) as typeof PostgresStore;
  const db = await createBenchDatabase('sessionwarden');
  const store = postgresStore({ connectionString: db.url });
  await store.migrate();
  const warden = core.createWarden({ store, insecureDevelopmentMode: false, ...cacheOption(options) });
  await fillWithLogins(warden, sessions);
  const app = express();
  app.use(adapter.createExpressMiddleware(warden));
  app.post('/login', async function sessionwardenLogin(req, res) {
    await req.sessionwarden.login(BENCH_USER);
    res.json({ ok: true });
  });
  app.get('/me', function sessionwardenMe(req, res) {
    const userId = req.sessionwarden.userId;
    if (!userId) {
      res.status(401).end();
      return;
    }
    res.json({ user: userId });
  });
  return serveListener(app, async () => {
    await store.close();
    await db.drop();
  });
}

/** Sessions of other users, each made by a login through the core's public API, 32 at a time (a server's round trips). */
async function fillWithLogins(warden: Warden, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const session = await warden.begin({ cookie: null, ip: '127.0.0.1', userAgent: 'autocannon', method: 'POST', path: '/login' });
      await session.login(`user-${i}`);
      await session.commit();
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
