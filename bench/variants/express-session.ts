// express-session, the incumbent: with its MemoryStore, or with better-sqlite3-session-store as its README sets it up.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express, { type Request, type RequestHandler } from 'express';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';

const require = createRequire(import.meta.url);

// express-session and better-sqlite3-session-store ship no type declarations: the little used here, typed locally.

type StoreCallback = (error?: unknown) => void;

/** The stored shape express-session writes for a session with a browser-session cookie. */
interface StoredSession {
  cookie: { originalMaxAge: number | null; expires: string | null; httpOnly: boolean; path: string };
  userId?: string;
}

interface ExpressSessionStore {
  set(id: string, session: StoredSession, callback: StoreCallback): void;
}

interface ExpressSessionOptions {
  secret: string;
  resave: boolean;
  saveUninitialized: boolean;
  store: ExpressSessionStore;
}

interface ExpressSessionModule {
  (options: ExpressSessionOptions): RequestHandler;
  MemoryStore: new () => ExpressSessionStore;
}

interface SqliteSessionStoreOptions {
  client: Database.Database;
  expired: { clear: boolean; intervalMs?: number };
}

type SqliteSessionStoreFactory = (session: ExpressSessionModule) => new (options: SqliteSessionStoreOptions) => ExpressSessionStore;

/** `req.session` as express-session exposes it, reduced to what the routes use. */
interface ExpressSessionRequest extends Omit<Request, 'session'> {
  session: { userId?: string; regenerate(callback: StoreCallback): void };
}

/**
 * Start express-session with the given store, filled first with `sessions` sessions of other users.
 * @example
 * const server = await startExpressSession('memory', { dataDir, sessions: 0 });
 */
export async function startExpressSession(kind: 'memory' | 'sqlite', { dataDir, sessions }: VariantOptions): Promise<VariantServer> {
  const session = require('express-session') as ExpressSessionModule;
  let store: ExpressSessionStore;
  let release = (): void => undefined;
  if (kind === 'memory') {
    store = new session.MemoryStore();
    await fill(store, sessions);
  } else {
    const SqliteSessionStore = (require('better-sqlite3-session-store') as SqliteSessionStoreFactory)(session);
    // The package's README setup: a plain better-sqlite3 handle with its default pragmas.
    const db = new Database(join(dataDir, 'express-session.sqlite'));
    store = new SqliteSessionStore({ client: db, expired: { clear: false } });
    // One transaction for the bulk insert: this store's set() runs (and calls back) synchronously, so every write is in it.
    let filled: Promise<void> = Promise.resolve();
    db.transaction(() => {
      filled = fill(store, sessions);
    })();
    await filled;
    release = () => {
      db.close();
    };
  }
  const app = express();
  // The settings an app would choose; rolling stays at its default (false), and with it express-session still
  // calls store.touch() on every request that leaves the session unmodified.
  app.use(session({ secret: 'bench-secret-bench-secret-bench-secret', resave: false, saveUninitialized: false, store }));
  app.post('/login', function expressSessionLogin(req, res, next) {
    const request = req as ExpressSessionRequest;
    request.session.regenerate((error) => {
      if (error) {
        next(error);
        return;
      }
      request.session.userId = BENCH_USER;
      res.json({ ok: true });
    });
  });
  app.get('/me', function expressSessionMe(req, res) {
    const userId = (req as ExpressSessionRequest).session.userId;
    if (!userId) {
      res.status(401).end();
      return;
    }
    res.json({ user: userId });
  });
  return serveListener(app, release);
}

/** Sessions of other users through the store's own `set`, shaped as express-session saves them. */
function fill(store: ExpressSessionStore, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = count;
    let failed = false;
    if (pending === 0) resolve();
    for (let i = 0; i < count; i += 1) {
      const id = randomBytes(24).toString('base64url');
      // MemoryStore calls back on a later tick, the SQLite store at once: count the answers either way.
      store.set(id, { cookie: { originalMaxAge: null, expires: null, httpOnly: true, path: '/' }, userId: `user-${i}` }, (error) => {
        if (failed) return;
        if (error) {
          failed = true;
          reject(new Error('pre-populating express-session failed', { cause: error }));
          return;
        }
        pending -= 1;
        if (pending === 0) resolve();
      });
    }
  });
}
