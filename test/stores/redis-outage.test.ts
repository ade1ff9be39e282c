// Outages on a Redis of the test's own: stopped mid-load and restarted from its dump, then hung (SIGSTOP/SIGCONT).
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWarden, type SessionEvent } from '../../src/index.js';
import { createExpressMiddleware } from '../../src/express/index.js';
import { redisStoreFromUrl, type RedisSessionStore } from '../../src/stores/redis/index.js';
import { Browser, listen, type TestResponse, type TestServer } from '../helpers/http.js';
import { requireRedis, startPrivateRedis, type PrivateRedis } from '../helpers/redis.js';

const HAVE_REDIS = await requireRedis('redis outages');
const STORE_TIMEOUT = 1000;

describe.runIf(HAVE_REDIS)('redis outages (a private redis-server)', () => {
  let redis: PrivateRedis;
  let store: RedisSessionStore;
  let server: TestServer;
  const events: SessionEvent[] = [];
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    redis = await startPrivateRedis();
    store = redisStoreFromUrl(redis.url, { prefix: 'outage:' });
    const warden = createWarden({ store, insecureDevelopmentMode: true, storeTimeout: STORE_TIMEOUT, onEvent: (event) => events.push(event) });
    const app = express();
    app.use(createExpressMiddleware(warden));
    app.post('/login/:user', async (req, res) => {
      await req.sessionwarden.login(req.params.user);
      res.json({ ok: true });
    });
    app.get('/me', (req, res) => {
      res.status(req.sessionwarden.userId ? 200 : 401).json({ user: req.sessionwarden.userId, value: req.session.value ?? null });
    });
    app.post('/write/:value', (req, res) => {
      req.session.value = req.params.value;
      res.json({ wrote: req.params.value });
    });
    server = await listen(app);
  }, 30_000);

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await server?.close();
    await store?.close().catch(() => undefined);
    await redis?.destroy();
  });

  /** Poll until every browser is signed in again (node-redis reconnects by itself); how long that took. */
  async function recovered(browsers: Browser[]): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < 15_000) {
      const statuses = await Promise.all(browsers.map(async (browser) => (await browser.get('/me')).status));
      if (statuses.every((status) => status === 200)) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('the app did not recover within 15 s of the restart');
  }

  it('SEC-46 SEC-47 stopped mid-load: 503 + Retry-After, never anonymous, no unsaved write answered as saved; restarted: the same process recovers, sessions intact', async () => {
    const browsers = Array.from({ length: 8 }, () => new Browser(server.url, { accept: 'application/json' }));
    for (const [k, browser] of browsers.entries()) expect((await browser.post(`/login/user-${k}`)).status).toBe(200);
    const acknowledged = new Map<Browser, number>();
    const attempted = new Map<Browser, number>();
    const during: TestResponse[] = [];
    let stopped = false;
    let writes = 0;
    const load = browsers.map(async (browser) => {
      for (let n = 0; n < 10_000 && !(stopped && during.length > 200); n += 1) {
        attempted.set(browser, n);
        const response = n % 2 === 0 ? await browser.post(`/write/${n}`) : await browser.get('/me');
        if (stopped) during.push(response);
        else if (response.status !== 200) throw new Error(`before the outage: ${response.status} ${response.text}`);
        if (n % 2 === 0 && response.status === 200) {
          acknowledged.set(browser, n);
          writes += 1;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // SHUTDOWN SAVE: the dump holds every write Redis acknowledged, so the restart shows what a crash-safe server keeps.
    stopped = true;
    await redis.stop({ save: true });
    await Promise.all(load);
    const statuses = new Map<number, number>();
    for (const response of during) statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    console.log(`outage: ${writes} writes before the stop, then ${during.length} requests answered ${JSON.stringify(Object.fromEntries(statuses))}`);
    const answeredDuring = during.filter((response) => response.status !== 503);
    // Requests already past the store when it stopped may still complete; everything after is refused, never anonymous.
    expect(answeredDuring.every((response) => response.status === 200)).toBe(true);
    expect(answeredDuring.length).toBeLessThan(during.length / 4);
    expect(during.filter((response) => response.status === 503).every((response) => response.headers.get('retry-after') === '5')).toBe(true);
    expect(during.some((response) => response.status === 401)).toBe(false);
    // A transient failure keeps the cookie: no clearing Set-Cookie while the store is away.
    expect(during.some((response) => response.setCookies.some((cookie) => /max-age=0/i.test(cookie)))).toBe(false);

    // The restarted server has an empty script cache: the store's EVALSHA gets NOSCRIPT and loads each script again.
    await redis.restart();
    console.log(`outage: recovered ${await recovered(browsers)} ms after the restart`);
    for (const browser of browsers) {
      const { value } = (await browser.get('/me')).json<{ value: string | null }>();
      // The stored value is the last write answered 200, or a later one whose answer was lost with the connection.
      expect(Number(value)).toBeGreaterThanOrEqual(acknowledged.get(browser)!);
      expect(Number(value)).toBeLessThanOrEqual(attempted.get(browser)!);
    }
    expect(unhandled).toEqual([]);
  }, 60_000);

  it('SEC-46 hung (SIGSTOP): storeTimeout answers in time; after SIGCONT the late logins are ended as abandoned, nothing left live', async () => {
    const signedIn = new Browser(server.url, { accept: 'application/json' });
    expect((await signedIn.post('/login/before-hang')).status).toBe(200);
    redis.process.kill('SIGSTOP');
    let answers: { status: number; ms: number }[] = [];
    try {
      answers = await Promise.all(
        Array.from({ length: 6 }, async (_, k) => {
          const started = Date.now();
          const response = k === 0 ? await signedIn.get('/me') : await new Browser(server.url, { accept: 'application/json' }).post('/login/hung-user');
          return { status: response.status, ms: Date.now() - started };
        }),
      );
    } finally {
      redis.process.kill('SIGCONT');
    }
    console.log(`hang: answers ${answers.map((answer) => `${answer.status} in ${answer.ms} ms`).join(', ')}`);
    expect(answers.every((answer) => answer.status === 503)).toBe(true);
    expect(answers.every((answer) => answer.ms < STORE_TIMEOUT + 1500)).toBe(true);
    // The hung calls now complete; the core ends each late login as abandoned.
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && events.filter((event) => event.type === 'store-error').length === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await store.listByUser('hung-user', Date.now())).toEqual([]);
    const ended = await store.list({ userId: 'hung-user', status: 'all', limit: 10, now: Date.now() });
    console.log(`hang: ${ended.sessions.length} late logins stored, ended as ${ended.sessions.map((record) => record.endReason).join(', ')}`);
    expect(ended.sessions.every((record) => record.endReason === 'abandoned')).toBe(true);
    expect((await signedIn.get('/me')).status).toBe(200);
    expect(unhandled).toEqual([]);
  }, 60_000);
});
