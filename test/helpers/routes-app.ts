// A small Express app with the session pages mounted (user and admin), a fake clock, and a token-leak scanner.
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { type Request, type Response } from 'express';
import { afterEach, expect } from 'vitest';
import { createWarden, type SessionEvent, type SessionRecord, type SessionStore, type Warden, type WardenOptions } from '../../src/index.js';
import { issueToken } from '../../src/core/token.js';
import { createExpressMiddleware, expressRoutes, requireUser } from '../../src/express/index.js';
import { adminRoutes, sessionRoutes } from '../../src/pages/index.js';
import type { AdminRoutesOptions } from '../../src/http/admin/routes.js';
import type { SessionRoutesOptions } from '../../src/http/sessions/routes.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { fakeClock, MINUTE, type FakeClock } from './clock.js';
import { Browser, listen, parseSetCookie, type TestResponse } from './http.js';
import { writeMmdb } from '../fixtures/make-mmdb.js';

/** Where the pages are mounted, and the app's own 404 (which non-admins must get, byte for byte). */
export const SESSIONS = '/account/sessions';
export const ADMIN = '/admin/sessions';
export const APP_NOT_FOUND = 'Nothing here.';
export const HTML = { accept: 'text/html,application/xhtml+xml' };
export const JSON_ACCEPT = { accept: 'application/json' };

/** A running app: its warden, store, clock, captured events and browsers. */
export interface RoutesApp {
  url: string;
  warden: Warden;
  store: SessionStore;
  clock: FakeClock;
  events: SessionEvent[];
  /** A GeoIP database with 203.0.113.0/24 in Berlin, Germany and 198.51.100.0/24 in France. */
  geoipPath: string;
  browser(headers?: Record<string, string>): Browser;
  /** A new browser signed in as `user` (headers such as User-Agent and X-Forwarded-For go with every request). */
  signIn(user: string, headers?: Record<string, string>): Promise<Browser>;
  /** Every cookie value, secret and stored hash ever issued, in the encodings a leak could take. */
  secrets(): Promise<string[]>;
  /** Store a live session directly (no browser holds it), created now unless told otherwise. */
  insert(fields: Partial<SessionRecord>): Promise<SessionRecord>;
  /** Everything every browser received: bodies and headers (Set-Cookie aside, which legitimately carries the token). */
  received(): string;
  /** The issued secrets (in any encoding) found in anything received; throws if no token was ever issued. */
  leaks(): Promise<string[]>;
  close(): Promise<void>;
}

/** What to vary per test: the store, warden options and route options. */
export interface RoutesAppOptions {
  store?: 'memory' | 'sqlite';
  warden?: Partial<WardenOptions>;
  sessions?: Partial<SessionRoutesOptions>;
  admin?: Partial<AdminRoutesOptions>;
}

/**
 * Start the app on an ephemeral port; the proxy 127.0.0.1 is trusted, so tests choose client IPs with X-Forwarded-For.
 * @example
 * const app = await startRoutesApp({ store: 'sqlite' }); const alice = await app.signIn('alice');
 */
