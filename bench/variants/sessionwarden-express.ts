// sessionwarden on Express with its SQLite store, from the built package (dist/), as an app installs it.
import { join } from 'node:path';
import express from 'express';
import type { Warden } from '../../src/index.js';
import { loadBuiltPackage } from '../package.js';
import { BENCH_USER, cacheOption, serveListener, type VariantOptions, type VariantServer } from './index.js';

/**
 * Start sessionwarden's Express middleware over `sqliteStore()`, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenExpress({ dataDir, sessions: 100_000 });
 */
export async function startSessionwardenExpress(options: VariantOptions): Promise<VariantServer> {
  const { dataDir, sessions } = options;
  const { core, express: adapter, sqlite } = await loadBuiltPackage();
  const store = sqlite.sqliteStore({ path: join(dataDir, 'sessionwarden.sqlite') });
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
  return serveListener(app, () => store.close());
}

/**
 * Sessions of other users, each made by a login through the core's public API (no store internals).
 * @example
 * await fillWithLogins(warden, 100_000);
 */
export async function fillWithLogins(warden: Warden, count: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const session = await warden.begin({ cookie: null, ip: '127.0.0.1', userAgent: 'autocannon', method: 'POST', path: '/login' });
    await session.login(`user-${i}`);
    await session.commit();
  }
}
