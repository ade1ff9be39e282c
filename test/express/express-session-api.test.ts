// The Express adapter speaks express-session's API (data as properties, save/regenerate/destroy/reload/touch, sessionID, cookie) on Express 4 and 5.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  createWarden,
  SessionDataError,
  SessionStoreError,
  type CreateSessionInput,
  type CreateSessionResult,
  type EndReason,
  type ListSessionsQuery,
  type SessionData,
  type SessionEvent,
  type SessionPage,
  type SessionRecord,
  type SessionStats,
  type SessionStore,
  type Warden,
  type WardenOptions,
} from '../../src/index.js';
import { createExpressMiddleware, requireUser, type ExpressSession } from '../../src/express/index.js';
import '../helpers/session-data.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { fakeClock, MINUTE, type FakeClock } from '../helpers/clock.js';
import { Browser, listen, parseSetCookie } from '../helpers/http.js';

// Express 4 ships no types of its own; its API is the one @types/express describes.
const express4 = createRequire(import.meta.url)('express4') as typeof express;

const dir = mkdtempSync(join(tmpdir(), 'sw-express-api-'));
let files = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type StoreKind = 'memory' | 'sqlite';

function makeStore(kind: StoreKind): SessionStore {
  return kind === 'memory' ? memoryStore() : sqliteStore({ path: join(dir, `sessions-${files++}.sqlite`) });
}

/** What makes a store misbehave: throw an error, or never answer. */
type Failure = 'throw' | 'hang';

/** A memory store that can be told to fail chosen methods (throw, or never answer) and to recover. */
class FailingStore implements SessionStore {
  private readonly inner = memoryStore();
  private readonly failures = new Map<string, Failure>();

  /** Make `method` fail from now on. */
  fail(method: keyof SessionStore, how: Failure = 'throw'): void {
    this.failures.set(method, how);
  }

  /** Make every method work again. */
  recover(): void {
    this.failures.clear();
  }

  private run<T>(method: keyof SessionStore, operation: () => Promise<T>): Promise<T> {
    const failure = this.failures.get(method);
    if (failure === 'throw') return Promise.reject(new Error(`FailingStore: ${method} is down`));
    if (failure === 'hang') return new Promise<T>(() => undefined);
    return operation();
  }

  get(id: string): Promise<SessionRecord | null> {
    return this.run('get', () => this.inner.get(id));
  }
  create(input: CreateSessionInput): Promise<CreateSessionResult> {
    return this.run('create', () => this.inner.create(input));
  }
  update(id: string, data: SessionData): Promise<boolean> {
    return this.run('update', () => this.inner.update(id, data));
  }
  touch(id: string, lastActiveAt: number): Promise<boolean> {
    return this.run('touch', () => this.inner.touch(id, lastActiveAt));
  }
  end(id: string, reason: EndReason, at: number): Promise<SessionRecord | null> {
    return this.run('end', () => this.inner.end(id, reason, at));
  }
  endByUser(userId: string, reason: EndReason, at: number, exceptId?: string | null): Promise<SessionRecord[]> {
    return this.run('endByUser', () => this.inner.endByUser(userId, reason, at, exceptId));
  }
  listByUser(userId: string, now: number): Promise<SessionRecord[]> {
    return this.run('listByUser', () => this.inner.listByUser(userId, now));
  }
  deleteExpired(before: number): Promise<number> {
    return this.run('deleteExpired', () => this.inner.deleteExpired(before));
  }
  list(query: ListSessionsQuery): Promise<SessionPage> {
    return this.run('list', () => this.inner.list!(query));
  }
  stats(now: number): Promise<SessionStats> {
    return this.run('stats', () => this.inner.stats!(now));
  }
}

/** A promise the test resolves by hand, to hold a handler at a chosen point without timers. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/** A running test app: real server, real store, fake clock. */
interface TestApp {
  url: string;
  warden: Warden;
  store: SessionStore;
  clock: FakeClock;
  events: SessionEvent[];
  browser(): Browser;
  /** The store's record of a cookie value's session. */
  recordOf(cookie: string | undefined): Promise<SessionRecord | null>;
  /** How many records the store holds, live or not. */
  countRecords(): Promise<number>;
}

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

const JSON_ACCEPT = { accept: 'application/json' };
const HTML_ACCEPT = { accept: 'text/html,application/xhtml+xml' };

