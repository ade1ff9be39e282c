// Several processes, one truth: two app processes on one store (every store of test/helpers/store-targets.ts) behave
// as one app: writes, revocations, logouts, the limit and the admin view are the same on both.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/stores/open.js';
import { Browser } from './helpers/http.js';
import { storeTargets, type FreshStore } from './helpers/store-targets.js';

const TARGETS = await storeTargets('multi-process');
const JSON_ACCEPT = { accept: 'application/json' };

/** Start an app process and resolve with its URL once it listens. */
function startApp(children: ChildProcess[], store: string, delayMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'app-process.ts'), store, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line) resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
    child.on('exit', (code) => reject(new Error(`app process exited with ${code}`)));
  });
}

describe.each(TARGETS)('two app processes on one $name store, writes slowed to 30 ms', (target) => {
  const children: ChildProcess[] = [];
  let fresh: FreshStore | null = null;
  let a = '';
  let b = '';
  beforeAll(async () => {
    if (target.skip) return;
    fresh = await target.fresh('multi_process');
    // The schema first, so that neither process's first request pays for it.
    const { store } = openStore(fresh.url);
    await store.migrate();
    await store.close();
    [a, b] = await Promise.all([startApp(children, fresh.url, 30), startApp(children, fresh.url, 30)]);
  }, 60_000);
  afterAll(async () => {
    for (const child of children) child.kill('SIGTERM');
    await fresh?.remove();
  });

  /** A browser signed in as `user` on `url`. */
  async function signedIn(user: string, url: string): Promise<Browser> {
    const browser = new Browser(url, JSON_ACCEPT);
    expect((await browser.post(`/login/${user}`)).status).toBe(200);
    return browser;
  }

  it.skipIf(target.skip)('a write answered by A is read by B on the next request, 100 times out of 100 (the first one creates the session)', async () => {
    const browser = new Browser(a);
    const misses: string[] = [];
    for (let round = 0; round < 100; round += 1) {
      const writer = round % 2 === 0 ? a : b;
      const reader = writer === a ? b : a;
      const wrote = await browser.request('POST', `${writer}/write/v${round}`);
      expect(wrote.status).toBe(200);
      const read = await browser.request('GET', `${reader}/read`);
      const value = read.json<{ value: string | null }>().value;
      if (value !== `v${round}`) misses.push(`round ${round}: wrote v${round}, read ${value}`);
    }
    expect(misses).toEqual([]);
  });

  it.skipIf(target.skip)('SEC-29 a session revoked by the admin on A is refused on B at its next request', async () => {
    const victim = await signedIn('victim', a);
    const onB = await victim.get(`${b}/me`);
    expect(onB.status).toBe(200);
    const { id } = onB.json<{ id: string }>();
    const admin = await signedIn('admin', a);
    const { token } = (await admin.get('/csrf')).json<{ token: string }>();
    expect((await admin.request('DELETE', `/admin/sessions/${id}`, { headers: { 'x-csrf-token': token } })).status).toBe(200);
    const refused = await victim.get(`${b}/me`);
    expect(refused.status).toBe(401);
    expect(refused.json()).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
  });

  it.skipIf(target.skip)('SEC-28 a logout on A ends the session on B at its next request, also for a copy of the old cookie', async () => {
    const browser = await signedIn('leaver', a);
    expect((await browser.get(`${b}/me`)).status).toBe(200);
    const copy = new Browser(b, JSON_ACCEPT);
    copy.cookies = new Map(browser.cookies);
    expect((await browser.post(`${a}/logout`)).status).toBe(200);
    const refused = await copy.get(`${b}/me`);
    expect(refused.status).toBe(401);
    expect(refused.json()).toEqual({ error: 'session_ended', reason: 'logout' });
  });

  it.skipIf(target.skip)('SEC-49 twenty parallel logins of one user spread over A and B: exactly the limit (2) get in, on both', async () => {
    const browsers = Array.from({ length: 20 }, (_, i) => new Browser(i % 2 === 0 ? a : b, JSON_ACCEPT));
    const statuses = await Promise.all(browsers.map(async (browser) => (await browser.post('/login/limited-carol')).status));
    expect(statuses.filter((status) => status === 200)).toHaveLength(2);
    expect(statuses.filter((status) => status === 409)).toHaveLength(18);
    const admin = await signedIn('admin', b);
    const listed = (await admin.get('/admin/sessions?q=limited-carol&status=active')).json<{ sessions: unknown[] }>();
    expect(listed.sessions).toHaveLength(2);
  });

  it.skipIf(target.skip)('the admin view on B lists the sessions created on A, and finds them by user', async () => {
    const created = await Promise.all(['dora', 'dora', 'emil'].map(async (user) => (await (await signedIn(user, a)).get('/me')).json<{ id: string; pid: number }>()));
    const admin = await signedIn('admin', b);
    const page = (await admin.get('/admin/sessions?status=active')).json<{ sessions: Array<{ id: string }> }>();
    expect(page.sessions.map((session) => session.id)).toEqual(expect.arrayContaining(created.map((session) => session.id)));
    const doras = (await admin.get('/admin/sessions?q=dora')).json<{ sessions: Array<{ id: string; userId: string }> }>();
    expect(doras.sessions.map((session) => session.id).sort()).toEqual(created.slice(0, 2).map((session) => session.id).sort());
    const [pidA, pidB] = [created[0]!.pid, (await admin.get('/me')).json<{ pid: number }>().pid];
    expect(pidA).not.toBe(pidB);
  });
});
