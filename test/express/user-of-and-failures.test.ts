// userOf (a user named by the session data is a login, a user gone from it a logout) and session failures that must reach the app.
import express, { type Request, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden, SessionDataError, type SessionEvent, type SessionStore, type WardenOptions } from '../../src/index.js';
import { createExpressMiddleware } from '../../src/express/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { Browser, listen } from '../helpers/http.js';
import '../helpers/session-data.js';

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of running.splice(0)) await stop();
});

async function startApp(routes: (app: express.Express) => void, options: Partial<WardenOptions> = {}) {
  const events: SessionEvent[] = [];
  const store: SessionStore = options.store ?? memoryStore();
  const warden = createWarden({ store, onEvent: (event) => events.push(event), ...options });
  const app = express();
  app.use(createExpressMiddleware(warden));
  app.use(express.urlencoded({ extended: false }));
  routes(app);
  app.get('/whoami', (req: Request, res: Response) => {
    res.json({ user: req.sessionwarden.userId, data: JSON.parse(JSON.stringify(req.session)) as unknown });
  });
  const server = await listen(app);
  running.push(server.close);
  return { events, store, warden, browser: () => new Browser(server.url) };
}

const userOf = (data: Record<string, unknown>) => (data.userId as string | undefined) ?? (data.passport as { user?: string } | undefined)?.user;

describe('userOf: the user is read from the session data', () => {
  it('SEC-14 setting the user in the data is a login: a new id and secret, the old cookie dead, a login event', async () => {
    const app = await startApp((server) => {
      server.post('/cart', (req, res) => {
        req.session.cart = ['book'];
        res.end();
      });
      server.post('/signin', (req, res) => {
        req.session.userId = String(req.body.user);
        res.end();
      });
    }, { userOf });
    const browser = app.browser();
    await browser.post('/cart');
    const anonymous = browser.session!;
    await browser.post('/signin', { user: 'alice' });
    expect(browser.session).not.toBe(anonymous);
    expect((await browser.get('/whoami')).json()).toEqual({ user: 'alice', data: { cart: ['book'], userId: 'alice' } });
    expect(app.events.filter((event) => event.type === 'login').map((event) => event.userId)).toEqual(['alice']);
    const replay = app.browser();
    replay.cookies.set('__Host-sid', anonymous);
    expect((await replay.get('/whoami')).json()).toEqual({ user: null, data: {} });
  });

  it('SEC-16 another user in the same session keeps only what this request wrote, nothing of the previous user\'s data', async () => {
    const app = await startApp((server) => {
      server.post('/signin', (req, res) => {
        req.session.userId = String(req.body.user);
        if (req.body.note) req.session.note = String(req.body.note);
        res.end();
      });
      server.post('/secret', (req, res) => {
        req.session.pendingMfaUser = 'alice';
        res.end();
      });
    }, { userOf });
    const browser = app.browser();
    await browser.post('/signin', { user: 'alice' });
    await browser.post('/secret');
    await browser.post('/signin', { user: 'bob', note: 'hi' });
    expect((await browser.get('/whoami')).json()).toEqual({ user: 'bob', data: { userId: 'bob', note: 'hi' } });
  });

  it('a user removed from the data is a logout of that user; the rest of what the request wrote stays, anonymous', async () => {
    const app = await startApp((server) => {
      server.post('/signin', (req, res) => {
        req.session.passport = { user: 'alice' };
        res.end();
      });
      server.post('/signout', (req, res) => {
        delete (req.session.passport as { user?: string }).user;
        req.session.theme = 'dark';
        res.end();
      });
    }, { userOf });
    const browser = app.browser();
    await browser.post('/signin');
    const signedIn = browser.session!;
    await browser.post('/signout');
    expect((await browser.get('/whoami')).json()).toEqual({ user: null, data: { passport: {}, theme: 'dark' } });
    expect(browser.session).not.toBe(signedIn);
    expect(app.events.filter((event) => event.type === 'logout').map((event) => event.userId)).toEqual(['alice']);
    expect(await app.warden.listUserSessions('alice')).toEqual([]);
  });

  it('with userOf, login(userId) whose data does not name the user is refused (the next save would undo it)', async () => {
    const app = await startApp((server) => {
      server.post('/login', async (req, res) => {
        try {
          await req.sessionwarden.login('alice');
          res.end('in');
        } catch (error) {
          res.status(400).end((error as Error).message);
        }
      });
      server.post('/login-data', async (req, res) => {
        await req.sessionwarden.login('alice', { data: { userId: 'alice' } });
        res.end('in');
      });
    }, { userOf });
    const browser = app.browser();
    expect((await browser.post('/login')).text).toMatch(/with the userOf option, sign "alice" in by writing the user into the session data/);
    expect((await browser.post('/login-data')).text).toBe('in');
    expect((await browser.get('/whoami')).json()).toMatchObject({ user: 'alice' });
  });

  it('a userOf that returns an object fails loudly (500), never leaving sessions silently anonymous', async () => {
    const app = await startApp((server) => {
      server.post('/signin', (req, res) => {
        req.session.passport = { user: { id: 'alice' } };
        res.end('ok');
      });
    }, { userOf });
    const response = await app.browser().post('/signin');
    expect(response.status).toBe(500);
    expect(response.text).toMatch(/userOf\(data\) must return a string, a number, null or undefined; it returned object/);
  });
});