const sessionOf = (req: Request): ExpressSession => req.session;
/** The session's data as it is stored (the cookie is kept only when its lifetime is not the configured one). */
const dataOf = (req: Request): Record<string, unknown> => (req.session === undefined ? {} : (JSON.parse(JSON.stringify(req.session)) as Record<string, unknown>));
const errorName = (error: unknown): string | null => (error === undefined || error === null ? null : (error as Error).name);

describe.each([4, 5] as const)('Express %i: the express-session API', (version) => {
  const factory = version === 4 ? express4 : express;

  /** Start an app with the adapter, a login route, a data dump route, and the test's own routes. */
  async function startApp(
    routes: (app: express.Express) => void,
    options: { store?: SessionStore | StoreKind; warden?: Partial<WardenOptions> } = {},
  ): Promise<TestApp> {
    const clock = fakeClock();
    const events: SessionEvent[] = [];
    const store = typeof options.store === 'object' ? options.store : makeStore(options.store ?? 'memory');
    const warden = createWarden({ store, now: clock.now, onEvent: (event) => events.push(event), ...options.warden });
    const app = factory();
    app.use(createExpressMiddleware(warden));
    app.use(factory.urlencoded({ extended: false }));
    app.post('/login', async (req: Request, res: Response) => {
      try {
        await req.sessionwarden.login(String((req.body as Record<string, unknown>).user ?? 'alice'));
        res.json({ id: req.sessionwarden.id });
      } catch (error) {
        res.status(500).json({ error: errorName(error) });
      }
    });
    app.get('/data', (req: Request, res: Response) => {
      res.json({ id: req.sessionwarden.id, userId: req.sessionwarden.userId, endReason: req.sessionwarden.endReason, data: dataOf(req) });
    });
    routes(app);
    const server = await listen(app);
    running.push(async () => {
      await server.close();
      await store.close?.();
    });
    return {
      url: server.url,
      warden,
      store,
      clock,
      events,
      browser: () => new Browser(server.url),
      recordOf: (cookie) => store.get((cookie ?? '').split('.')[0] ?? ''),
      countRecords: async () => (await store.list!({ status: 'all', limit: 1000, now: clock.now() })).sessions.length,
    };
  }

  describe('data as properties', () => {
    it.each(['memory', 'sqlite'] as const)('req.session.views counts up across requests (%s store)', async (kind) => {
      const app = await startApp((server) => {
        server.get('/views', (req: Request, res: Response) => {
          const session = sessionOf(req);
          session.views = ((session.views as number | undefined) ?? 0) + 1;
          res.json({ views: session.views });
        });
      }, { store: kind });
      const browser = app.browser();
      const seen: unknown[] = [];
      for (let i = 0; i < 4; i += 1) seen.push((await browser.get('/views')).json());
      expect(seen).toEqual([{ views: 1 }, { views: 2 }, { views: 3 }, { views: 4 }]);
      expect((await app.recordOf(browser.session))?.data).toEqual({ views: 4 });
    });

    it('the request right after a response sees what the handler wrote, every time', async () => {
      const app = await startApp((server) => {
        server.post('/theme', (req: Request, res: Response) => {
          sessionOf(req).theme = (req.body as Record<string, string>).theme;
          res.json({ ok: true });
        });
      }, { store: 'sqlite' });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      for (let i = 0; i < 25; i += 1) {
        await browser.post('/theme', { theme: `theme-${i}` });
        const { data } = (await browser.get('/data')).json<{ data: Record<string, unknown> }>();
        expect(data.theme).toBe(`theme-${i}`);
      }
    });

    it('a nested mutation (req.session.cart.push) of an existing array is saved and read back by the next request', async () => {
      const app = await startApp((server) => {
        server.post('/cart/new', (req: Request, res: Response) => {
          sessionOf(req).cart = [];
          res.json({ ok: true });
        });
        server.post('/cart/add', (req: Request, res: Response) => {
          (sessionOf(req).cart as string[]).push((req.body as Record<string, string>).item!);
          res.json({ ok: true });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      await browser.post('/cart/new');
      const carts: unknown[] = [];
      for (const item of ['book', 'pen', 'lamp']) {
        await browser.post('/cart/add', { item });
        carts.push((await browser.get('/data')).json<{ data: { cart: string[] } }>().data.cart);
      }
      expect(carts).toEqual([['book'], ['book', 'pen'], ['book', 'pen', 'lamp']]);
    });

    it('an anonymous request that writes data gets a cookie and a stored anonymous record', async () => {
      const app = await startApp((server) => {
        server.post('/cart/add', (req: Request, res: Response) => {
          sessionOf(req).cart = [(req.body as Record<string, string>).item];
          res.json({ id: sessionOf(req).id });
        });
      });
      const browser = app.browser();
      const response = await browser.post('/cart/add', { item: 'book' });
      expect(response.setCookies).toHaveLength(1);
      expect(browser.session).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
      const record = await app.recordOf(browser.session);
      expect(record).toMatchObject({ id: response.json<{ id: string }>().id, userId: null, data: { cart: ['book'] }, endedAt: null });
      expect(await app.countRecords()).toBe(1);
      expect(app.events.filter((event) => event.type === 'created')).toHaveLength(1);
    });

    it('the request right after an anonymous first write sees it', async () => {
      const app = await startApp((server) => {
        server.post('/cart/add', (req: Request, res: Response) => {
          sessionOf(req).cart = [(req.body as Record<string, string>).item];
          res.json({ ok: true });
        });
      });
      for (let i = 0; i < 10; i += 1) {
        const browser = app.browser();
        await browser.post('/cart/add', { item: `item-${i}` });
        expect((await browser.get('/data')).json()).toMatchObject({ userId: null, data: { cart: [`item-${i}`] } });
      }
    });

    // BUG: SessionContext.save() awaits the timeouts hook before registering the anonymous record's write in
    // warden.pendingWrites, so a request arriving while the hook still answers finds no record and clears the cookie.
    it('the response to an anonymous first write completes only once its record is stored (a slow timeouts hook included)', async () => {
      // Stands for a per-user timeout lookup (a database call) that answers only when the test says so.
      const lookup = gate();
      const asked = gate();
      const clock = fakeClock();
      const warden = createWarden({
        store: memoryStore(),
        now: clock.now,
        timeouts: async () => {
          asked.open();
          await lookup.promise;
          return { idleTimeout: '10m' };
        },
      });
      const app = factory();
      app.use(createExpressMiddleware(warden));
      app.post('/cart/add', (req: Request, res: Response) => {
        sessionOf(req).cart = ['book'];
        res.json({ ok: true });
      });
      app.get('/data', (req: Request, res: Response) => res.json({ data: dataOf(req) }));
      const server = await listen(app);
      running.push(server.close);
      const browser = new Browser(server.url);
      let answered = false;
      const posting = browser.post('/cart/add').then((response) => {
        answered = true;
        return response;
      });
      await asked.promise;
      // The save is under way and cannot finish: the response must not have reached the browser.
      await new Promise((resolve) => setImmediate(resolve));
      expect(answered).toBe(false);
      lookup.open();
      expect((await posting).status).toBe(200);
      const next = await browser.get('/data');
      expect(next.setCookies).toEqual([]);
      expect(next.json()).toEqual({ data: { cart: ['book'] } });
    });

    it('an anonymous request that writes nothing gets no cookie and no record, though req.sessionID already names it', async () => {
      const app = await startApp((server) => {
        server.get('/peek', (req: Request, res: Response) => {
          res.json({ views: sessionOf(req).views ?? null, id: sessionOf(req).id, sessionID: req.sessionID });
        });
      });
      const browser = app.browser();
      const peek = await browser.get('/peek');
      const dump = await browser.get('/data');
      const { id, sessionID } = peek.json<{ id: string; sessionID: string }>();
      expect(id).toMatch(/^[\w-]{22}$/);
      expect(sessionID).toBe(id);
      expect(peek.json()).toMatchObject({ views: null });
      expect(peek.setCookies).toEqual([]);
      expect(dump.setCookies).toEqual([]);
      expect(await app.countRecords()).toBe(0);
    });
  });

  describe('save()', () => {
    it('save(callback) stores the data before the handler responds, calls back without an error and returns the session', async () => {
      const app = await startApp((server) => {
        server.post('/save', (req: Request, res: Response) => {
          const session = sessionOf(req);
          session.step = 'saved';
          const returned = session.save((error?: unknown) => {
            app.store.get(session.id!).then(
              (record) => res.json({ error: errorName(error), returned: returned === session, stored: record?.data ?? null }),
              (readError: unknown) => res.status(500).json({ error: errorName(readError) }),
            );
          });
        });
      });
      const browser = app.browser();
      const response = await browser.post('/save');
      expect(response.json()).toEqual({ error: null, returned: true, stored: { step: 'saved' } });
      expect((await browser.get('/data')).json()).toMatchObject({ data: { step: 'saved' } });
    });

    it('await save() resolves once the data is stored', async () => {
      const app = await startApp((server) => {
        server.post('/save', async (req: Request, res: Response) => {
          const session = sessionOf(req);
          session.step = 'awaited';
          const returned = session.save();
          await returned;
          const record = await app.store.get(session.id!);
          res.json({ promise: returned instanceof Promise, stored: record?.data ?? null });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      expect((await browser.post('/save')).json()).toEqual({ promise: true, stored: { step: 'awaited' } });
    });

    it('save(callback) with data over dataMaxBytes calls back with a SessionDataError and leaves the store unchanged', async () => {
      const app = await startApp((server) => {
        server.post('/small', async (req: Request, res: Response) => {
          sessionOf(req).small = 1;
          await sessionOf(req).save();
          res.json({ ok: true });
        });
        server.post('/big', (req: Request, res: Response) => {
          const session = sessionOf(req);
          session.blob = 'x'.repeat(1000);
          session.save((error?: unknown) => {
            res.json({ error: errorName(error), isDataError: error instanceof SessionDataError });
          });
        });
      }, { warden: { dataMaxBytes: 256 } });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      await browser.post('/small');
      expect((await browser.post('/big')).json()).toEqual({ error: 'SessionDataError', isDataError: true });
      expect((await browser.get('/data')).json()).toMatchObject({ data: { small: 1 } });
      expect((await app.recordOf(browser.session))?.data).toEqual({ small: 1 });
    });

    it('save(callback) calls back with the SessionStoreError when the store cannot write', async () => {
      const store = new FailingStore();
      const app = await startApp((server) => {
        server.post('/save', (req: Request, res: Response) => {
          const session = sessionOf(req);
          session.step = 'lost';
          session.save((error?: unknown) => {
            res.json({ error: errorName(error), code: error instanceof SessionStoreError ? error.code : null });
          });
        });
      }, { store });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      store.fail('update');
      expect((await browser.post('/save')).json()).toEqual({ error: 'SessionStoreError', code: 'STORE_WRITE_FAILED' });
      store.recover();
      expect((await app.recordOf(browser.session))?.data).toEqual({});
    });
  });

  describe('regenerate(), destroy(), reload(), touch()', () => {
    it('regenerate(callback) gives a new id, drops the data, and the old cookie no longer has a session', async () => {
      const app = await startApp((server) => {
        server.post('/remember', (req: Request, res: Response) => {
          sessionOf(req).theme = 'dark';
          res.json({ ok: true });
        });
        server.post('/regenerate', (req: Request, res: Response) => {
          const session = sessionOf(req);
          const before = session.id;
          session.regenerate((error?: unknown) => {
            const dataAfter = dataOf(req);
            sessionOf(req).fresh = true;
            res.json({ error: errorName(error), before, after: sessionOf(req).id, userId: req.sessionwarden.userId, dataAfter });
          });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      await browser.post('/remember');
      const oldCookie = browser.session!;
      const reply = (await browser.post('/regenerate')).json<{ error: null; before: string; after: string | null; userId: string | null; dataAfter: object }>();
      expect(reply.error).toBeNull();
      expect(reply.after).toMatch(/^[\w-]{22}$/);
      expect(reply.after).not.toBe(reply.before);
      expect(reply.userId).toBeNull();
      expect(reply.dataAfter).toEqual({});
      expect(browser.session).not.toBe(oldCookie);
      expect((await browser.get('/data')).json()).toEqual({ id: reply.after, userId: null, endReason: null, data: { fresh: true } });

      const oldBrowser = app.browser();
      oldBrowser.cookies.set('__Host-sid', oldCookie);
      expect((await oldBrowser.get('/data')).json()).toMatchObject({ id: null, userId: null, data: {} });
      expect(await app.recordOf(oldCookie)).toMatchObject({ endReason: 'logout' });
    });

    it('destroy(callback) ends the session as a logout, leaves req.session undefined and clears the cookie with Max-Age=0', async () => {
      const app = await startApp((server) => {
        server.post('/destroy', (req: Request, res: Response) => {
          sessionOf(req).destroy((error?: unknown) => {
            res.json({ error: errorName(error), session: typeof req.session, id: req.sessionwarden.id, data: dataOf(req) });
          });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      const cookie = browser.session!;
      const response = await browser.post('/destroy');
      expect(response.json()).toEqual({ error: null, session: 'undefined', id: null, data: {} });
      expect(response.setCookies).toHaveLength(1);
      const cleared = parseSetCookie(response.setCookies[0]!);
      expect(cleared).toMatchObject({ name: '__Host-sid', value: '', attributes: { 'max-age': '0', path: '/' } });
      expect(browser.session).toBeUndefined();
      const record = await app.recordOf(cookie);
      expect(record).toMatchObject({ endReason: 'logout', endedAt: app.clock.now() });

      const replay = app.browser();
      replay.cookies.set('__Host-sid', cookie);
      expect((await replay.get('/data')).json()).toEqual({ id: null, userId: null, endReason: 'logout', data: {} });
    });

    it('reload() sees data another request saved while this one was running', async () => {
      const arrived = gate();
      const proceed = gate();
      const app = await startApp((server) => {
        server.get('/slow', async (req: Request, res: Response) => {
          const before = sessionOf(req).counter;
          arrived.open();
          await proceed.promise;
          await sessionOf(req).reload();
          res.json({ before, after: sessionOf(req).counter, id: sessionOf(req).id });
        });
        server.post('/counter', async (req: Request, res: Response) => {
          sessionOf(req).counter = Number((req.body as Record<string, string>).value);
          await sessionOf(req).save();
          res.json({ ok: true });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      await browser.post('/counter', { value: '1' });
      const slow = browser.get('/slow');
      await arrived.promise;
      await browser.post('/counter', { value: '2' });
      proceed.open();
      const reply = (await slow).json<{ before: number; after: number; id: string }>();
      expect(reply).toEqual({ before: 1, after: 2, id: browser.session!.split('.')[0] });
      expect((await app.recordOf(browser.session))?.data).toEqual({ counter: 2 });
    });

    it('reload(callback) of a session destroyed by another request calls back with an error and leaves this request without a session', async () => {
      const arrived = gate();
      const proceed = gate();
      const app = await startApp((server) => {
        server.get('/slow', async (req: Request, res: Response) => {
          arrived.open();
          await proceed.promise;
          sessionOf(req).reload((error?: unknown) => {
            res.json({ error: errorName(error), id: req.sessionwarden.id, userId: req.sessionwarden.userId, endReason: req.sessionwarden.endReason });
          });
        });
        server.post('/destroy', (req: Request, res: Response) => {
          sessionOf(req).destroy(() => res.json({ ok: true }));
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      const other = app.browser();
      other.cookies.set('__Host-sid', browser.session!);
      const slow = browser.get('/slow');
      await arrived.promise;
      await other.post('/destroy');
      proceed.open();
      const response = await slow;
      expect(response.json()).toEqual({ error: 'SessionStateError', id: null, userId: null, endReason: 'logout' });
      expect(browser.session).toBeUndefined();
    });

    it('touch() records activity now, even on a passive request that would not', async () => {
      const app = await startApp((server) => {
        server.get('/poll/look', (req: Request, res: Response) => {
          res.json({ id: sessionOf(req).id });
        });
        server.get('/poll/touch', (req: Request, res: Response) => {
          sessionOf(req).touch((error?: unknown) => res.json({ error: errorName(error) }));
        });
        server.get('/poll/touch-promise', async (req: Request, res: Response) => {
          await sessionOf(req).touch();
          res.json({ ok: true });
        });
      }, { warden: { passive: ['/poll/*'] } });
      const browser = app.browser();
      const t0 = app.clock.now();
      await browser.post('/login', { user: 'alice' });
      app.clock.advance(10 * MINUTE);
      await browser.get('/poll/look');
      expect((await app.recordOf(browser.session))?.lastActiveAt).toBe(t0);
      expect((await browser.get('/poll/touch')).json()).toEqual({ error: null });
      expect((await app.recordOf(browser.session))?.lastActiveAt).toBe(t0 + 10 * MINUTE);
      app.clock.advance(25 * MINUTE);
      await browser.get('/poll/touch-promise');
      expect((await app.recordOf(browser.session))?.lastActiveAt).toBe(t0 + 35 * MINUTE);
      // 35 minutes after login, past the 30-minute idle timeout counted from login: only the touches kept it alive.
      expect((await browser.get('/data')).json()).toMatchObject({ userId: 'alice' });
    });
  });

  describe('sessionID and cookie', () => {
    it('req.sessionID equals req.session.id: the public id, never the cookie secret', async () => {
      const app = await startApp((server) => {
        server.get('/ids', (req: Request, res: Response) => {
          res.json({ sessionID: req.sessionID, id: sessionOf(req).id });
        });
      });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      const [publicId, secret] = browser.session!.split('.');
      const response = await browser.get('/ids');
      expect(response.json()).toEqual({ sessionID: publicId, id: publicId });
      expect(response.text).not.toContain(secret!);
    });

    it('req.session.cookie is httpOnly, secure, path "/", sameSite "lax" and has maxAge null by default, like the Set-Cookie sent', async () => {
      const app = await startApp((server) => {
        server.post('/cookie', (req: Request, res: Response) => {
          sessionOf(req).seen = true;
          const { path, httpOnly, secure, sameSite, domain, maxAge, originalMaxAge, expires } = sessionOf(req).cookie;
          res.json({ path, httpOnly, secure, sameSite, domain: domain ?? 'none', maxAge, originalMaxAge, expires });
        });
      });
      const browser = app.browser();
      const response = await browser.post('/cookie');
      expect(response.json()).toEqual({ path: '/', httpOnly: true, secure: true, sameSite: 'lax', domain: 'none', maxAge: null, originalMaxAge: null, expires: null });
      const sent = parseSetCookie(response.setCookies[0]!);
      expect(sent.attributes).toEqual({ path: '/', httponly: true, samesite: 'Lax', secure: true });
    });
  });

  describe('login() and names', () => {
    it('login() rotates the cookie and keeps the anonymous data', async () => {
      const app = await startApp((server) => {
        server.post('/cart/add', (req: Request, res: Response) => {
          sessionOf(req).cart = [(req.body as Record<string, string>).item];
          res.json({ ok: true });
        });
      });
      const browser = app.browser();
      await browser.post('/cart/add', { item: 'book' });
      const anonymous = browser.session!;
      const login = await browser.post('/login', { user: 'alice' });
      expect(login.status).toBe(200);
      expect(browser.session).toBeDefined();
      expect(browser.session).not.toBe(anonymous);
      expect(login.json()).toEqual({ id: browser.session!.split('.')[0] });
      expect((await browser.get('/data')).json()).toMatchObject({ userId: 'alice', data: { cart: ['book'] } });

      const fixated = app.browser();
      fixated.cookies.set('__Host-sid', anonymous);
      expect((await fixated.get('/data')).json()).toMatchObject({ id: null, userId: null, data: {} });
    });

    it('nothing but the methods is reserved: userId, login, record, csrfToken are data like any other key', async () => {
      const app = await startApp((server) => {
        server.post('/names', (req: Request, res: Response) => {
          Object.assign(sessionOf(req), { userId: 42, login: 1, logout: 'x', record: [1], endReason: null, csrfToken: 't', isFresh: true });
          res.json({ keys: Object.keys(sessionOf(req)).sort() });
        });
      });
      const browser = app.browser();
      const response = await browser.post('/names');
      expect(response.json()).toEqual({ keys: ['cookie', 'csrfToken', 'endReason', 'isFresh', 'login', 'logout', 'record', 'userId'] });
      expect((await browser.get('/data')).json()).toMatchObject({ userId: null, data: { userId: 42, login: 1, logout: 'x', record: [1], endReason: null, csrfToken: 't', isFresh: true } });
    });
  });

  describe('store failures fail closed', () => {
    it('a store that throws on get gives 503 with Retry-After and JSON, keeps the cookie, and never runs the handler', async () => {
      const store = new FailingStore();
      let handled = 0;
      const app = await startApp((server) => {
        server.get('/me', (req: Request, res: Response) => {
          handled += 1;
          res.json({ userId: req.sessionwarden.userId });
        });
      }, { store });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      const cookie = browser.session;
      store.fail('get');

      const json = await browser.get('/me', JSON_ACCEPT);
      expect(json.status).toBe(503);
      expect(Number(json.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(json.headers.get('content-type')).toMatch(/^application\/json/);
      expect(json.json()).toEqual({ error: 'session_store_unavailable' });
      expect(json.setCookies).toEqual([]);

      const page = await browser.get('/me', HTML_ACCEPT);
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).not.toBeNull();
      expect(page.setCookies).toEqual([]);

      expect(handled).toBe(0);
      expect(browser.session).toBe(cookie);
      expect(app.events.some((event) => event.type === 'store-error')).toBe(true);

      store.recover();
      expect((await browser.get('/me', JSON_ACCEPT)).json()).toEqual({ userId: 'alice' });
      expect(handled).toBe(1);
    });

    it('a store whose get never answers gives 503 once storeTimeout passes', async () => {
      const store = new FailingStore();
      let handled = 0;
      const app = await startApp((server) => {
        server.get('/me', (_req: Request, res: Response) => {
          handled += 1;
          res.json({ ok: true });
        });
      }, { store, warden: { storeTimeout: 200 } });
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      store.fail('get', 'hang');
      // The one place real time passes: the timeout is a real timer by design.
      const started = performance.now();
      const response = await browser.get('/me', JSON_ACCEPT);
      const elapsed = performance.now() - started;
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).not.toBeNull();
      expect(response.setCookies).toEqual([]);
      expect(elapsed).toBeGreaterThanOrEqual(150);
      expect(elapsed).toBeLessThan(5000);
      expect(handled).toBe(0);
      expect(app.events.find((event) => event.type === 'store-error')?.reason).toBe('STORE_TIMEOUT');
    });
  });

  describe('requireUser', () => {
    async function startGuarded(): Promise<TestApp & { handled: () => number }> {
      let handled = 0;
      const app = await startApp((server) => {
        server.get('/account', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
          handled += 1;
          res.json({ userId: req.sessionwarden.userId });
        });
      });
      return { ...app, handled: () => handled };
    }

    it('lets a signed-in user through', async () => {
      const app = await startGuarded();
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      const response = await browser.get('/account', JSON_ACCEPT);
      expect(response.status).toBe(200);
      expect(response.json()).toEqual({ userId: 'alice' });
    });

    it('answers 401 {"error":"unauthenticated"} to a JSON request without a cookie', async () => {
      const app = await startGuarded();
      const response = await app.browser().get('/account', JSON_ACCEPT);
      expect(response.status).toBe(401);
      expect(response.json()).toEqual({ error: 'unauthenticated' });
      expect(app.handled()).toBe(0);
    });

    it('answers 401 {"error":"session_ended","reason":"idle"} after the idle timeout', async () => {
      const app = await startGuarded();
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      app.clock.advance(30 * MINUTE + 1);
      const response = await browser.get('/account', JSON_ACCEPT);
      expect(response.status).toBe(401);
      expect(response.text).toBe('{"error":"session_ended","reason":"idle"}');
      expect(parseSetCookie(response.setCookies[0]!).attributes['max-age']).toBe('0');
      expect(app.handled()).toBe(0);
    });

    it('redirects an HTML navigation after the idle timeout with 303 to /login?reason=idle', async () => {
      const app = await startGuarded();
      const browser = app.browser();
      await browser.post('/login', { user: 'alice' });
      app.clock.advance(31 * MINUTE);
      const response = await browser.get('/account', HTML_ACCEPT);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/login?reason=idle');
      expect(app.handled()).toBe(0);
    });
  });

  describe('streaming', () => {
    it('never buffers or delays the body: a streamed response arrives chunk by chunk and its session writes are saved', async () => {
      const proceed = gate();
      const app = await startApp((server) => {
        server.get('/stream', async (req: Request, res: Response) => {
          sessionOf(req).progress = 'started';
          res.type('text/plain');
          res.write('first chunk\n');
          await proceed.promise;
          sessionOf(req).progress = 'finished';
          res.write('second chunk\n');
          res.end('last chunk\n');
        });
      });
      const response = await fetch(`${app.url}/stream`);
      // Headers and the first chunk arrive while the handler is still waiting: nothing holds the body back.
      expect(response.status).toBe(200);
      const cookies = response.headers.getSetCookie();
      expect(cookies).toHaveLength(1);
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      const first = await reader.read();
      expect(decoder.decode(first.value)).toBe('first chunk\n');
      proceed.open();
      let rest = '';
      for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value, { stream: true });
      expect(rest).toBe('second chunk\nlast chunk\n');

      const browser = app.browser();
      const cookie = parseSetCookie(cookies[0]!);
      browser.cookies.set(cookie.name, cookie.value);
      expect((await browser.get('/data')).json()).toMatchObject({ userId: null, data: { progress: 'finished' } });
    });
  });
});
