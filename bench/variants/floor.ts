// The floor: the least a server-side session check can do on Express (read the cookie, one SHA-256, one indexed SQLite read).
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import express, { type Request } from 'express';
import { BENCH_USER, serveListener, type VariantOptions, type VariantServer } from './index.js';

// The columns and indexes of sessionwarden's SQLite table, copied rather than imported so that the floor never
// depends on the store's internals: the same row width and the same primary-key lookup.
const SCHEMA = `
CREATE TABLE floor_sessions (
  id TEXT PRIMARY KEY NOT NULL,
  secret_hash TEXT NOT NULL,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  authenticated_at INTEGER,
  last_active_at INTEGER NOT NULL,
  idle_timeout INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  gone_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  ended_at INTEGER,
  end_reason TEXT
);
CREATE INDEX floor_sessions_created ON floor_sessions (created_at, id);
CREATE INDEX floor_sessions_user_created ON floor_sessions (user_id, created_at, id);
CREATE INDEX floor_sessions_ip_created ON floor_sessions (ip, created_at, id);
CREATE INDEX floor_sessions_gone_id ON floor_sessions (gone_at, id);
CREATE INDEX floor_sessions_user_gone ON floor_sessions (user_id, gone_at, id);
CREATE INDEX floor_sessions_ip_gone ON floor_sessions (ip, gone_at, id);
`;

const COOKIE = '__Host-sid';

/** The value of the session cookie in a Cookie header, or null. */
function sessionCookie(header: string): string | null {
  const prefix = `${COOKIE}=`;
  let start = header.startsWith(prefix) ? 0 : header.indexOf(`; ${prefix}`);
  if (start === -1) return null;
  if (start > 0) start += 2;
  const end = header.indexOf(';', start);
  return header.slice(start + prefix.length, end === -1 ? undefined : end);
}

/** The floor's session work, framework-neutral: issue a session cookie, and read the user a Cookie header signs in. */
export interface FloorSessions {
  /** A new session row for `userId`; returns the Set-Cookie value. */
  issue(userId: string): string;
  /** The user of the session the Cookie header presents, or null. */
  userOf(cookieHeader: string | undefined): string | null;
  close(): void;
}

/**
 * Open the floor's own better-sqlite3 file (WAL), filled with `sessions` rows of other users: `issue` inserts a row and
 * gives `__Host-sid=<id>.<secret>`, `userOf` reads the row by id and compares SHA-256(secret) with it.
 * @example
 * const floor = openFloor({ dataDir, sessions: 0 });
 */
export function openFloor({ dataDir, sessions }: VariantOptions): FloorSessions {
  const db = new Database(join(dataDir, 'floor.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SCHEMA);
  const insert = db.prepare(
    `INSERT INTO floor_sessions (id, secret_hash, user_id, created_at, authenticated_at, last_active_at, idle_timeout, expires_at, gone_at, ip, user_agent)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const read = db.prepare<[string], [secretHash: string, userId: string | null]>('SELECT secret_hash, user_id FROM floor_sessions WHERE id = ?').raw();

  const issue = (userId: string): string => {
    const now = Date.now();
    const id = randomBytes(16).toString('base64url');
    const secret = randomBytes(32).toString('base64url');
    const expiresAt = now + 12 * 3_600_000;
    insert.run(id, hash('sha256', secret, 'base64url'), userId, now, now, now, 30 * 60_000, expiresAt, expiresAt, '127.0.0.1', 'autocannon');
    return `${id}.${secret}`;
  };
  db.transaction(() => {
    for (let i = 0; i < sessions; i += 1) issue(`user-${i}`);
  })();
  return {
    issue: (userId) => `${COOKIE}=${issue(userId)}; Path=/; HttpOnly; Secure; SameSite=Lax`,
    userOf(header) {
      const token = header === undefined ? null : sessionCookie(header);
      const dot = token === null ? -1 : token.indexOf('.');
      if (token === null || dot <= 0) return null;
      const row = read.get(token.slice(0, dot));
      if (row === undefined) return null;
      const presented = hash('sha256', token.slice(dot + 1), 'buffer');
      const stored = Buffer.from(row[0], 'base64url');
      return stored.length === presented.length && timingSafeEqual(stored, presented) ? row[1] : null;
    },
    close: () => db.close(),
  };
}

/** `req` with the signed-in user the floor middleware sets. */
interface FloorRequest extends Request {
  user?: string | null;
}

/**
 * Start the floor variant on Express: one middleware reads the session, `POST /login` issues one.
 * @example
 * const server = await startFloor({ dataDir, sessions: 0 });
 */
export async function startFloor(options: VariantOptions): Promise<VariantServer> {
  const floor = openFloor(options);
  const app = express();
  app.use(function floorSession(req: FloorRequest, _res, next) {
    req.user = floor.userOf(req.headers.cookie);
    next();
  });
  app.post('/login', function floorLogin(_req, res) {
    res.setHeader('Set-Cookie', floor.issue(BENCH_USER));
    res.json({ ok: true });
  });
  app.get('/me', function floorMe(req: FloorRequest, res) {
    if (!req.user) {
      res.status(401).end();
      return;
    }
    res.json({ user: req.user });
  });
  return serveListener(app, () => floor.close());
}
