// The Hono middleware's own surface: c.get('session') and c.get('sessionwarden') typed without a cast, the session's
// get/set/delete and lifecycle, immutable responses, the app's own cookies, and a second mount left alone.
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createWarden, type SessionContext, type Warden } from '../../src/index.js';
import { HonoSession, sessionwarden, type SessionwardenEnv } from '../../src/hono/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { Browser, listen, type TestServer } from '../helpers/http.js';

declare module '../../src/hono/index.js' {
  interface SessionData {
    visits: number;
    cart: string[];
  }
}

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(build: (app: Hono, warden: Warden) => void): Promise<{ browser: Browser; warden: Warden }> {
  const warden = createWarden({ store: memoryStore() });
  const app = new Hono();
  app.use(sessionwarden(warden));
  build(app, warden);
  server = await listen(getRequestListener(app.fetch));
  return { browser: new Browser(server.url, { accept: 'application/json' }), warden };
}

describe('c.get(\'session\')', () => {
  it('is typed, and get/set/delete are saved before the response leaves', async () => {
    const { browser, warden } = await start((app) => {
      app.post('/visit', (c) => {
        const session = c.get('session');
        expectTypeOf(session).toEqualTypeOf<HonoSession>();
        expectTypeOf(c.get('sessionwarden')).toEqualTypeOf<SessionContext>();
        expectTypeOf(session.get('visits')).toEqualTypeOf<number | undefined>();
        session.set('visits', (session.get('visits') ?? 0) + 1);
        session.set('cart', ['book']);
        if (session.get('visits') === 2) session.delete('cart');
        return c.json({ visits: session.get('visits'), id: session.sessionId });
      });
    });
    const first = (await browser.post('/visit')).json() as { visits: number; id: string };
    expect(first.visits).toBe(1);
    expect((await warden.store.get(first.id))!.data).toEqual({ visits: 1, cart: ['book'] });
    expect((await browser.post('/visit')).json()).toEqual({ visits: 2, id: first.id });
    expect((await warden.store.get(first.id))!.data).toEqual({ visits: 2 });
  });

  it('regenerate keeps the listed keys under a new id; destroy ends the session and clears the cookie', async () => {
    const { browser, warden } = await start((app) => {
      app.post('/fill', (c) => {
        c.get('session').set('cart', ['book']);
        c.get('session').set('visits', 5);
        return c.json({ id: c.get('session').sessionId });
      });
      app.post('/regenerate', async (c) => {
        await c.get('session').regenerate(['cart']);
        return c.json({ cart: c.get('session').get('cart'), visits: c.get('session').get('visits') ?? null, id: c.get('session').sessionId });
      });
      app.post('/destroy', async (c) => {
        await c.get('session').destroy();
        return c.redirect('/bye', 303);
      });
    });
    const { id } = (await browser.post('/fill')).json() as { id: string };
    const regenerated = (await browser.post('/regenerate')).json() as { cart: string[]; visits: null; id: string };
    expect(regenerated).toMatchObject({ cart: ['book'], visits: null });
    expect(regenerated.id).not.toBe(id);
    const destroyed = await browser.post('/destroy');
    expect(destroyed.status).toBe(303);
    expect(browser.session).toBeUndefined();
    expect((await warden.store.get(regenerated.id))!.endReason).toBe('logout');
  });

  it('apps typed with SessionwardenEnv get the same variables', () => {
    const app = new Hono<SessionwardenEnv>();
    app.get('/', (c) => {
      expectTypeOf(c.var.session).toEqualTypeOf<HonoSession>();
      return c.text('ok');
    });
    expect(app).toBeDefined();
  });
});

describe('the middleware in an app', () => {
  it('sets the cookie on an immutable response and keeps the app\'s own cookies', async () => {
    const { browser } = await start((app) => {
      app.post('/login', async (c) => {
        await c.get('sessionwarden').login('alice');
        // Response.redirect() has immutable headers.
        return Response.redirect('http://127.0.0.1/next', 303);
      });
      app.post('/theme', (c) => {
        c.header('set-cookie', 'theme=dark; Path=/', { append: true });
        c.get('session').set('visits', 1);
        return c.json({ ok: true });
      });
    });
    const login = await browser.post('/login');
    expect(login.status).toBe(303);
    expect(browser.session).toBeDefined();
    // A new visitor's first write: the session cookie goes out next to the app's.
    const theme = await new Browser(browser.baseUrl).post('/theme');
    expect(theme.setCookies.map((header) => header.split('=')[0])).toEqual(['theme', '__Host-sid']);
    expect(theme.headers.get('cache-control')).toBe('no-store');
  });

  it('mounted twice (sub-app and parent), the first one owns the session', async () => {
    const warden = createWarden({ store: memoryStore() });
    const app = new Hono();
    const sub = new Hono();
    app.use(sessionwarden(warden));
    sub.use(sessionwarden(warden));
    sub.post('/login', async (c) => {
      await c.get('sessionwarden').login('alice');
      return c.json({ ok: true });
    });
    app.route('/sub', sub);
    server = await listen(getRequestListener(app.fetch));
    const browser = new Browser(server.url);
    const response = await browser.post('/sub/login');
    expect(response.setCookies).toHaveLength(1);
  });
});

describe('honoRoutes', () => {
  it('reads a body the app already had Hono parse (and still refuses one too large)', async () => {
    const { pingRoutes } = await import('../../src/pages/index.js');
    const { honoRoutes } = await import('../../src/hono/index.js');
    const warden = createWarden({ store: memoryStore() });
    const app = new Hono();
    app.use(sessionwarden(warden));
    // An app middleware that reads every form first (a logger, say).
    app.use(async (c, next) => {
      if (c.req.method === 'POST') await c.req.parseBody();
      await next();
    });
    app.use(honoRoutes(pingRoutes(warden, { base: '/session' })));
    app.post('/login', async (c) => {
      await c.get('sessionwarden').login('alice');
      return c.json({ csrf: c.get('sessionwarden').csrfToken });
    });
    server = await listen(getRequestListener(app.fetch));
    const browser = new Browser(server.url, { accept: 'application/json' });
    const { csrf } = (await browser.post('/login')).json() as { csrf: string };
    // A form carries only text, and the ping takes idleFor as a JSON number: this one sends none.
    const ping = await browser.post('/session/ping', { _csrf: csrf });
    expect(ping.status).toBe(200);
    expect(ping.json()).toMatchObject({ idleRemaining: expect.any(Number) });
    const big = await browser.post('/session/ping', { _csrf: csrf, pad: 'x'.repeat(10_000) });
    expect(big.status).toBe(413);
  });
});
