// sessionwarden on Express over any of the benchmark's stores, from the built package (dist/), as an app installs it.
import express from 'express';
import { loadBuiltPackage } from '../package.js';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';
import { openBenchWarden, type BenchStoreKind } from './stores.js';

/**
 * Start sessionwarden's Express middleware over a store of `kind`, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenExpress('postgres', { dataDir, sessions: 100_000 });
 */
export async function startSessionwardenExpress(kind: BenchStoreKind, options: VariantOptions): Promise<VariantServer> {
  const { express: adapter } = await loadBuiltPackage();
  const { warden, release } = await openBenchWarden(kind, options);
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
  return serveListener(app, release);
}