describe('failures reach the app, never a silent 200', () => {
  it('data over dataMaxBytes saved at the end of the request: 500 through Express\'s error handling, nothing stored', async () => {
    const app = await startApp((server) => {
      server.post('/big', (req, res) => {
        req.session.blob = 'x'.repeat(2000);
        res.end('saved?');
      });
    }, { dataMaxBytes: 1024 });
    const browser = app.browser();
    const response = await browser.post('/big');
    expect(response.status).toBe(500);
    expect(response.text).not.toContain('saved?');
    expect(response.setCookies).toEqual([]);
    expect(app.events.some((event) => event.type === 'store-error' && event.reason === 'DATA_TOO_LARGE')).toBe(true);
  });

  it('save() without a callback, its promise ignored, failing: no unhandled rejection, and the request ends in Express\'s error handling', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const store = memoryStore();
      const app = await startApp((server) => {
        server.post('/login', async (req, res) => {
          await req.sessionwarden.login('alice');
          res.end();
        });
        server.post('/fire-and-forget', (req, res) => {
          req.session.step = 'lost';
          void req.session.save();
          setTimeout(() => res.end('done'), 20);
        });
      }, { store });
      const browser = app.browser();
      await browser.post('/login');
      const original = store.update.bind(store);
      store.update = (id, data) => new Promise((resolve, reject) => setTimeout(() => original(id, data).then(() => reject(new Error('disk full')), reject), 5));
      const response = await browser.post('/fire-and-forget');
      expect(response.status).toBe(503);
      expect(response.text).not.toBe('done');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('save() awaited and caught: the app answers the failure itself, the end of the request adds nothing', async () => {
    const app = await startApp((server) => {
      server.post('/big', async (req, res) => {
        req.session.blob = 'x'.repeat(2000);
        try {
          await req.session.save();
          res.end('saved');
        } catch (error) {
          res.status(413).end(error instanceof SessionDataError ? 'too big' : 'other');
        }
      });
    }, { dataMaxBytes: 1024 });
    const response = await app.browser().post('/big');
    expect(response.status).toBe(413);
    expect(response.text).toBe('too big');
  });

  it('touch() and save() without callbacks return promises that resolve; the callback forms return the session', async () => {
    const app = await startApp((server) => {
      server.post('/calls', async (req, res) => {
        req.session.n = 1;
        const saved = req.session.save();
        const touched = req.session.touch();
        await Promise.all([saved, touched]);
        const chained = req.session.save(() => res.json({ promises: saved instanceof Promise && touched instanceof Promise, chained: chained === req.session }));
      });
    });
    expect((await app.browser().post('/calls')).json()).toEqual({ promises: true, chained: true });
  });
});
