// The Fastify plugin's own surface: @fastify/session's request.session API (callbacks and promises), typed decorations,
// no encapsulation, the app's own cookies kept, and misuse refused.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createWarden, SessionConfigError, type SessionContext, type Warden } from '../../src/index.js';
import { sessionwarden, type FastifySessionObject } from '../../src/fastify/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { fakeClock } from '../helpers/clock.js';
import { Browser } from '../helpers/http.js';

declare module 'fastify' {
  interface Session {
    visits?: number;
    cart?: string[];
    user?: { id: string };
  }
}

let running: FastifyInstance | null = null;
afterEach(async () => {
  await running?.close();
  running = null;
});

async function start(build: (app: FastifyInstance, warden: Warden) => void, options: Parameters<typeof createWarden>[0] = {}): Promise<{ browser: Browser; warden: Warden }> {
  const clock = fakeClock();
  const warden = createWarden({ store: memoryStore(), now: clock.now, ...options });
  const app = Fastify();
  await app.register(sessionwarden, { warden });
  // Registered in a child context: the plugin is not encapsulated, so the routes there see the session too.
  await app.register(async (child) => build(child, warden));
  await app.listen({ port: 0, host: '127.0.0.1' });
  running = app;
  const { port } = app.server.address() as import('node:net').AddressInfo;
  return { browser: new Browser(`http://127.0.0.1:${port}`, { accept: 'application/json' }), warden };
}

describe('request.session: @fastify/session\'s API', () => {
  it('get/set and properties are the same data, saved before the response; sessionId is the public id', async () => {
    const { browser, warden } = await start((app) => {
      app.post('/visit', async (request) => {
        expectTypeOf(request.session).toEqualTypeOf<FastifySessionObject>();
        expectTypeOf(request.sessionwarden).toEqualTypeOf<SessionContext>();
        request.session.set('visits', (request.session.get('visits') ?? 0) + 1);
        request.session.cart = ['book'];
        return { visits: request.session.visits, id: request.session.sessionId, modified: request.session.isModified() };
      });
    });
    const first = await browser.post('/visit');
    expect(first.json()).toMatchObject({ visits: 1, modified: true });
    const id = (first.json() as { id: string }).id;
    expect(browser.session?.startsWith(`${id}.`)).toBe(true);
    expect((await warden.store.get(id))!.data).toEqual({ visits: 1, cart: ['book'] });
    expect((await browser.post('/visit')).json()).toMatchObject({ visits: 2, id });
  });

  it('regenerate (promise, keeping listed keys) and destroy (callback) as in @fastify/session', async () => {
    const { browser, warden } = await start((app) => {
      app.post('/fill', async (request) => {
        request.session.cart = ['book'];
        request.session.visits = 3;
        return { id: request.session.sessionId };
      });
      app.post('/regenerate', async (request) => {
        await request.session.regenerate(['cart']);
        return { cart: request.session.cart ?? null, visits: request.session.visits ?? null, id: request.session.sessionId };
      });
      app.post('/destroy', (request, reply) => {
        request.session.destroy((error?: unknown) => {
          void reply.send({ error: error === undefined ? null : String(error), visits: request.session.visits ?? null });
        });
      });
    });
    const { id } = (await browser.post('/fill')).json() as { id: string };
    const regenerated = (await browser.post('/regenerate')).json() as { cart: string[]; visits: null; id: string };
    expect(regenerated).toMatchObject({ cart: ['book'], visits: null });
    expect(regenerated.id).not.toBe(id);
    expect((await warden.store.get(id))!.endReason).toBe('logout');
    expect((await warden.store.get(regenerated.id))!.data).toEqual({ cart: ['book'] });
    const destroyed = await browser.post('/destroy');
    expect(destroyed.json()).toEqual({ error: null, visits: null });
    expect(browser.session).toBeUndefined();
    expect((await warden.store.get(regenerated.id))!.endReason).toBe('logout');
  });

  it('save and reload with promises; isSaved; reload sees another request\'s write; touch restarts the cookie', async () => {
    const { browser, warden } = await start(
      (app) => {
        app.post('/save', async (request) => {
          request.session.visits = 7;
          const before = request.session.isSaved();
          await request.session.save();
          return { before, after: request.session.isSaved(), modified: request.session.isModified() };
        });
        app.post('/reload', async (request) => {
          await warden.store.update(request.sessionwarden.id!, { visits: 42 });
          await request.session.reload();
          return { visits: request.session.visits };
        });
        app.post('/touch', async (request) => {
          request.session.touch();
          return { maxAge: request.session.cookie.maxAge };
        });
      },
      { cookie: { maxAge: '1h' } },
    );
    expect((await browser.post('/save')).json()).toEqual({ before: false, after: true, modified: false });
    expect((await browser.post('/reload')).json()).toEqual({ visits: 42 });
    const touched = await browser.post('/touch');
    expect((touched.json() as { maxAge: number }).maxAge).toBe(3_600_000);
    expect(touched.setCookies.some((header) => header.includes('Max-Age=3600'))).toBe(true);
  });

  it('callbacks get the error of a failed operation (reload without a session)', async () => {
    const { browser } = await start((app) => {
      app.post('/reload', (request, reply) => {
        request.session.reload((error?: unknown) => void reply.send({ error: error instanceof Error ? error.name : null }));
      });
    });
    expect((await browser.post('/reload')).json()).toEqual({ error: 'SessionStateError' });
  });
});

describe('the plugin in an app', () => {
  it('keeps the app\'s own cookies and adds the session cookie once', async () => {
    const { browser } = await start((app) => {
      app.post('/login', async (request, reply) => {
        reply.header('set-cookie', 'theme=dark; Path=/');
        await request.sessionwarden.login('alice');
        return { ok: true };
      });
    });
    const response = await browser.post('/login');
    expect(response.setCookies.map((header) => header.split('=')[0])).toEqual(['theme', '__Host-sid']);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a missing warden and a second registration', async () => {
    const app = Fastify();
    await expect(app.register(sessionwarden, {} as never).ready()).rejects.toThrow(SessionConfigError);
    const twice = Fastify();
    const warden = createWarden({ store: memoryStore() });
    await twice.register(sessionwarden, { warden });
    await expect(twice.register(sessionwarden, { warden }).ready()).rejects.toThrow(/registered twice/);
  });
});

describe('switching from @fastify/session', () => {
  it('the README\'s app: regenerate then set the user signs that user in (userOf), destroy signs out', async () => {
    const { browser, warden } = await start(
      (app) => {
        app.post('/login', async (request) => {
          await request.session.regenerate();
          request.session.set('user', { id: 'alice' });
          return { ok: true };
        });
        app.get('/who', async (request) => ({ user: request.sessionwarden.userId, data: request.session.user ?? null }));
        app.post('/logout', async (request) => {
          await request.session.destroy();
          return { ok: true };
        });
      },
      { userOf: (data) => (data.user as { id?: string } | undefined)?.id },
    );
    await browser.post('/login');
    expect((await browser.get('/who')).json()).toEqual({ user: 'alice', data: { id: 'alice' } });
    expect(await warden.listUserSessions('alice')).toHaveLength(1);
    await browser.post('/logout');
    expect(browser.session).toBeUndefined();
    expect(await warden.listUserSessions('alice')).toEqual([]);
  });
});
