// The security checklist's harness: an Express app with /test/login, /me, /logout and friends over a real store.
import express, { type Request, type Response } from 'express';
import { createRequire } from 'node:module';
import { createWarden, SessionLimitError, type SessionEvent, type SessionStore, type Warden, type WardenOptions } from '../../src/index.js';
import { createExpressMiddleware, requireUser, verifyCsrf } from '../../src/express/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { fakeClock, type FakeClock } from './clock.js';
import { Browser, listen, type TestServer } from './http.js';

/** A running harness: app server, warden, clock, captured events. */
export interface Harness {
  url: string;
  warden: Warden;
  store: SessionStore;
  clock: FakeClock;
  events: SessionEvent[];
  browser(defaults?: Record<string, string>): Browser;
  close(): Promise<void>;
}

/**
 * Start the harness app on an ephemeral port with a fake clock.
 * @example
 * const h = await startHarness({ idleTimeout: '10m' }); const b = h.browser(); await b.post('/test/login', { user: 'alice' });
 */
export async function startHarness(options: Partial<WardenOptions> & { expressVersion?: 4 | 5 } = {}): Promise<Harness> {
  const { expressVersion = 5, ...wardenOptions } = options;
  const clock = fakeClock();
  const events: SessionEvent[] = [];
  const store = wardenOptions.store ?? memoryStore();
  const warden = createWarden({ now: clock.now, onEvent: (event) => events.push(event), ...wardenOptions, store });
  // Express 4 ships no types of its own; its API is the one @types/express describes.
  const factory = (expressVersion === 4 ? createRequire(import.meta.url)('express4') : express) as typeof express;
  const app = factory();
  app.use(createExpressMiddleware(warden));
  app.use(factory.urlencoded({ extended: false }));
  app.use(factory.json());
  const session = (req: Request) => req.session;
  const own = (req: Request) => req.sessionwarden;

  app.post('/test/login', async (req: Request, res: Response) => {
    try {
      await own(req).login(String((req.body as Record<string, unknown>).user ?? 'alice'));
      res.json({ ok: true, id: own(req).id });
    } catch (error) {
      if (error instanceof SessionLimitError) {
        if (error.retryAfter !== null) res.setHeader('Retry-After', String(error.retryAfter));
        res.status(409).json({ error: 'session_limit', retryAfter: error.retryAfter });
        return;
      }
      res.status(503).json({ error: 'store' });
    }
  });
  const me = (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ user: own(req).userId, id: own(req).id });
  };
  app.get('/me', requireUser({ loginUrl: '/login' }), me);
  app.post('/me', requireUser({ loginUrl: '/login' }), me);
  app.get('/public', (_req: Request, res: Response) => {
    res.json({ ok: true });
  });
  app.post('/logout', verifyCsrf(warden), async (req: Request, res: Response) => {
    try {
      await own(req).logout();
      res.setHeader('Clear-Site-Data', '"cookies"');
      res.redirect(303, '/login');
    } catch {
      res.status(503).json({ error: 'logout_failed' });
    }
  });
  app.get('/session-data', (req: Request, res: Response) => {
    const { id: _id, ...data } = JSON.parse(JSON.stringify(session(req))) as Record<string, unknown>;
    res.json(data);
  });
  app.post('/session-data', (req: Request, res: Response) => {
    Object.assign(session(req), req.body as Record<string, unknown>);
    res.json({ ok: true });
  });
  app.post('/test/rotate', async (req: Request, res: Response) => {
    try {
      await own(req).rotate();
      res.json({ ok: true });
    } catch {
      res.status(409).json({ error: 'gone' });
    }
  });
  app.post('/test/reauthenticate', async (req: Request, res: Response) => {
    await own(req).reauthenticate();
    res.json({ ok: true });
  });
  warden.markPassive('/session/ping');
  app.post('/session/ping', verifyCsrf(warden), async (req: Request, res: Response) => {
    const ctx = req.sessionwarden;
    const reply = await warden.ping(ctx, (req.body as Record<string, unknown>).idleFor);
    res.setHeader('Cache-Control', 'no-store');
    if ('ended' in reply) res.status(401).json({ error: 'session_ended', reason: reply.ended });
    else res.json(reply);
  });

  const server: TestServer = await listen(app);
  return {
    url: server.url,
    warden,
    store,
    clock,
    events,
    browser: (defaults) => new Browser(server.url, defaults),
    close: server.close,
  };
}
