// `sessionwarden import` from connect-redis, connect-pg-simple, better-sqlite3-session-store (each written by the real package through express-session) and connect-sqlite3's format; then the old cookies sign users in.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express, { type Request, type Response } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { importedSessionId } from '../../src/core/imported.js';
import session from '../../src/express-session/index.js';
import type { SessionEvent } from '../../src/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { expressSession, makeSession, oldIdOf, serviceOrSkip, startExpressSessionApp, type ExpressSessionStore } from '../helpers/express-session-sources.js';
import { listen, parseSetCookie } from '../helpers/http.js';
import '../helpers/session-data.js';

const require = createRequire(import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'sw-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = 'keyboard cat, 32 bytes of entropy at least!';
const DAY = 86_400_000;
let targets = 0;

/** One source: how to open it with express-session's store, how to plant rows the app never wrote, its --from. */
interface Source {
  name: string;
  /** Whether the store keeps rows past their expiry (Redis deletes them itself). */
  keepsExpired: boolean;
  available(): Promise<boolean>;
  /** The store express-session writes through, and --from for the import. */
  open(): Promise<{ store: ExpressSessionStore; from: string; plant(id: string, raw: string, expiresAt: number): Promise<void>; close(): Promise<void> }>;
}

const redisSource: Source = {
  name: 'connect-redis (node-redis)',
  keepsExpired: false,
  available: () => serviceOrSkip('Redis', 6379),
  async open() {
    const { createClient } = (await import('redis')) as unknown as { createClient(options: { url: string }): RedisClient };
    const { RedisStore } = require('connect-redis') as { RedisStore: new (options: { client: unknown; prefix: string }) => ExpressSessionStore };
    const client = createClient({ url: 'redis://127.0.0.1:6379' });
    await client.connect();
    const prefix = `sw-import-${randomBytes(6).toString('hex')}:`;
    return {
      store: new RedisStore({ client, prefix }),
      from: `redis://127.0.0.1:6379?prefix=${encodeURIComponent(prefix)}`,
      async plant(id, raw, expiresAt) {
        await client.set(`${prefix}${id}`, raw, { PXAT: expiresAt });
      },
      async close() {
        for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length > 0) await client.del(keys);
        await client.close();
      },
    };
  },
};

interface RedisClient {
  connect(): Promise<unknown>;
  close(): Promise<void>;
  set(key: string, value: string, options: { PXAT: number }): Promise<unknown>;
  del(keys: string[]): Promise<number>;
  scanIterator(options: { MATCH: string; COUNT: number }): AsyncIterable<string[]>;
}

const postgresSource: Source = {
  name: 'connect-pg-simple (pg)',
  keepsExpired: true,
  available: () => serviceOrSkip('PostgreSQL', 5432),
  async open() {
    const pg = require('pg') as { Pool: new (options: { connectionString: string }) => { query(text: string, values?: unknown[]): Promise<unknown>; end(): Promise<void> } };
    const PgSession = (require('connect-pg-simple') as (session: unknown) => new (options: object) => ExpressSessionStore & { close(): void })(expressSession);
    const url = 'postgres://postgres@127.0.0.1:5432/test';
    const pool = new pg.Pool({ connectionString: url });
    const table = `session_import_${randomBytes(6).toString('hex')}`;
    const store = new PgSession({ pool, tableName: table, createTableIfMissing: true, pruneSessionInterval: false });
    return {
      store,
      from: `${url}?table=${table}`,
      async plant(id, raw, expiresAt) {
        // A json column: malformed text cannot get in, a JSON value that is no session object can.
        await pool.query(`INSERT INTO "${table}" (sid, sess, expire) VALUES ($1, $2::json, to_timestamp($3))`, [id, raw.startsWith('{') || raw.startsWith('[') || raw.startsWith('"') ? raw : JSON.stringify(raw), expiresAt / 1000]);
      },
      async close() {
        await pool.query(`DROP TABLE IF EXISTS "${table}"`);
        store.close();
        await pool.end();
      },
    };
  },
};

const betterSqliteSource: Source = {
  name: 'better-sqlite3-session-store',
  keepsExpired: true,
  available: async () => true,
  async open() {
    const path = join(dir, `bsss-${randomBytes(4).toString('hex')}.sqlite`);
    const db = new Database(path);
    const SqliteStore = (require('better-sqlite3-session-store') as (session: unknown) => new (options: object) => ExpressSessionStore)(expressSession);
    const store = new SqliteStore({ client: db, expired: { clear: false } });
    return {
      store,
      from: `sqlite:${path}`,
      async plant(id, raw, expiresAt) {
        db.prepare('INSERT INTO sessions VALUES (?, ?, ?)').run(id, raw, new Date(expiresAt).toISOString());
      },
      async close() {
        db.close();
      },
    };
  },
};

