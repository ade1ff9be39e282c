// sessionwarden on Express with its Redis store (node-redis v5), from the built package (dist/), as an app installs it.
import express from 'express';
import { loadBuiltPackage, loadBuiltRedisStore } from '../package.js';
import { BENCH_USER, cacheOption, serveListener, type VariantOptions, type VariantServer } from './index.js';
import { BENCH_REDIS_URL, benchPrefix } from './redis-bench.js';
import { fillWithLogins } from './sessionwarden-express.js';

/**
 * Start sessionwarden's Express middleware over `redisStoreFromUrl()`, filled first with `sessions` logins of other users.
 * @example
 * const server = await startSessionwardenRedis({ dataDir, sessions: 100_000 });
 */
export async function startSessionwardenRedis(options: VariantOptions): Promise<VariantServer> {
  const { sessions } = options;
  const { core, express: adapter } = await loadBuiltPackage();
  const { redisStoreFromUrl } = await loadBuiltRedisStore();
  const { prefix, clear } = benchPrefix('sessionwarden');
  const store = redisStoreFromUrl(BENCH_REDIS_URL, { prefix });
  await store.probe(5000);
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
    await clear();
  });
}
