// `SESSIONWARDEN_WORKERS=2 npm start`: two node:cluster workers of the demo on one store (every store of the table)
// both answer, each logs its pid, and a session signed in on one is the same session on the other.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sparePort } from './helpers/services.js';
import { storeTargets, type FreshStore } from './helpers/store-targets.js';

const TARGETS = await storeTargets('demo workers');

interface Answer {
  status: number;
  worker: string | undefined;
  cookie: string | undefined;
  body: string;
}

/** One request on a connection of its own (so that the cluster's round robin can hand it to any worker). */
function ask(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode!, worker: res.headers['x-demo-worker'] as string | undefined, cookie: res.headers['set-cookie']?.[0]?.split(';')[0], body: text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(TARGETS)('the demo as two workers on one $name store', (target) => {
  let child: ChildProcess | null = null;
  let fresh: FreshStore | null = null;
  let port = 0;
  let output = '';
  const pids: string[] = [];

  beforeAll(async () => {
    if (target.skip) return;
    fresh = await target.fresh('demo_workers');
    port = await sparePort();
    child = spawn(process.execPath, ['--import', 'tsx', join('demo', 'server.ts')], {
      env: { ...process.env, PORT: String(port), SESSIONWARDEN_WORKERS: '2', SESSIONWARDEN_STORE: fresh.url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        pids.splice(0, pids.length, ...[...output.matchAll(/^worker pid (\d+): sessionwarden demo on http/gm)].map((match) => match[1]!));
        if (pids.length === 2) resolve();
      });
      child!.on('exit', (code) => reject(new Error(`the demo exited with ${code}: ${output}`)));
    });
  }, 60_000);

  afterAll(async () => {
    if (child !== null && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await fresh?.remove();
  });

  it.skipIf(target.skip)('both workers log their pid, answer, and know the session signed in on either', async () => {
    expect(output).toMatch(/starting 2 workers \(primary pid \d+\) on one store/);
    expect(new Set(pids).size).toBe(2);
    const same = { 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${port}` };
    const login = await ask(port, 'POST', '/login', { ...same, 'content-type': 'application/x-www-form-urlencoded' }, 'username=alice&password=demo');
    expect(login.status).toBe(303);
    expect(login.cookie).toMatch(/^__Host-sid=/);
    const seen = new Map<string, string>();
    // Bounded: the round robin alternates, so a few requests reach both.
    for (let i = 0; i < 20 && seen.size < 2; i += 1) {
      const me = await ask(port, 'GET', '/api/me', { cookie: login.cookie!, accept: 'application/json' });
      expect(me.status, me.body).toBe(200);
      seen.set(me.worker!, (JSON.parse(me.body) as { session: { id: string } }).session.id);
    }
    expect([...seen.keys()].sort()).toEqual([...pids].sort());
    expect(new Set(seen.values()).size).toBe(1);
  });
});
