// Redis for tests: skip-or-fail when the server is missing, unique key prefixes, SCAN+DEL clean-up, private servers.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, createCluster, type RedisClientType, type RedisClusterType } from 'redis';
import { ON_CI } from './chromium.js';

/** The shared server the suites use (override with REDIS_URL). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Whether the Redis suites run: true when the server answers; false (with a warning) on a developer machine without it;
 * under CI a missing server throws, so the suite fails instead of passing empty.
 * @example
 * const HAVE_REDIS = await requireRedis('redis store contract');
 * describe.runIf(HAVE_REDIS)('…', () => { … });
 */
export async function requireRedis(suite: string): Promise<boolean> {
  if (await reachable(REDIS_URL)) return true;
  if (ON_CI) throw new Error(`${suite}: Redis is required under CI but ${REDIS_URL} does not answer (.ci/run starts it)`);
  console.warn(`${suite} skipped: Redis does not answer at ${REDIS_URL} (start it with redis-server; under CI this fails instead)`);
  return false;
}

/**
 * A key prefix no other test file, run or engineer shares.
 * @example
 * const prefix = uniquePrefix('contract');
 */
export function uniquePrefix(label: string): string {
  return `swtest:${label}:${randomBytes(4).toString('hex')}:`;
}

/**
 * A connected client on `url`; errors are reported by the calls that fail (an 'error' event nobody hears would throw).
 * @example
 * const client = await connectRedis();
 */
export async function connectRedis(url = REDIS_URL, options: { disableOfflineQueue?: boolean } = {}): Promise<RedisClientType> {
  const client = createClient({ url, ...options }) as RedisClientType;
  client.on('error', () => undefined);
  return client.connect();
}

/** The nodes of a client or cluster to SCAN (every master). */
async function nodesOf(client: RedisClientType | RedisClusterType): Promise<RedisClientType[]> {
  if ('masters' in client) return Promise.all(client.masters.map((node) => client.nodeClient(node) as Promise<RedisClientType>));
  return [client];
}

/**
 * Every key under a prefix, by SCAN on every master (never KEYS).
 * @example
 * const keys = await keysOf(client, prefix);
 */
export async function keysOf(client: RedisClientType | RedisClusterType, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for (const node of await nodesOf(client)) {
    for await (const batch of node.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) keys.push(...batch);
  }
  return keys;
}

/**
 * Delete every key under a prefix: SCAN, then DEL in batches (one key per DEL on a cluster, where keys span slots).
 * @example
 * await deletePrefix(client, prefix);
 */
export async function deletePrefix(client: RedisClientType | RedisClusterType, prefix: string): Promise<number> {
  let deleted = 0;
  for (const node of await nodesOf(client)) {
    for await (const batch of node.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
      if (batch.length === 0) continue;
      // UNLINK per key: on a cluster node, one call may not span slots.
      deleted += (await Promise.all(batch.map((key) => node.unlink(key)))).reduce((sum, n) => sum + n, 0);
    }
  }
  return deleted;
}

/** A spare TCP port on the loopback interface. */
export async function sparePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A redis-server of the test's own, on a spare port in a temporary folder. */
export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  readonly dir: string;
  process: ChildProcess;
  /** Start it again on the same port and folder (after `stop`), loading the dump if there is one. */
  restart(): Promise<void>;
  /** SHUTDOWN (SAVE first when asked) and wait for the process to exit. */
  stop(options?: { save?: boolean }): Promise<void>;
  /** Stop it and delete its folder (always safe to call). */
  destroy(): Promise<void>;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Start a private redis-server (no persistence unless asked: `--save ""`, `--appendonly no`), ready when it answers.
 * @example
 * const server = await startPrivateRedis(); … await server.destroy();
 */
export async function startPrivateRedis(extra: string[] = []): Promise<PrivateRedis> {
  const port = await sparePort();
  const dir = mkdtempSync(join(tmpdir(), 'sw-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  const launch = async () => {
    const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb', ...extra], { stdio: 'ignore' });
    await waitUntil(() => reachable(url, 200), 10_000, `redis-server on port ${port} answering`);
    return child;
  };
  const server: PrivateRedis = {
    port,
    url,
    dir,
    process: await launch(),
    async restart() {
      server.process = await launch();
    },
    async stop({ save = false } = {}) {
      const child = server.process;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const client = await connectRedis(url);
      await client.sendCommand(['SHUTDOWN', save ? 'SAVE' : 'NOSAVE']).catch(() => undefined);
      client.destroy();
      await exited(child);
    },
    async destroy() {
      const child = server.process;
      if (child.exitCode === null && child.signalCode === null) {
        // SIGCONT first: a stopped process does not handle SIGKILL's exit until resumed on some kernels' accounting.
        child.kill('SIGCONT');
        child.kill('SIGKILL');
        await exited(child);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}

/** A local three-master Redis Cluster in a temporary folder. */
export interface LocalCluster {
  readonly ports: readonly number[];
  /** A connected node-redis cluster client (close it yourself). */
  connect(): Promise<RedisClusterType>;
  /** Stop every node and delete the folder (always safe to call). */
  destroy(): Promise<void>;
}

/**
 * Start three `redis-server --cluster-enabled yes` nodes on spare ports, join them with `redis-cli --cluster create`
 * and wait until `cluster_state:ok`; fails with a clear message after `timeoutMs`.
 * @example
 * const cluster = await startLocalCluster(); … await cluster.destroy();
 */
export async function startLocalCluster(timeoutMs = 20_000): Promise<LocalCluster> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'sw-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const destroy = async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    await Promise.all(children.map(exited));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let k = 0; k < 3; k += 1) {
      const port = await sparePort();
      ports.push(port);
      children.push(
        spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' }),
      );
    }
    const left = () => Math.max(1000, timeoutMs - (Date.now() - started));
    for (const port of ports) await waitUntil(() => reachable(`redis://127.0.0.1:${port}`, 200), left(), `cluster node on port ${port} answering`);
    const create = spawn('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    create.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    create.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await Promise.race([
      new Promise<number | null>((resolve) => create.once('exit', (exitCode) => resolve(exitCode))),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), left()).unref()),
    ]);
    if (code !== 0) {
      create.kill('SIGKILL');
      throw new Error(`redis-cli --cluster create failed (${code}): ${output.slice(-500)}`);
    }
    for (const port of ports) {
      await waitUntil(
        async () => {
          const client = await connectRedis(`redis://127.0.0.1:${port}`);
          try {
            return (await client.sendCommand<string>(['CLUSTER', 'INFO'])).includes('cluster_state:ok');
          } finally {
            client.destroy();
          }
        },
        left(),
        `cluster_state:ok on port ${port}`,
      );
    }
  } catch (error) {
    await destroy();
    throw new Error(`could not start a local Redis Cluster within ${timeoutMs} ms: ${(error as Error).message}`, { cause: error });
  }
  return {
    ports,
    connect: async () => {
      const cluster = createCluster({ rootNodes: ports.map((port) => ({ url: `redis://127.0.0.1:${port}` })) }) as RedisClusterType;
      cluster.on('error', () => undefined);
      await cluster.connect();
      return cluster;
    },
    destroy,
  };
}
