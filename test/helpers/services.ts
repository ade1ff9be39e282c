// The servers some tests need (PostgreSQL, Redis): skip on a developer machine without them, fail under CI; and a
// fresh database per test file, so that parallel files (and other people's tests on the same server) never collide.
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** A PostgreSQL server of a test's own: a fresh cluster in a temporary folder on a spare port. */
export interface PrivatePostgres {
  port: number;
  /** A URL for its `postgres` database. */
  url: string;
  /** Stop it: `immediate` kills it as a crash would (committed data survives), `fast` as an orderly shutdown. */
  stop(mode?: 'immediate' | 'fast'): Promise<void>;
  /** Start it again on the same port and data. */
  start(): Promise<void>;
  /** The pids of the server and of every backend, for SIGSTOP/SIGCONT. */
  pids(): number[];
  /** Stop it if running and remove its folder (safe to call twice, and after a failure). */
  destroy(): void;
}

/** Where PostgreSQL's server programs are (initdb, pg_ctl), or null when they are not installed. */
export function postgresBinDir(): string | null {
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
    return existsSync(join(dir, 'pg_ctl')) && existsSync(join(dir, 'initdb')) ? dir : null;
  } catch {
    // No pg_config on PATH: the server programs are not installed here.
    return null;
  }
}

/**
 * Skip (developer machine) or fail (CI) a suite that starts its own PostgreSQL when it cannot: the server programs are
 * missing, or this is not root (the server runs as the postgres user, through runuser). Resolves to "skip".
 * @example
 * const SKIP = await requirePrivatePostgres('outage'); describe.skipIf(SKIP)(…)
 */
export async function requirePrivatePostgres(suite: string): Promise<boolean> {
  const missing = postgresBinDir() === null ? 'no initdb/pg_ctl (pg_config --bindir)' : process.getuid?.() !== 0 ? 'not root (needed for runuser -u postgres)' : null;
  if (missing === null) return false;
  if (ON_CI) throw new Error(`${suite}: cannot start a PostgreSQL server of its own: ${missing}; under CI this fails instead of skipping`);
  console.warn(`${suite}: skipped: cannot start a PostgreSQL server of its own: ${missing}`);
  return true;
}

/** A TCP port nothing listens on right now. */
export async function sparePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * initdb a cluster into a temporary folder owned by postgres and start it on a spare loopback port (fsync off: a test
 * server). Always `destroy()` it in afterAll.
 * @example
 * const server = await startPrivatePostgres(); afterAll(() => server.destroy());
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error('PostgreSQL server programs are not installed');
  const dir = mkdtempSync(join(tmpdir(), 'sw-pg-server-'));
  const data = join(dir, 'data');
  const port = await sparePort();
  const args = {
    start: ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`, 'start'],
    stop: (mode: string) => ['-D', data, '-m', mode, '-w', '-t', '30', 'stop'],
  };
  const runAsPostgres = (program: string, argv: string[]) => ['-u', 'postgres', '--', join(bin, program), ...argv];
  /** Asynchronous, so that a test's load keeps flowing while the server stops or starts. */
  const asPostgres = (program: string, argv: string[]) =>
    new Promise<void>((resolve, reject) => {
      execFile('runuser', runAsPostgres(program, argv), { timeout: 60_000 }, (error, _stdout, stderr) => (error ? reject(new Error(`${program}: ${stderr}`, { cause: error })) : resolve()));
    });
  let running = false;
  chmodSync(dir, 0o755);
  execFileSync('chown', ['postgres', dir]);
  const start = async () => {
    await asPostgres('pg_ctl', args.start);
    running = true;
  };
  await asPostgres('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  await start();
  const server: PrivatePostgres = {
    port,
    url: postgresUrl('postgres', port),
    start,
    async stop(mode = 'immediate') {
      await asPostgres('pg_ctl', args.stop(mode));
      running = false;
    },
    pids() {
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
      return [postmaster, ...children];
    },
    destroy() {
      if (running) {
        try {
          // A server left stopped by SIGSTOP must be woken to shut down.
          for (const pid of server.pids()) process.kill(pid, 'SIGCONT');
          execFileSync('runuser', runAsPostgres('pg_ctl', args.stop('immediate')), { stdio: 'ignore', timeout: 60_000 });
        } catch (error) {
          console.warn(`stopping the test's PostgreSQL server failed: ${(error as Error).message}`);
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A PgBouncer of a test's own in front of the test PostgreSQL server. */
export interface PrivatePgBouncer {
  port: number;
  /** A URL for `database` through the bouncer. */
  urlFor(database: string): string;
  /** Stop it and remove its folder (safe after a failure). */
  destroy(): void;
}

/**
 * Skip (developer machine) or fail (CI) a suite that starts its own PgBouncer when it cannot (not installed, or not
 * root: it runs as the postgres user). Resolves to "skip".
 * @example
 * const SKIP = await requirePgBouncer('PgBouncer');
 */
export async function requirePgBouncer(suite: string): Promise<boolean> {
  let missing: string | null = process.getuid?.() !== 0 ? 'not root (needed for runuser -u postgres)' : null;
  try {
    execFileSync('pgbouncer', ['--version'], { stdio: 'ignore' });
  } catch {
    // Not on PATH: not installed here.
    missing ??= 'pgbouncer is not installed (apt-get install pgbouncer)';
  }
  if (missing === null) return requirePostgres(suite);
  if (ON_CI) throw new Error(`${suite}: cannot start a PgBouncer of its own: ${missing}; under CI this fails instead of skipping`);
  console.warn(`${suite}: skipped: cannot start a PgBouncer of its own: ${missing}`);
  return true;
}

/**
 * Start PgBouncer in transaction pooling mode (the mode that breaks session state and session-level locks) on a spare
 * port, in front of 127.0.0.1:5432, with `poolSize` server connections per database.
 * @example
 * const bouncer = await startPgBouncer(3); afterAll(() => bouncer.destroy());
 */
export async function startPgBouncer(poolSize: number): Promise<PrivatePgBouncer> {
  const dir = mkdtempSync(join(tmpdir(), 'sw-pgbouncer-'));
  chmodSync(dir, 0o755);
  const port = await sparePort();
  const config = join(dir, 'pgbouncer.ini');
  writeFileSync(
    config,
    [
      '[databases]',
      `* = host=${POSTGRES.host} port=${POSTGRES.port} user=${POSTGRES.user}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      `logfile = ${join(dir, 'pgbouncer.log')}`,
      `pidfile = ${join(dir, 'pgbouncer.pid')}`,
      'ignore_startup_parameters = extra_float_digits,options',
    ].join('\n'),
  );
  execFileSync('chown', ['-R', 'postgres', dir]);
  execFileSync('runuser', ['-u', 'postgres', '--', 'pgbouncer', '-d', config], { stdio: 'ignore', timeout: 30_000 });
  const until = Date.now() + 10_000;
  while (!(await isReachable('127.0.0.1', port, 200))) {
    if (Date.now() > until) throw new Error(`pgbouncer did not start: ${readFileSync(join(dir, 'pgbouncer.log'), 'utf8').slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    urlFor: (database) => `postgres://${POSTGRES.user}@127.0.0.1:${port}/${database}`,
    destroy() {
      try {
        process.kill(Number(readFileSync(join(dir, 'pgbouncer.pid'), 'utf8').trim()), 'SIGTERM');
      } catch (error) {
        console.warn(`stopping the test's PgBouncer failed: ${(error as Error).message}`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