/**
 * connect-sqlite3's format: its table and its own statements (`sid PRIMARY KEY, expired, sess`, `INSERT OR REPLACE`
 * with `expired` = now + maxAge, else a day), written here through better-sqlite3 by an express-session Store, because
 * connect-sqlite3's own driver (the sqlite3 package) needs a native build of several minutes in every CI install.
 */
const connectSqliteSource: Source = {
  name: "connect-sqlite3's format",
  keepsExpired: true,
  available: async () => true,
  async open() {
    const path = join(dir, `cs3-${randomBytes(4).toString('hex')}.sqlite`);
    const db = new Database(path);
    db.exec('CREATE TABLE IF NOT EXISTS sessions (sid PRIMARY KEY, expired, sess)');
    const upsert = db.prepare('INSERT OR REPLACE INTO sessions VALUES (?, ?, ?)');
    const read = db.prepare('SELECT sess FROM sessions WHERE sid = ? AND ? <= expired');
    const remove = db.prepare('DELETE FROM sessions WHERE sid = ?');
    type Done = (error?: unknown, value?: unknown) => void;
    class ConnectSqlite3FormatStore extends (expressSession.Store as unknown as new () => object) {
      get(sid: string, done: Done) {
        const row = read.get(sid, Date.now()) as { sess: string } | undefined;
        done(null, row === undefined ? null : JSON.parse(row.sess));
      }
      set(sid: string, sess: { cookie?: { maxAge?: number | null } }, done: Done) {
        const maxAge = sess.cookie?.maxAge;
        upsert.run(sid, Date.now() + (typeof maxAge === 'number' ? maxAge : DAY), JSON.stringify(sess));
        done?.(null);
      }
      destroy(sid: string, done: Done) {
        remove.run(sid);
        done?.(null);
      }
    }
    return {
      store: new ConnectSqlite3FormatStore() as unknown as ExpressSessionStore,
      from: path,
      async plant(id, raw, expiresAt) {
        upsert.run(id, expiresAt, raw);
      },
      async close() {
        db.close();
      },
    };
  },
};

