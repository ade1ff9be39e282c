// express-session itself and its stores (connect-redis, connect-pg-simple, the SQLite ones), for tests that start where an app is today.
import { createRequire } from 'node:module';
import { createConnection } from 'node:net';
import express, { type RequestHandler } from 'express';
import { ON_CI } from './chromium.js';
import { listen, type TestServer } from './http.js';

const require = createRequire(import.meta.url);

/** An express-session store, reduced to what these tests call (they ship no usable types here). */
export interface ExpressSessionStore {
  set(id: string, session: object, callback: (error?: unknown) => void): void;
  get(id: string, callback: (error: unknown, session?: object | null) => void): void;
}

interface ExpressSessionModule {
  (options: Record<string, unknown>): RequestHandler;
  Store: new (...args: unknown[]) => ExpressSessionStore;
  MemoryStore: new () => ExpressSessionStore;
}

/** express-session, loaded as an app loads it. */
export const expressSession = require('express-session') as ExpressSessionModule;

/** Whether something answers on this local port (the shared PostgreSQL and Redis). */
export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Whether a suite needing this service runs: skipped with a message when it is down, except under CI, where it fails.
 * @example
 * const redis = await serviceOrSkip('Redis', 6379);
 */
export async function serviceOrSkip(name: string, port: number): Promise<boolean> {
  if (await portOpen(port)) return true;
  if (ON_CI) throw new Error(`${name} is required under CI but nothing answers on 127.0.0.1:${port}`);
  console.warn(`${name} tests skipped: nothing answers on 127.0.0.1:${port} (under CI this fails instead)`);
  return false;
}

/**
 * An app on real express-session over `store` whose `/set` writes the JSON body into the session (and `?remember=ms`
 * sets `cookie.maxAge`): how the sessions to import are made, exactly as the old app made them.
 */
export async function startExpressSessionApp(store: ExpressSessionStore, secret: string | string[]): Promise<TestServer> {
  const app = express();
  app.use(expressSession({ secret, store, resave: false, saveUninitialized: false }));
  app.use(express.json());
  app.post('/set', (req, res, next) => {
    const session = req.session as unknown as Record<string, unknown> & { cookie: { maxAge: number | null }; save(callback: (error?: unknown) => void): void };
    Object.assign(session, req.body as object);
    if (typeof req.query.remember === 'string') session.cookie.maxAge = Number(req.query.remember);
    session.save((error) => (error ? next(error) : res.json({ ok: true })));
  });
  return listen(app);
}

/**
 * Make one session through the express-session app; its `connect.sid` cookie value (`s%3A<id>.<signature>`).
 * @example
 * const cookie = await makeSession(server, { userId: 'alice' });
 */
export async function makeSession(server: TestServer, data: object, rememberMs?: number): Promise<string> {
  const response = await fetch(`${server.url}/set${rememberMs === undefined ? '' : `?remember=${rememberMs}`}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(data),
  });
  if (response.status !== 200) throw new Error(`express-session app answered ${response.status}`);
  const cookie = response.headers.getSetCookie().find((value) => value.startsWith('connect.sid='));
  if (cookie === undefined) throw new Error('express-session set no cookie');
  return cookie.slice('connect.sid='.length, cookie.indexOf(';'));
}

/** The express-session id inside a signed cookie value. */
export function oldIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie);
  return value.slice(2, value.lastIndexOf('.'));
}
