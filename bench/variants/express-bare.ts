// The ceiling: Express 5 answering the same JSON with no session work at all.
import express from 'express';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';

/**
 * Bare Express: `POST /login` sets nothing, `GET /me` answers the user.
 * @example
 * const server = await startBareExpress({ dataDir, sessions: 0 });
 */
export async function startBareExpress(_options: VariantOptions): Promise<VariantServer> {
  const app = express();
  app.post('/login', function bareLogin(_req, res) {
    res.json({ ok: true });
  });
  app.get('/me', function bareMe(_req, res) {
    res.json({ user: BENCH_USER });
  });
  return serveListener(app, () => undefined);
}
