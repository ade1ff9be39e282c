// express-session's own test suite (its test/session.js), ported case by case to sessionwarden/express-session, on Express 4 and 5.
// The cases that cannot apply are listed in the README ("What cannot apply"), each with its reason.
import { createRequire } from 'node:module';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import session, { MemoryStore, type SessionOptions } from '../../src/express-session/index.js';
import type { SessionRecord, SessionStore } from '../../src/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { fakeClock, MINUTE } from '../helpers/clock.js';
import { listen, parseSetCookie, type ParsedSetCookie } from '../helpers/http.js';
import '../helpers/session-data.js';

const express4 = createRequire(import.meta.url)('express4') as typeof express;
const SECRET = 'keyboard cat';

type Handler = (req: Request, res: Response, next: NextFunction) => void;

/** A store that counts its writes (express-session's shouldSetSessionInStore). */
class CountingStore {
  readonly inner = memoryStore();
  writes = 0;
  readonly store: SessionStore = new Proxy(this.inner, {
    get: (target, key, receiver) => {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== 'function') return value;
      if (key === 'create' || key === 'update') {
        return (...args: unknown[]) => {
          this.writes += 1;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });

  async count(): Promise<number> {
    return (await this.inner.list!({ status: 'active', limit: 1000, now: Date.now() })).sessions.length;
  }
}

interface Answer {
  status: number;
  text: string;
  cookie: ParsedSetCookie | null;
  /** `connect.sid=<value>` to send back, from this answer's Set-Cookie. */
  sent: string | null;
  headers: Headers;
}

const servers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

describe.each([4, 5] as const)('express-session test/session.js on Express %i', (version) => {
  const factory = version === 4 ? express4 : express;

  /** express-session's createServer(): options (with its default cookie of one minute), a setup, a responder. */
  async function createServer(options: SessionOptions | null, respond: Handler = (_req, res) => void res.end(), setup?: Handler) {
    const app = factory();
    if (setup) app.use(setup);
    const middleware = session({ secret: SECRET, store: memoryStore(), cookie: { maxAge: 60_000 }, ...options });
    app.use(middleware);
    app.use(respond);
    // express-session's test server answers errors as status + message.
    app.use((error: Error & { status?: number }, _req: Request, res: Response, _next: NextFunction) => {
      res.status(error.status ?? 500).end(error.message);
    });
    const server = await listen(app);
    servers.push(server.close);
    const request = async (path = '/', headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> => {
      const response = await fetch(`${server.url}${path}`, { method, headers, redirect: 'manual' });
      const raw = response.headers.getSetCookie().find((value) => value.startsWith('connect.sid=') || value.startsWith('session_id=') || value.startsWith('sessid='));
      const cookie = raw === undefined ? null : parseSetCookie(raw);
      return { status: response.status, text: await response.text(), cookie, sent: cookie === null ? null : `${cookie.name}=${cookie.value}`, headers: response.headers };
    };
    return { request, warden: middleware.warden };
  }

  const count: Handler = (req, res) => {
    req.session.count = ((req.session.count as number | undefined) ?? 0) + 1;
    res.end(`hits: ${String(req.session.count)}`);
  };

  describe('session()', () => {
    it('should export constructors (Session, Cookie, MemoryStore)', async () => {
      const module = await import('../../src/express-session/index.js');
      expect(typeof module.Session).toBe('function');
      expect(typeof module.Cookie).toBe('function');
      expect(typeof module.MemoryStore).toBe('function');
    });

    it('should do nothing if req.session exists', async () => {
      const { request } = await createServer(null, undefined, (req, _res, next) => {
        (req as unknown as { session: object }).session = {};
        next();
      });
      const answer = await request();
      expect(answer.status).toBe(200);
      expect(answer.cookie).toBeNull();
    });

    it('should create a new session', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store }, (req, res) => {
        req.session.active = true;
        res.end('session active');
      });
      const answer = await request();
      expect(answer.text).toBe('session active');
      expect(answer.cookie?.name).toBe('connect.sid');
      expect(await counting.count()).toBe(1);
    });

    it('should load session from cookie sid', async () => {
      let counter = 0;
      const { request } = await createServer(null, (req, res) => {
        req.session.num = (req.session.num as number | undefined) ?? (counter += 1);
        res.end(`session ${String(req.session.num)}`);
      });
      const first = await request();
      expect(first.text).toBe('session 1');
      expect((await request('/', { cookie: first.sent! })).text).toBe('session 1');
    });

    it('should pass session fetch error (as 503: a store failure fails closed)', async () => {
      const store = memoryStore();
      const { request } = await createServer({ store }, count);
      const first = await request();
      store.get = () => Promise.reject(new Error('boom!'));
      const failed = await request('/', { cookie: first.sent! });
      expect(failed.status).toBe(503);
      expect(failed.headers.get('retry-after')).not.toBeNull();
    });

    it('should create multiple sessions', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store }, (req, res) => {
        const isNew = req.session.num === undefined;
        req.session.num = 1;
        res.end(`session ${isNew ? 'created' : 'updated'}`);
      });
      const answers = await Promise.all([request(), request()]);
      expect(answers.map((answer) => answer.text)).toEqual(['session created', 'session created']);
      expect(await counting.count()).toBe(2);
    });