describe.each([redisSource, postgresSource, betterSqliteSource, connectSqliteSource])('import from $name', (source) => {
  let available = false;
  beforeAll(async () => {
    available = await source.available();
  });

  it('imports every live session, skips the expired and refuses the malformed, twice without doubles; the old cookies then sign users in', async (test) => {
    if (!available) test.skip();
    const opened = await source.open();
    const oldApp = await startExpressSessionApp(opened.store, SECRET);
    try {
      const alice = await makeSession(oldApp, { userId: 'alice', cart: ['book'] });
      const bob = await makeSession(oldApp, { passport: { user: 'bob' }, theme: 'dark' }, 30 * DAY);
      const anonymous = await makeSession(oldApp, { cart: ['pen'] });
      const now = Date.now();
      // A cookie that expired while the store still keeps its session, and a row past the store's own expiry.
      await opened.plant('cookie-expired', JSON.stringify({ cookie: { originalMaxAge: 60_000, expires: new Date(now - 60_000).toISOString() }, userId: 'carol' }), now + DAY);
      if (source.keepsExpired) await opened.plant('store-expired', JSON.stringify({ cookie: { originalMaxAge: null }, userId: 'carol' }), now - 60_000);
      await opened.plant('not-an-object', '[1,2,3]', now + DAY);
      const expired = source.keepsExpired ? 2 : 1;

      const target = join(dir, `target-${(targets += 1)}.sqlite`);
      const progress: number[] = [];
      const first = await runCli(['import', '--from', opened.from, '--store', target, '--json'], {}, { importing: (summary) => progress.push(summary.imported) });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ imported: 3, alreadyImported: 0, expired, malformed: 1, store: target });
      expect(progress.at(-1)).toBe(3);
      const again = await runCli(['import', '--from', opened.from, '--store', target]);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(new RegExp(`^imported 0, already imported 3, skipped as expired ${expired}, refused as malformed 1\n`));

      // The old ids are not stored: records are found by the hash-derived id; users are first-class at once.
      const store = sqliteStore({ path: target });
      const bobRecord = await store.get(importedSessionId(oldIdOf(bob)));
      // express-session stores originalMaxAge as expires minus a second Date.now(): 30 days, or a millisecond less.
      expect(bobRecord).toMatchObject({ userId: 'bob', authenticatedAt: null, data: { cookie: { originalMaxAge: expect.closeTo(30 * DAY, -1) }, passport: { user: 'bob' }, theme: 'dark' } });
      expect(JSON.stringify(await store.list!({ status: 'all', limit: 10, now: Date.now() }))).not.toContain(oldIdOf(bob));
      expect((await store.listByUser('alice', Date.now())).map((record) => record.data)).toEqual([{ userId: 'alice', cart: ['book'] }]);
      await store.close?.();

      // The new app: one import line changed, the same secret; old cookies upgrade on first use.
      const events: SessionEvent[] = [];
      const middleware = session({
        secret: SECRET,
        store: sqliteStore({ path: target }),
        resave: false,
        saveUninitialized: false,
        absoluteTimeout: '31d',
        userOf: (data) => (data.userId as string | undefined) ?? (data.passport as { user?: string } | undefined)?.user,
        onEvent: (event) => events.push(event),
      });
      const app = express();
      app.use(middleware);
      app.get('/me', (req: Request, res: Response) => {
        res.json({ user: req.sessionwarden.userId, data: JSON.parse(JSON.stringify(req.session)) as unknown, maxAge: req.session.cookie.originalMaxAge });
      });
      const server = await listen(app);
      try {
        const me = (cookie: string) => fetch(`${server.url}/me`, { headers: { cookie: `connect.sid=${cookie}` } });
        const bobAnswer = await me(bob);
        expect(await bobAnswer.json()).toEqual({ user: 'bob', data: { cookie: { originalMaxAge: 30 * DAY }, passport: { user: 'bob' }, theme: 'dark' }, maxAge: 30 * DAY });
        const upgraded = parseSetCookie(bobAnswer.headers.getSetCookie()[0]!);
        expect(upgraded.name).toBe('connect.sid');
        expect(upgraded.value).toMatch(/^[\w-]{22}\.[\w-]{43}$/);
        // Remember-me stays persistent, within the session's absolute deadline (SEC-09).
        expect(Number(upgraded.attributes['max-age'])).toBeGreaterThan(29 * 86_400);
        expect(Number(upgraded.attributes['max-age'])).toBeLessThanOrEqual(30 * 86_400);
        // The upgraded token works, the old cookie no longer does (the imported record is a tombstone).
        expect(await (await me(upgraded.value)).json()).toMatchObject({ user: 'bob' });
        expect(await (await me(bob)).json()).toMatchObject({ user: null, data: {} });
        expect(events.filter((event) => event.type === 'rotated' && event.reason === 'import')).toHaveLength(1);

        expect(await (await me(alice)).json()).toMatchObject({ user: 'alice', data: { userId: 'alice', cart: ['book'] }, maxAge: null });
        expect(await (await me(anonymous)).json()).toMatchObject({ user: null, data: { cart: ['pen'] } });
        // A forged signature is no session at all.
        const forged = alice.replace(/\.[^.]+$/, '.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
        const forgedAnswer = await me(forged);
        expect(await forgedAnswer.json()).toMatchObject({ user: null, data: {} });
        expect(forgedAnswer.headers.getSetCookie()[0]).toMatch(/^connect\.sid=;.*Max-Age=0/);
      } finally {
        await server.close();
        await middleware.warden.store.close?.();
      }
    } finally {
      await oldApp.close();
      await opened.close();
    }
  });
});

describe('import arguments', () => {
  it('needs --from, refuses an unknown source kind and a bad --user-key, and says which driver is missing', async () => {
    expect(await runCli(['import', '--store', join(dir, 'x.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('import needs --from') });
    expect(await runCli(['import', '--from', 'mongodb://x', '--store', join(dir, 'x.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown source "mongodb:"') });
    expect(await runCli(['import', '--from', 'sqlite:nothere.sqlite', '--user-key', 'a..b', '--store', join(dir, 'x.sqlite')])).toMatchObject({ code: 2, stderr: expect.stringContaining('--user-key') });
    expect(await runCli(['import', '--from', join(dir, 'missing.sqlite'), '--store', join(dir, 'x.sqlite')])).toMatchObject({ code: 3, stderr: expect.stringContaining('no SQLite file') });
  });

  it('takes the user from --user-key paths', async () => {
    const path = join(dir, 'user-key.sqlite');
    const db = new Database(path);
    db.exec('CREATE TABLE sessions (sid TEXT PRIMARY KEY, sess JSON NOT NULL, expire TEXT NOT NULL)');
    db.prepare('INSERT INTO sessions VALUES (?, ?, ?)').run('one', JSON.stringify({ cookie: {}, account: { id: 7 } }), new Date(Date.now() + DAY).toISOString());
    db.close();
    const target = join(dir, 'user-key-target.sqlite');
    expect((await runCli(['import', '--from', `sqlite:${path}`, '--store', target, '--user-key', 'account.id'])).code).toBe(0);
    const store = sqliteStore({ path: target });
    expect(await store.get(importedSessionId('one'))).toMatchObject({ userId: '7', data: { account: { id: 7 } } });
    await store.close?.();
  });
});
