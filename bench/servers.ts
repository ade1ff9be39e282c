// The benchmark's variant servers: the same Express 5 app with no session, sessionwarden, or express-session.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express, { type Express, type Request, type RequestHandler } from 'express';
import { createWarden, type SessionRecord } from '../src/index.js';
import { issueToken } from '../src/core/token.js';
import { createExpressMiddleware } from '../src/express/index.js';
import { sqliteStore } from '../src/stores/sqlite/index.js';

const require = createRequire(import.meta.url);

/** The variants, in the order every round measures them. */
export const VARIANTS = ['bare', 'sessionwarden', 'express-session-memory', 'express-session-sqlite'] as const;

/** One variant's name, as passed to the server child. */
export type VariantName = (typeof VARIANTS)[number];

/** How each variant is labelled in the results table. */
export const VARIANT_LABELS: Readonly<Record<VariantName, string>> = {
  bare: 'bare Express 5 (no session)',
  sessionwarden: 'sessionwarden + SQLite',
  'express-session-memory': 'express-session + MemoryStore',
  'express-session-sqlite': 'express-session + better-sqlite3-session-store',
};

/** The user every variant signs in and `GET /me` answers with. */
export const BENCH_USER = 'alice';

/** Whether a string names a variant. */
export function isVariantName(value: string): value is VariantName {
  return (VARIANTS as readonly string[]).includes(value);
}

/**
 * Options of `createVariantApp`.
 * @example
 * await createVariantApp('sessionwarden', { dataDir, sessions: 100_000 })
 */
export interface VariantAppOptions {
  /** A private folder for the variant's database files. */
  dataDir: string;
  /** Sessions of other users stored before the app serves its first request. @default 0 */
  sessions?: number;
}

/** A built variant: the Express app and how to release its store. */
export interface VariantApp {
  app: Express;
  close(): Promise<void>;
}

/**
 * Build one variant's Express app with its store (pre-populated when asked); every variant serves
 * `POST /login` and an authenticated `GET /me` answering `{"user":"alice"}`.
 * @example
 * const { app } = await createVariantApp('express-session-memory', { dataDir });
 */
export async function createVariantApp(variant: VariantName, options: VariantAppOptions): Promise<VariantApp> {
  const sessions = options.sessions ?? 0;
  switch (variant) {
    case 'bare':
      return createBareApp();
    case 'sessionwarden':
      return createSessionwardenApp(join(options.dataDir, 'sessionwarden.sqlite'), sessions);
    case 'express-session-memory':
      return createExpressSessionApp('memory', options.dataDir, sessions);
    case 'express-session-sqlite':
      return createExpressSessionApp('sqlite', options.dataDir, sessions);
  }
}

function createBareApp(): VariantApp {
  const app = express();
  app.post('/login', function bareLogin(_req, res) {
    res.json({ ok: true });
  });
  // The ceiling: the same JSON answer with no session work at all.
  app.get('/me', function bareMe(_req, res) {
    res.json({ user: BENCH_USER });
  });
  return { app, close: async () => undefined };
}

async function createSessionwardenApp(path: string, sessions: number): Promise<VariantApp> {
  const store = sqliteStore({ path });
  const warden = createWarden({ store, insecureDevelopmentMode: false });
  await populateSessionwarden(store, sessions);
  const app = express();
  app.use(createExpressMiddleware(warden));
  app.post('/login', async function sessionwardenLogin(req, res) {
    await req.session.login(BENCH_USER);
    res.json({ ok: true });
  });
  app.get('/me', function sessionwardenMe(req, res) {
    const session = req.session;
    if (!session.userId) {
      res.status(401).end();
      return;
    }
    res.json({ user: session.userId });
  });
  return { app, close: () => store.close() };
}

/** Live sessions of other users, written through the store API as a login would. */
async function populateSessionwarden(store: ReturnType<typeof sqliteStore>, count: number): Promise<void> {
  const now = Date.now();
  for (let i = 0; i < count; i += 1) {
    const token = issueToken();
    const record: SessionRecord = {
      id: token.id,
      secretHash: token.secretHash,
      userId: `user-${i}`,
      createdAt: now,
      authenticatedAt: now,
      lastActiveAt: now,
      idleTimeout: 30 * 60_000,
      expiresAt: now + 12 * 3_600_000,
      ip: '127.0.0.1',
      userAgent: 'autocannon',
      data: {},
      endedAt: null,
      endReason: null,
      replacedBy: null,
    };
    const result = await store.create({ record, now });
    if (!result.ok) throw new Error(`pre-populating sessionwarden: create() refused session ${i}`);
  }
}

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

async function createExpressSessionApp(kind: 'memory' | 'sqlite', dataDir: string, sessions: number): Promise<VariantApp> {
  const session = require('express-session') as ExpressSessionModule;
  let store: ExpressSessionStore;
  let close = async (): Promise<void> => undefined;
  if (kind === 'memory') {
    store = new session.MemoryStore();
    await populateExpressSession(store, sessions);
  } else {
    const SqliteSessionStore = (require('better-sqlite3-session-store') as SqliteSessionStoreFactory)(session);
    // The package's README setup: a plain better-sqlite3 handle with its default pragmas.
    const db = new Database(join(dataDir, 'express-session.sqlite'));
    store = new SqliteSessionStore({ client: db, expired: { clear: false } });
    // One transaction for the bulk insert: this store's set() runs (and calls back) synchronously, so every write is in it.
    let populated: Promise<void> = Promise.resolve();
    db.transaction(() => {
      populated = populateExpressSession(store, sessions);
    })();
    await populated;
    close = async () => {
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
  return { app, close };
}

/** Sessions of other users through the store's own `set`, shaped as express-session saves them. */
function populateExpressSession(store: ExpressSessionStore, count: number): Promise<void> {
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