    it('should handle empty req.url', async () => {
      const app = factory();
      const middleware = session({ secret: SECRET, store: memoryStore() });
      app.use((req, res, next) => {
        const url = req.url;
        req.url = '';
        void middleware(req, res, (error?: unknown) => {
          req.url = url;
          next(error);
        });
      });
      app.use(count);
      const server = await listen(app);
      servers.push(server.close);
      const response = await fetch(server.url);
      expect(response.status).toBe(200);
      expect(response.headers.getSetCookie()[0]).toMatch(/^connect\.sid=/);
    });

    it('should handle multiple res.end calls', async () => {
      const { request } = await createServer(null, (_req, res) => {
        res.setHeader('Content-Type', 'text/plain');
        res.end('Hello, world!');
        res.end();
      });
      const answer = await request();
      expect(answer.text).toBe('Hello, world!');
      expect(answer.headers.get('content-type')).toBe('text/plain');
    });

    it('should handle res.end(null) calls', async () => {
      const { request } = await createServer(null, (_req, res) => void res.end(null));
      expect(await request()).toMatchObject({ status: 200, text: '' });
    });

    it('should handle reserved properties in storage', async () => {
      const store = memoryStore();
      const { request } = await createServer({ store }, (req, res) => {
        req.session.num = (req.session.num as number | undefined) ?? 1;
        res.end(`session saved ${typeof req.session.save}`);
      });
      const first = await request();
      const id = (await store.list!({ status: 'all', limit: 1, now: Date.now() })).sessions[0]!.id;
      await store.update(id, { num: 1, save: 'nope' });
      expect((await request('/', { cookie: first.sent! })).text).toBe('session saved function');
    });

