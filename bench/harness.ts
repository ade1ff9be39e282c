// Shared by the benchmark and the profiler: start a variant's server child, sign in, and load it with autocannon.
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { buildServerChild } from './build-child.js';
import type { ChildMessage, ParentMessage } from './server-child.js';
import { BENCH_USER, type VariantName } from './variants/index.js';

const require = createRequire(import.meta.url);

/** The repository root: children run from here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundled child, built once per run. */
let childScript: Promise<string> | null = null;

// autocannon ships no type declarations: the part of its programmatic API used here, typed locally.
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  method?: 'GET';
  headers?: Record<string, string>;
}

interface AutocannonResult {
  /** Per-second samples; `total` is every completed request. */
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

type Autocannon = (options: AutocannonOptions) => Promise<AutocannonResult>;

const autocannon = require('autocannon') as Autocannon;

/** A variant server running in its own process. */
export interface RunningServer {
  variant: VariantName;
  /** Sessions of other users in its store. */
  sessions: number;
  url: string;
  child: ChildProcess;
  /** Ask the child to exit normally (so profiles get written) and wait for it. */
  stop(): Promise<void>;
}

/**
 * Options of `startServer`.
 * @example
 * await startServer('sessionwarden', { sessions: 100_000 })
 */
export interface StartServerOptions {
  /** Sessions of other users to store first. @default 0 */
  sessions?: number;
  /** Extra Node flags for the child (e.g. `--cpu-prof`). @default [] */
  nodeFlags?: readonly string[];
  /** How long start-up (including pre-population) may take. @default 300_000 (ms) */
  startTimeoutMs?: number;
}

/**
 * Start one variant in a child process (its own heap and event loop) and wait until it listens.
 * @example
 * const server = await startServer('bare'); … await server.stop();
 */
export async function startServer(variant: VariantName, options: StartServerOptions = {}): Promise<RunningServer> {
  const sessions = options.sessions ?? 0;
  childScript ??= buildServerChild();
  // Plain Node, as an app runs: no TypeScript loader in the measured process.
  const child = fork(await childScript, [variant, '0', '--sessions', String(sessions)], {
    cwd: REPO_ROOT,
    execArgv: [...(options.nodeFlags ?? [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    if (child.connected) child.send('stop');
    const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killer);
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${variant} server did not start within ${options.startTimeoutMs ?? 300_000} ms`));
    }, options.startTimeoutMs ?? 300_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${variant} server exited before listening (code ${code}, signal ${signal})`));
    });
    child.on('message', (raw) => {
      const message = raw as ChildMessage;
      if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${variant} server failed to start:\n${message.message}`));
      } else if (message.type === 'listening') {
        clearTimeout(timer);
        resolve({ variant, sessions, url: `http://127.0.0.1:${message.port}`, child, stop });
      }
    });
  });
}

/**
 * The CPU time (user + system, µs) the server child has used so far: per request, it is far less sensitive than
 * req/s to other jobs taking a core.
 * @example
 * const before = await cpuMicros(server);
 */
export function cpuMicros(server: RunningServer): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const reply = raw as ChildMessage;
      if (reply.type !== 'cpu') return;
      server.child.off('message', onMessage);
      resolve(reply.micros);
    };
    server.child.on('message', onMessage);
    server.child.send('cpu' satisfies ParentMessage, (error) => {
      if (error) {
        server.child.off('message', onMessage);
        reject(error);
      }
    });
  });
}

/**
 * Sign in once (`POST /login`), return the Cookie header to replay, and check that `GET /me` answers with the user.
 * @example
 * const cookie = await signIn(server.url);
 */
export async function signIn(url: string): Promise<string> {
  const login = await fetch(`${url}/login`, { method: 'POST' });
  if (login.status !== 200) throw new Error(`POST /login answered ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((header) => header.split(';', 1)[0] ?? '')
    .filter((pair) => pair.includes('='))
    .join('; ');
  const me = await fetch(`${url}/me`, { headers: cookie ? { cookie } : {} });
  const body = await me.text();
  if (me.status !== 200 || body !== JSON.stringify({ user: BENCH_USER })) {
    throw new Error(`GET /me with the login cookie answered ${me.status} ${body}`);
  }
  return cookie;
}

/** One autocannon run's figures. */
export interface Measurement {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/**
 * Load `GET /me` with the session cookie for `seconds`; throws unless every response was a 200 without errors.
 * @example
 * const { requestsPerSecond } = await measure(server.url, cookie, { seconds: 5, connections: 10 });
 */
export async function measure(url: string, cookie: string, options: { seconds: number; connections: number }): Promise<Measurement> {
  const result = await autocannon({
    url: `${url}/me`,
    method: 'GET',
    connections: options.connections,
    duration: options.seconds,
    headers: cookie ? { cookie } : {},
  });
  const statuses = Object.entries(result.statusCodeStats).map(([code, { count }]) => `${code}×${count}`).join(', ');
  if (result.non2xx !== 0 || result.errors !== 0 || result.timeouts !== 0 || result.requests.total === 0) {
    throw new Error(`GET /me at ${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts (statuses: ${statuses || 'none'})`);
  }
  const other = Object.keys(result.statusCodeStats).filter((code) => code !== '200');
  if (other.length > 0) throw new Error(`GET /me at ${url} answered statuses other than 200: ${statuses}`);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