export async function startRoutesApp(options: RoutesAppOptions = {}): Promise<RoutesApp> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-routes-'));
  const geoipPath = join(dir, 'city.mmdb');
  writeMmdb(geoipPath, [
    { network: '203.0.113.0/24', data: { city: { names: { en: 'Berlin' } }, country: { names: { en: 'Germany' } } } },
    { network: '198.51.100.0/24', data: { country: { names: { en: 'France' } } } },
  ]);
  const clock = fakeClock();
  const events: SessionEvent[] = [];
  const store = options.store === 'sqlite' ? sqliteStore({ path: join(dir, 'sessions.sqlite') }) : memoryStore();
  // A long touch interval keeps "last activity" where the test put it ("5 minutes ago (this session)").
  const warden = createWarden({ store, now: clock.now, onEvent: (event) => events.push(event), touchInterval: '10m', trustedProxies: ['127.0.0.1'], ...options.warden });
  const app = express();
  app.use(createExpressMiddleware(warden));
  app.post('/test/login', express.json(), async (req: Request, res: Response) => {
    await req.sessionwarden.login(String((req.body as { user?: unknown }).user));
    res.json({ ok: true });
  });
  app.post('/test/reauthenticate', async (req: Request, res: Response) => {
    await req.sessionwarden.reauthenticate();
    res.json({ ok: true });
  });
  app.get('/me', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    res.json({ user: req.sessionwarden.userId });
  });
  app.use(expressRoutes(sessionRoutes(warden, { base: SESSIONS, reauthUrl: '/reauthenticate', geoip: { database: geoipPath }, ...options.sessions })));
  app.use(expressRoutes(adminRoutes(warden, { base: ADMIN, isAdmin: async (userId) => userId === 'admin', geoip: { database: geoipPath }, ...options.admin })));
  app.use((_req: Request, res: Response) => {
    res.status(404).type('text/plain').send(APP_NOT_FOUND);
  });
  const server = await listen(app);
  // Every session cookie value the server ever sends, read off each response as it finishes (for the leak scan).
  const issued: string[] = [];
  server.server.on('request', (_req, res: ServerResponse) => {
    res.once('finish', () => {
      for (const header of [res.getHeader('set-cookie') ?? []].flat()) {
        const { value } = parseSetCookie(String(header));
        if (value !== '') issued.push(value);
      }
    });
  });
  const browsers: Browser[] = [];
  const browser = (headers: Record<string, string> = {}) => {
    const created = new Browser(server.url, headers);
    browsers.push(created);
    return created;
  };
  const received = () => browsers.flatMap((each) => each.seen).join('\n');
  const secrets = async () => {
    const out: string[] = [];
    for (const value of issued) {
      const [id, secret] = value.split('.') as [string, string];
      const hash = createHash('sha256').update(secret).digest();
      const stored = (await store.get(id))?.secretHash;
      out.push(value, secret, Buffer.from(secret, 'base64url').toString('hex'), Buffer.from(secret, 'base64url').toString('base64'));
      out.push(hash.toString('base64url'), hash.toString('hex'), hash.toString('base64'), ...(stored ? [stored] : []));
    }
    return [...new Set(out)];
  };
  return { url: server.url, warden, store, clock, events, geoipPath, browser, secrets, received,
    async signIn(user, headers) {
      const signedIn = browser(headers);
      const response = await signedIn.request('POST', '/test/login', { json: { user } });
      if (response.status !== 200) throw new Error(`sign-in of ${user} failed with ${response.status}`);
      return signedIn;
    },
    async insert(fields) {
      const token = issueToken();
      const now = clock.now();
      const createdAt = fields.createdAt ?? now;
      const record: SessionRecord = { id: token.id, secretHash: token.secretHash, userId: 'alice', createdAt, authenticatedAt: createdAt, lastActiveAt: createdAt, idleTimeout: 30 * MINUTE, expiresAt: createdAt + 12 * 60 * MINUTE, ip: null, userAgent: null, data: {}, endedAt: null, endReason: null, replacedBy: null, ...fields };
      const result = await store.create({ record, now });
      if (!result.ok) throw new Error(`could not insert a session: ${result.reason}`);
      return record;
    },
    async leaks() {
      const all = await secrets();
      if (all.length === 0) throw new Error('no session token was issued: the leak scan would prove nothing');
      const seen = received();
      return all.filter((secret) => seen.includes(secret));
    },
    async close() {
      await server.close();
      await store.close?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * One app per test, for a describe block: `start()` launches it, and after the test its traffic is scanned for leaked
 * tokens and it is closed.
 * @example
 * const startApp = appPerTest('sqlite'); it('…', async () => { const app = await startApp(); … });
 */
export function appPerTest(store: 'memory' | 'sqlite'): (options?: Omit<RoutesAppOptions, 'store'>) => Promise<RoutesApp> {
  let running: RoutesApp | null = null;
  afterEach(async () => {
    const app = running;
    running = null;
    if (app === null) return;
    try {
      expect(await app.leaks()).toEqual([]);
    } finally {
      await app.close();
    }
  });
  return async (options = {}) => (running = await startRoutesApp({ store, ...options }));
}

/** The public id of a browser's session (the part of the cookie before the dot). */
export function idOf(browser: Browser): string {
  const value = browser.session;
  if (value === undefined) throw new Error('this browser has no session cookie');
  return value.split('.')[0]!;
}

/** The CSRF token of a browser's session, read from the hidden field of its session page like a real form would. */
export async function tokenOf(browser: Browser): Promise<string> {
  const page = await browser.get(SESSIONS, HTML);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (token === undefined) throw new Error(`no CSRF token on the session page (status ${page.status})`);
  return token;
}

/** A response's status, body and headers apart from Date, for "byte-identical" comparisons. */
export function shapeOf(response: TestResponse): { status: number; text: string; headers: [string, string][] } {
  return { status: response.status, text: response.text, headers: [...response.headers].filter(([name]) => name !== 'date') };
}