    it('should only have session data enumerable (and cookie)', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.test1 = 1;
        req.session.test2 = 'b';
        res.end(Object.keys(req.session).sort().join(','));
      });
      expect((await request()).text).toBe('cookie,test1,test2');
    });

    it('should keep the session cookie when the app sets its own cookies later (the cookie is added as headers are written)', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.hit = true;
        res.setHeader('Set-Cookie', 'previous=cookieValue');
        res.end();
      });
      const answer = await request();
      expect(answer.headers.getSetCookie().map((value) => value.split('=')[0])).toEqual(['previous', 'connect.sid']);
    });
  });

  describe('when response ended', () => {
    it.each([
      ['a body', (res: Response) => res.end('session saved')],
      ['an empty response', (res: Response) => void res.setHeader('Content-Length', '0').end()],
      ['multi-write', (res: Response) => void (res.setHeader('Content-Length', '12'), res.write('hello, '), res.end('world'))],
      ['a non-chunked response', (res: Response) => void res.setHeader('Content-Length', '13').end('session saved')],
    ])('should have saved session, with %s', async (_name, finish) => {
      const store = memoryStore();
      const { request } = await createServer({ store }, (req, res) => {
        req.session.hit = true;
        finish(res);
      });
      const answer = await request();
      expect(answer.status).toBe(200);
      // Saved before the response completed: the store has it as soon as the client has the answer.
      const stored = (await store.list!({ status: 'all', limit: 1, now: Date.now() })).sessions;
      expect(stored.map((record) => record.data)).toEqual([{ hit: true }]);
    });
  });

  describe('when sid not in store', () => {
    it('should create a new session, with a new sid', async () => {
      const store = memoryStore();
      let counter = 0;
      const { request } = await createServer({ store }, (req, res) => {
        req.session.num = (req.session.num as number | undefined) ?? (counter += 1);
        res.end(`session ${String(req.session.num)}`);
      });
      const first = await request();
      const id = (await store.list!({ status: 'all', limit: 1, now: Date.now() })).sessions[0]!.id;
      await store.deleteExpired(Number.MAX_SAFE_INTEGER);
      await store.end(id, 'revoked', Date.now());
      const second = await request('/', { cookie: first.sent! });
      expect(second.text).toBe('session 2');
      expect(second.cookie?.value).not.toBe(first.cookie?.value);
    });
  });

  describe('when sid not properly signed (a tampered token)', () => {
    it('should generate new session, without trusting the value', async () => {
      const { request } = await createServer({ name: 'sessid' }, (req, res) => {
        const isNew = req.session.active === undefined;
        req.session.active = true;
        res.end(`session ${isNew ? 'created' : 'read'}`);
      });
      const first = await request();
      expect(first.cookie?.name).toBe('sessid');
      const tampered = first.sent!.replace(/.\.(.)/, 'x.$1').replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
      const second = await request('/', { cookie: tampered });
      expect(second.text).toBe('session created');
      expect(second.cookie?.value).not.toBe(first.cookie?.value);
    });
  });

  describe('when session expired in store (here: the server-side idle timeout)', () => {
    it('should create a new session with a new sid', async () => {
      const clock = fakeClock();
      let counter = 0;
      const { request } = await createServer({ now: clock.now, idleTimeout: '5m' }, (req, res) => {
        req.session.num = (req.session.num as number | undefined) ?? (counter += 1);
        res.end(`session ${String(req.session.num)}`);
      });
      const first = await request();
      clock.advance(5 * MINUTE + 1);
      const second = await request('/', { cookie: first.sent! });
      expect(second.text).toBe('session 2');
      expect(second.cookie?.value).not.toBe(first.cookie?.value);
    });
  });

  describe('proxy and secure: "auto" (SEC-08: Secure never depends on scheme detection)', () => {
    it.each([true, false, undefined])('sets Secure whatever X-Forwarded-Proto says, with proxy %s', async (proxy) => {
      const { request } = await createServer({ proxy, cookie: { maxAge: 5000, secure: 'auto' } }, count);
      for (const proto of ['https', 'http', undefined]) {
        const answer = await request('/', proto === undefined ? {} : { 'x-forwarded-proto': proto });
        expect(answer.cookie?.attributes.secure).toBe(true);
      }
    });
  });

  describe('genid, key and name options', () => {
    it('genid is refused (sessionwarden issues every id), saying what to do', () => {
      expect(() => session({ genid: (() => 'apple') as never })).toThrow(/genid cannot apply.*remove genid/);
    });

    it('name should default to "connect.sid" and set the cookie name; key is its old spelling', async () => {
      expect((await (await createServer(null, count)).request()).cookie?.name).toBe('connect.sid');
      expect((await (await createServer({ name: 'session_id' }, count)).request()).cookie?.name).toBe('session_id');
      expect((await (await createServer({ key: 'session_id' }, count)).request()).cookie?.name).toBe('session_id');
    });
  });

  describe('rolling option', () => {
    it('should default to false', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.user = 'bob';
        res.end();
      });
      const first = await request();
      expect(first.cookie).not.toBeNull();
      expect((await request('/', { cookie: first.sent! })).cookie).toBeNull();
    });

    it('should force cookie on unmodified session', async () => {
      const { request } = await createServer({ rolling: true }, (req, res) => {
        req.session.user = 'bob';
        res.end();
      });
      const first = await request();
      const second = await request('/', { cookie: first.sent! });
      expect(second.cookie?.value).toBe(first.cookie?.value);
      expect(second.cookie?.attributes['max-age']).toBe('60');
    });

    it('should not force cookie on uninitialized session if saveUninitialized option is set to false', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, rolling: true, saveUninitialized: false });
      expect((await request()).cookie).toBeNull();
      expect(counting.writes).toBe(0);
    });

    it('should force cookie and save uninitialized session if saveUninitialized option is set to true', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, rolling: true, saveUninitialized: true });
      expect((await request()).cookie?.name).toBe('connect.sid');
      expect(counting.writes).toBe(1);
    });

    it('should force cookie and save modified session even if saveUninitialized option is set to false', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, rolling: true, saveUninitialized: false }, (req, res) => {
        req.session.user = 'bob';
        res.end();
      });
      expect((await request()).cookie?.name).toBe('connect.sid');
      expect(counting.writes).toBe(1);
    });
  });

  describe('resave option', () => {
    it('when false, should prevent save on unmodified session and still save modified session', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, resave: false }, (req, res) => {
        if (req.method === 'PUT') req.session.token = req.url.slice(1);
        res.end(`token=${String(req.session.token ?? '')}`);
      });
      const first = await request('/w6RHhwaA', {}, 'PUT');
      expect(first.text).toBe('token=w6RHhwaA');
      expect(counting.writes).toBe(1);
      expect((await request('/', { cookie: first.sent! })).text).toBe('token=w6RHhwaA');
      expect(counting.writes).toBe(1);
      expect((await request('/zfQ3rzM3', { cookie: first.sent! }, 'PUT')).text).toBe('token=zfQ3rzM3');
      expect(counting.writes).toBe(2);
    });

    it('should detect a "cookie" property as modified', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, resave: false }, (req, res) => {
        const user = (req.session.user ??= { name: 'bob', cookie: 0 }) as { cookie: number };
        user.cookie += 1;
        res.end();
      });
      const first = await request();
      await request('/', { cookie: first.sent! });
      expect(counting.writes).toBe(2);
    });
  });

  describe('saveUninitialized option', () => {
    it('should default to false here (express-session defaults to true): no record, no cookie for an empty session', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store });
      expect((await request()).cookie).toBeNull();
      expect(counting.writes).toBe(0);
    });

    it('should force save of uninitialized session', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, saveUninitialized: true });
      expect((await request()).cookie?.name).toBe('connect.sid');
      expect(counting.writes).toBe(1);
    });

    it('should still save modified session', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, saveUninitialized: false }, count);
      expect((await request()).cookie?.name).toBe('connect.sid');
      expect(counting.writes).toBe(1);
    });

    it('should pass session save error (to Express: 503 with Retry-After, never a silent 200)', async () => {
      const store = memoryStore();
      store.create = () => Promise.reject(new Error('boom!'));
      const { request } = await createServer({ store, saveUninitialized: true }, (_req, res) => void res.end('session saved'));
      const answer = await request();
      expect(answer.status).toBe(503);
      expect(answer.cookie).toBeNull();
    });
  });

  describe('secret option', () => {
    it('should reject empty arrays', () => {
      expect(() => session({ secret: [] })).toThrow(/secret/);
    });
  });

  describe('unset option', () => {
    it('should reject unknown values', () => {
      expect(() => session({ unset: 'bogus!' as 'keep' })).toThrow(/unset.*must/);
    });

    it('should default to keep', async () => {
      const store = memoryStore();
      const { request } = await createServer({ store }, (req, res) => {
        req.session.count = ((req.session.count as number | undefined) ?? 0) + 1;
        if (req.session.count === 2) (req as unknown as { session: null }).session = null;
        res.end();
      });
      const first = await request();
      await request('/', { cookie: first.sent! });
      const stored = (await store.list!({ status: 'active', limit: 10, now: Date.now() })).sessions;
      expect(stored.map((record) => record.data)).toEqual([{ count: 1 }]);
    });

    it('should allow destroy on req.session = null', async () => {
      const store = memoryStore();
      const { request } = await createServer({ store, unset: 'destroy' }, (req, res) => {
        req.session.count = ((req.session.count as number | undefined) ?? 0) + 1;
        if (req.session.count === 2) (req as unknown as { session: null }).session = null;
        res.end();
      });
      const first = await request();
      const second = await request('/', { cookie: first.sent! });
      expect((await store.list!({ status: 'active', limit: 10, now: Date.now() })).sessions).toEqual([]);
      expect(second.cookie).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
    });

    it('should not set cookie if initial session destroyed', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store, unset: 'destroy' }, (req, res) => {
        (req as unknown as { session: null }).session = null;
        res.end();
      });
      expect((await request()).cookie).toBeNull();
      expect(counting.writes).toBe(0);
    });
  });

  describe('res.end patch', () => {
    const writePatch = (res: Response) => {
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      let body = '';
      res.write = ((chunk: string) => {
        body += chunk;
        return true;
      }) as Response['write'];
      res.end = ((chunk?: string) => {
        write(body + (chunk ?? ''));
        return end();
      }) as Response['end'];
    };

    it('should correctly handle res.end/res.write patched prior', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.hit = true;
        res.write('hello, ');
        res.end('world');
      }, (_req, res, next) => {
        writePatch(res);
        next();
      });
      expect(await request()).toMatchObject({ status: 200, text: 'hello, world' });
    });

    it('should correctly handle res.end/res.write patched after', async () => {
      const { request } = await createServer(null, (req, res) => {
        writePatch(res);
        req.session.hit = true;
        res.write('hello, ');
        res.end('world');
      });
      expect(await request()).toMatchObject({ status: 200, text: 'hello, world' });
    });
  });

  describe('req.session', () => {
    it('should persist', async () => {
      const { request } = await createServer(null, count);
      const first = await request();
      expect(first.text).toBe('hits: 1');
      expect((await request('/', { cookie: first.sent! })).text).toBe('hits: 2');
    });

    it('should only set-cookie when modified (a persistent cookie follows its data)', async () => {
      let modify = true;
      const { request } = await createServer(null, (req, res) => {
        if (modify) req.session.count = ((req.session.count as number | undefined) ?? 0) + 1;
        res.end(String(req.session.count));
      });
      const first = await request();
      const cookie = first.sent!;
      expect((await request('/', { cookie })).cookie).not.toBeNull();
      modify = false;
      expect(await request('/', { cookie })).toMatchObject({ text: '2', cookie: null });
      modify = true;
      expect(await request('/', { cookie })).toMatchObject({ text: '3', cookie: expect.objectContaining({ name: 'connect.sid' }) });
    });

    it('should not have enumerable methods', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.foo = 'foo';
        req.session.bar = 'bar';
        const keys: string[] = [];
        for (const key in req.session) keys.push(key);
        res.end(keys.sort().join(','));
      });
      expect((await request()).text).toBe('bar,cookie,foo');
    });

    it('.destroy() should destroy the previous session', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.destroy((error?: unknown) => {
          if (error) res.statusCode = 500;
          res.end(String(req.session));
        });
      });
      expect(await request()).toMatchObject({ status: 200, text: 'undefined', cookie: null });
    });

    it('.regenerate() should destroy/replace the previous session', async () => {
      const { request } = await createServer(null, (req, res) => {
        const id = req.session.id;
        req.session.regenerate((error?: unknown) => {
          if (error) res.statusCode = 500;
          req.session.fresh = true;
          res.end(String(req.session.id === id));
        });
      });
      const first = await request();
      const second = await request('/', { cookie: first.sent! });
      expect(second.text).toBe('false');
      expect(second.cookie?.value).not.toBe(first.cookie?.value);
    });

    it('.reload() should reload session from store', async () => {
      let val = '';
      let request: (path?: string, headers?: Record<string, string>) => Promise<Answer>;
      ({ request } = await createServer(null, (req, res) => {
        if (req.url === '/') {
          req.session.active = true;
          res.end('session created');
          return;
        }
        req.session.url = req.url;
        if (req.url === '/bar') {
          res.end(`saw ${String(req.session.url)}`);
          return;
        }
        void request('/bar', { cookie: val }).then((inner) => {
          expect(inner.text).toBe('saw /bar');
          req.session.reload((error?: unknown) => res.end(error ? String(error) : `saw ${String(req.session.url)}`));
        });
      }));
      val = (await request()).sent!;
      expect((await request('/foo', { cookie: val })).text).toBe('saw /bar');
    });

    it('.reload() should error if session missing', async () => {
      const store = memoryStore();
      const { request } = await createServer({ store }, (req, res) => {
        if (req.url === '/') {
          req.session.active = true;
          res.end('session created');
          return;
        }
        void store.endByUser('nobody', 'revoked', Date.now()).then(async () => {
          const id = req.sessionwarden.id!;
          await store.end(id, 'revoked', Date.now());
          req.session.reload((error?: unknown) => {
            res.statusCode = error ? 500 : 200;
            res.end(error ? 'failed to load session' : '');
          });
        });
      });
      const first = await request();
      expect(await request('/foo', { cookie: first.sent! })).toMatchObject({ status: 500, text: 'failed to load session' });
    });

    it('.save() should save session to store, and prevent the end-of-request save', async () => {
      const counting = new CountingStore();
      const { request } = await createServer({ store: counting.store }, (req, res) => {
        req.session.hit = true;
        req.session.save((error?: unknown) => {
          if (error) return void res.end(String(error));
          void counting.store.get(req.sessionID).then((record) => res.end(record === null ? 'empty' : 'stored'));
        });
      });
      const first = await request();
      expect(first.text).toBe('stored');
      expect(counting.writes).toBe(1);
      // The explicit save is the request's one write: nothing more at the end of the request.
      await request('/', { cookie: first.sent! });
      expect(counting.writes).toBe(2);
    });

    it('.touch() should reset session expiration (here: record activity now)', async () => {
      const clock = fakeClock();
      const store = memoryStore();
      const { request } = await createServer({ store, now: clock.now, passive: ['/poll'] }, (req, res) => {
        req.session.hit = true;
        if (req.url === '/poll') req.session.touch(() => res.end());
        else res.end();
      });
      const first = await request();
      clock.advance(10 * MINUTE);
      await request('/poll', { cookie: first.sent! });
      const record = (await store.list!({ status: 'all', limit: 1, now: clock.now() })).sessions[0] as SessionRecord;
      expect(record.lastActiveAt).toBe(clock.now());
    });
  });

  describe('req.session.cookie', () => {
    it('should default to a browser-session length cookie', async () => {
      const { request } = await createServer({ cookie: {} }, count);
      const answer = await request();
      expect(answer.cookie?.attributes['max-age']).toBeUndefined();
      expect(answer.cookie?.attributes.expires).toBeUndefined();
    });

    it('should Set-Cookie only once for browser-session cookies', async () => {
      const { request } = await createServer({ cookie: {} }, count);
      const first = await request();
      expect(first.cookie).not.toBeNull();
      expect((await request('/', { cookie: first.sent! })).cookie).toBeNull();
    });

    it('should override defaults (maxAge, priority; httpOnly, path and secure are the security rules\')', async () => {
      const { request } = await createServer({ cookie: { maxAge: 5000, priority: 'high', httpOnly: true, path: '/', secure: true } }, count);
      const { cookie } = await request();
      expect(cookie?.attributes).toMatchObject({ 'max-age': '5', priority: 'High', httponly: true, path: '/', secure: true });
    });

    it('should preserve cookies set before writeHead is called, and in writeHead', async () => {
      const before = await createServer(null, (req, res) => {
        req.session.hit = true;
        res.setHeader('Set-Cookie', 'previous=cookieValue; Path=/');
        res.end();
      });
      expect((await before.request()).headers.getSetCookie().map((value) => value.split('=')[0])).toEqual(['previous', 'connect.sid']);
      const during = await createServer(null, (req, res) => {
        req.session.hit = true;
        res.writeHead(200, { 'Set-Cookie': 'previous=cookieValue; Path=/' });
        res.end();
      });
      expect((await during.request()).headers.getSetCookie().map((value) => value.split('=')[0])).toEqual(['previous', 'connect.sid']);
    });

    it('.originalMaxAge should equal original maxAge for all requests', async () => {
      const { request } = await createServer({ cookie: { maxAge: 2000 } }, (req, res) => {
        req.session.hit = true;
        res.end(JSON.stringify(req.session.cookie.originalMaxAge));
      });
      const first = await request();
      expect(first.text).toBe('2000');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect((await request('/', { cookie: first.sent! })).text).toBe('2000');
    });

    it('.maxAge should set cookie expires relative to maxAge, and change it when changed (a large value too)', async () => {
      const { request } = await createServer({ cookie: { maxAge: 2000 }, absoluteTimeout: '40d' }, (req, res) => {
        req.session.count = ((req.session.count as number | undefined) ?? 0) + 1;
        if (req.session.count === 2) req.session.cookie.maxAge = 5000;
        if (req.session.count === 3) req.session.cookie.maxAge = 3_000_000_000;
        res.end(String(req.session.count));
      });
      const first = await request();
      expect(first.cookie?.attributes['max-age']).toBe('2');
      const cookie = first.sent!;
      expect((await request('/', { cookie })).cookie?.attributes['max-age']).toBe('5');
      expect((await request('/', { cookie })).cookie?.attributes['max-age']).toBe('3000000');
      // The lifetime the app set is kept across requests (in the session data).
      expect((await request('/', { cookie })).cookie?.attributes['max-age']).toBe('3000000');
    });

    it('.maxAge never gives the cookie more than the session\'s remaining absolute lifetime (SEC-09)', async () => {
      const { request } = await createServer({ cookie: { maxAge: 1000 }, absoluteTimeout: '1h' }, (req, res) => {
        req.session.cookie.maxAge = 30 * 24 * 3_600_000;
        res.end();
      });
      const maxAge = Number((await request()).cookie?.attributes['max-age']);
      expect(maxAge).toBeLessThanOrEqual(3600);
      expect(maxAge).toBeGreaterThan(3500);
    });

    it('.expires given a Date should set it (a past date expires the cookie at once)', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.cookie.expires = new Date(0);
        res.end();
      });
      expect((await request()).cookie?.attributes['max-age']).toBe('0');
    });

    it('.expires null should be a browser-session cookie, not reset later, even when modified', async () => {
      const { request } = await createServer(null, (req, res) => {
        req.session.cookie.expires = null;
        req.session.hit = ((req.session.hit as number | undefined) ?? 0) + 1;
        res.end();
      });
      const first = await request();
      expect(first.cookie?.attributes['max-age']).toBeUndefined();
      expect((await request('/', { cookie: first.sent! })).cookie).toBeNull();
    });

    it.each([
      [undefined, false],
      [false, false],
      [true, true],
    ])('.partitioned %s: Partitioned attribute %s', async (partitioned, expected) => {
      const { request } = await createServer(partitioned === undefined ? null : { cookie: { partitioned } }, count);
      expect((await request()).cookie?.attributes.partitioned === true).toBe(expected);
    });

    it('setting an attribute the security rules fix throws a TypeError saying why (httpOnly, secure, domain, path)', async () => {
      const { request } = await createServer(null, (req, res) => {
        const messages: string[] = [];
        for (const change of [() => (req.session.cookie.httpOnly = false), () => (req.session.cookie.domain = 'example.com'), () => (req.session.cookie.path = '/admin')]) {
          try {
            change();
          } catch (error) {
            messages.push((error as Error).message);
          }
        }
        res.end(JSON.stringify(messages));
      });
      const messages = JSON.parse((await request()).text) as string[];
      expect(messages).toHaveLength(3);
      for (const message of messages) expect(message).toMatch(/^sessionwarden: req\.session\.cookie\.\w+ cannot be changed: /);
    });
  });

  describe('options that cannot apply are refused with what to do', () => {
    it.each([
      [{ cookie: { domain: 'example.com' } }, /cookie\.domain cannot apply: the session cookie is host-only/],
      [{ cookie: { path: '/admin' } }, /cookie\.path must be "\/"/],
      [{ cookie: { httpOnly: false } }, /cookie\.httpOnly cannot be false/],
      [{ cookie: { sameSite: 'none' as const } }, /sameSite "none" cannot apply/],
      [{ cookie: { sameSite: 'auto' as const } }, /sameSite "auto" cannot apply/],
      [{ cookie: (() => ({})) as never }, /cookie as a function cannot apply/],
      [{ cookie: { expires: new Date(Date.now() + 1000) } }, /cookie\.expires .* give cookie\.maxAge/],
      [{ cookie: { maxAge: 30 * 24 * 3_600_000 } }, /cookie\.maxAge .* longer than absoluteTimeout .* absoluteTimeout: '30d'/],
      [{ store: new (createRequire(import.meta.url)('express-session') as { MemoryStore: new () => never }).MemoryStore() }, /express-session store.*npx sessionwarden import --from/],
    ])('%j', (options, message) => {
      expect(() => session({ secret: SECRET, store: memoryStore(), ...options } as SessionOptions)).toThrow(message);
    });

    it('secure: false is plain-HTTP development only: refused in production', () => {
      const previous = process.env.NODE_ENV;
      const store = memoryStore();
      process.env.NODE_ENV = 'production';
      try {
        expect(() => session({ secret: SECRET, store, cookie: { secure: false } })).toThrow(/insecureDevelopmentMode is refused when NODE_ENV=production/);
      } finally {
        process.env.NODE_ENV = previous;
      }
    });

    it('secure: false outside production: no Secure attribute, any cookie name', async () => {
      const { request } = await createServer({ cookie: { secure: false } }, count);
      expect((await request()).cookie?.attributes.secure).toBeUndefined();
    });

    it('MemoryStore is a sessionwarden memory store', async () => {
      const { request } = await createServer({ store: new MemoryStore() }, count);
      const first = await request();
      expect((await request('/', { cookie: first.sent! })).text).toBe('hits: 2');
    });
  });
});
