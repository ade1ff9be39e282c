// Child processes for the Redis tests: app processes and race workers on one Redis (or cluster), and the scenarios
// that prove several processes behave as one.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { Browser } from './http.js';

/** A running app process. */
export interface AppProcess {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Start `test/fixtures/redis-app-process.ts` on a store target ("redis://…" or "cluster:ports") and key prefix.
 * @example
 * const app = await startRedisApp('redis://127.0.0.1:6379', prefix);
 */
export function startRedisApp(target: string, prefix: string, storeTimeoutMs?: number): Promise<AppProcess> {
  const args = ['--import', 'tsx', join('test', 'fixtures', 'redis-app-process.ts'), target, prefix, ...(storeTimeoutMs ? [String(storeTimeoutMs)] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  };
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve({ url: `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`, child, stop });
    });
    child.once('exit', (code) => reject(new Error(`app process exited with ${code}`)));
  });
}

type RaceResult = { tag: string; results: Array<{ ok: number; refused: number }> };

/**
 * Start `test/fixtures/redis-race-worker.ts`; it logs users in when told "go".
 * @example
 * const worker = await startRaceWorker([target, prefix, 'reject', '100', '12', 'A']);
 */
export function startRaceWorker(args: string[]): Promise<{ go(): void; result: Promise<RaceResult> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'redis-race-worker.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<RaceResult>((resolve, reject) => {
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!) as RaceResult) : reject(new Error(`worker exited with ${code}`))));
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready')) resolveReady({ go: () => child.stdin!.write('go\n'), result });
    });
    child.on('error', rejectReady);
  });
}

/**
 * The multi-process scenarios (issue item 5), as `it` cases over two app processes that `apps()` returns once started.
 * @example
 * twoProcessScenarios(() => apps);
 */
export function twoProcessScenarios(apps: () => readonly [AppProcess, AppProcess]): void {
  it('SEC-29 revoke on A is refused on B at the next request; logout on A likewise', async () => {
    const [a, b] = apps();
    const browser = new Browser(a.url, { accept: 'application/json' });
    const login = await browser.post(`${a.url}/login/revoke-me`);
    expect(login.status).toBe(200);
    const { id } = login.json<{ id: string }>();
    expect((await browser.get(`${b.url}/me`)).json()).toMatchObject({ user: 'revoke-me', id });
    expect((await new Browser(a.url).post(`${a.url}/revoke/${id}`)).json()).toEqual({ revoked: true });
    expect((await browser.get(`${b.url}/me`)).status).toBe(401);
    const other = new Browser(a.url, { accept: 'application/json' });
    expect((await other.post(`${a.url}/login/logout-me`)).status).toBe(200);
    expect((await other.get(`${b.url}/me`)).status).toBe(200);
    const saved = other.cookieHeader;
    await other.post(`${a.url}/logout`);
    expect((await other.get(`${b.url}/me`, { cookie: saved })).status).toBe(401);
  });

  it('a data write answered by A is read by B on the next request, 50 times out of 50', async () => {
    const [a, b] = apps();
    const browser = new Browser(a.url);
    const misses: string[] = [];
    for (let round = 0; round < 50; round += 1) {
      const [writer, reader] = round % 2 === 0 ? [a, b] : [b, a];
      expect((await browser.post(`${writer.url}/write/v${round}`)).status).toBe(200);
      const value = (await browser.get(`${reader.url}/read`)).json<{ value: string | null }>().value;
      if (value !== `v${round}`) misses.push(`round ${round}: read ${value}`);
    }
    expect(misses).toEqual([]);
  });

  it('parallel logins spread over A and B respect the limit (max 3, reject), 10 users x 16 logins', async () => {
    const [a, b] = apps();
    for (let user = 0; user < 10; user += 1) {
      const responses = await Promise.all(Array.from({ length: 16 }, (_, k) => new Browser(a.url).post(`${(k % 2 ? a : b).url}/login/limited-${user}`)));
      expect(responses.filter((response) => response.status === 200), `user ${user}`).toHaveLength(3);
      expect(responses.filter((response) => response.status === 409), `user ${user}`).toHaveLength(13);
    }
  });

  it('the admin view on B lists sessions created on A', async () => {
    const [a, b] = apps();
    const ids: string[] = [];
    for (let k = 0; k < 3; k += 1) ids.push((await new Browser(a.url).post(`${a.url}/login/listed`)).json<{ id: string }>().id);
    const listed = (await new Browser(b.url).get(`${b.url}/admin/sessions?user=listed`)).json<{ ids: string[] }>().ids;
    expect([...listed].sort()).toEqual([...ids].sort());
  });
}
