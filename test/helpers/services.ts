// The servers some tests need (PostgreSQL, Redis): skip on a developer machine without them, fail under CI; and a
// fresh database per test file, so that parallel files (and other people's tests on the same server) never collide.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'node:net';
import pg from 'pg';
import { ON_CI } from './chromium.js';

/** A server a suite needs, and how to start it when it is down. */
export interface Service {
  name: string;
  host: string;
  port: number;
  /** What to run when it is down (printed in the skip or failure message). */
  start: string;
}

/**
 * Whether something accepts TCP connections at host:port within `timeoutMs`.
 * @example
 * await isReachable('127.0.0.1', 5432)
 */
export function isReachable(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Check a service once per test file: resolves to `true` ("skip") on a developer machine where it is down, with a
 * warning; under CI=true a missing service throws, so the file fails instead of passing by skipping.
 * @example
 * const SKIP = await requireService({ name: 'Redis', host: '127.0.0.1', port: 6379, start: 'redis-server' }, 'redis store');
 */
export async function requireService(service: Service, suite: string): Promise<boolean> {
  if (await isReachable(service.host, service.port)) return false;
  const message = `${suite}: no ${service.name} at ${service.host}:${service.port} (start it: ${service.start})`;
  if (ON_CI) throw new Error(`${message}; under CI this fails instead of skipping`);
  console.warn(`${message}; skipped (under CI=true this fails)`);
  return true;
}

/** The PostgreSQL the tests use: trust auth, the `test` database as the place to create fresh ones from. */
export const POSTGRES = {
  name: 'PostgreSQL',
  host: '127.0.0.1',
  port: 5432,
  user: 'postgres',
  database: 'test',
  start: 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
} as const;

/** A connection URL for a database of the test server. */
export function postgresUrl(database: string, port: number = POSTGRES.port): string {
  return `postgres://${POSTGRES.user}@${POSTGRES.host}:${port}/${database}`;
}

/**
 * Skip (developer machine) or fail (CI) a PostgreSQL suite when 127.0.0.1:5432 does not answer; resolves to "skip".
 * @example
 * const SKIP = await requirePostgres('PostgreSQL store'); describe.skipIf(SKIP)('…', () => { … });
 */
export function requirePostgres(suite: string): Promise<boolean> {
  return requireService(POSTGRES, suite);
}

/** A database of its own for one test file; `drop()` removes it (and ends whatever is still connected). */
export interface FreshDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Create an empty database named after the test file (`label`), unique per run.
 * @example
 * const db = await freshPostgresDatabase('pg_contract'); afterAll(() => db.drop());
 */
export async function freshPostgresDatabase(label: string, port: number = POSTGRES.port): Promise<FreshDatabase> {
  if (!/^[a-z][a-z0-9_]{0,30}$/.test(label)) throw new Error(`database label ${JSON.stringify(label)}: lower-case letters, digits and _ only`);
  const name = `sw_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(port, `CREATE DATABASE ${name}`);
  return {
    name,
    url: postgresUrl(name, port),
    drop: async () => {
      await adminQuery(port, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** Run one statement on the server's `test` database on a connection of its own. */
export async function adminQuery(port: number, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: postgresUrl(POSTGRES.database, port) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
