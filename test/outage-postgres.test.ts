// SEC-46/SEC-47 on a real PostgreSQL outage: a server of the test's own is killed mid-load and restarted, then hung
// (SIGSTOP) and woken: the app process fails closed, never continues as anonymous, never reports an unsaved write as
// saved, recovers by itself with every session intact, and leaves no live session behind a login it answered 503.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../src/stores/postgres/index.js';
import { Browser, type TestResponse } from './helpers/http.js';
import { requirePrivatePostgres, startPrivatePostgres, type PrivatePostgres } from './helpers/services.js';

const SKIP = await requirePrivatePostgres('PostgreSQL outage');
const JSON_ACCEPT = { accept: 'application/json' };
/** The app's storeTimeout. */
const TIMEOUT_MS = 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(SKIP)('an app process on PostgreSQL through an outage', () => {
  let server: PrivatePostgres;
  let app: ChildProcess;
  let url = '';
  let appPid = 0;
  let appErrors = '';

  beforeAll(async () => {
    server = await startPrivatePostgres();
    const store = postgresStore(server.url);
    await store.migrate();
    await store.close();
    app = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'app-process.ts'), server.url, '0', String(TIMEOUT_MS)], { stdio: ['ignore', 'pipe', 'pipe'] });
    app.stderr!.on('data', (chunk: Buffer) => (appErrors += chunk.toString()));
    const started = await new Promise<{ port: number; pid: number }>((resolve, reject) => {
      let output = '';
      app.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = output.split('\n').find((candidate) => candidate.startsWith('{'));
        if (line) resolve(JSON.parse(line) as { port: number; pid: number });
      });
      app.on('exit', (code) => reject(new Error(`app process exited with ${code}: ${appErrors}`)));
    });
    url = `http://127.0.0.1:${started.port}`;
    appPid = started.pid;
  }, 120_000);

  afterAll(() => {
    app?.kill('SIGTERM');
    // Always: a server left running (or stopped by SIGSTOP) would outlive the test.
    server?.destroy();
  });

  /** Every answer must be a success or a fail-closed 503 with Retry-After: nothing else, ever. */
  function expectClosedOrOk(response: TestResponse, what: string): void {
    if (response.status === 503) expect(response.headers.get('retry-after'), what).toMatch(/^\d+$/);
    else expect(response.status, `${what}: ${response.text.slice(0, 200)}`).toBe(200);
  }

  /** Poll until `check` passes (or the deadline). */
  async function eventually(check: () => Promise<boolean>, deadlineMs: number): Promise<void> {
    const until = Date.now() + deadlineMs;
    while (!(await check())) {
      if (Date.now() > until) throw new Error('did not recover in time');
      await sleep(100);
    }
  }

  it('SEC-46 SEC-47 killed mid-load: 503 + Retry-After, never anonymous, no unsaved write reported saved; restarted: the same process recovers, sessions intact', async () => {
    const users = Array.from({ length: 6 }, (_, i) => `steady-${i}`);
    const browsers = users.map(() => new Browser(url, JSON_ACCEPT));
    for (const [i, browser] of browsers.entries()) {
      expect((await browser.post(`/login/${users[i]}`)).status).toBe(200);
      expect((await browser.post('/write/v0')).status).toBe(200);
    }
    const cookies = browsers.map((browser) => browser.session);
    const acknowledged = browsers.map(() => 'v0');
    const attempted = browsers.map(() => [] as string[]);
    const statuses: number[] = [];
    const logins: Array<{ browser: Browser; user: string }> = [];

    let loading = true;
    const load = browsers.map(async (browser, i) => {
      for (let k = 1; loading; k += 1) {
        const value = `v${k}`;
        attempted[i]!.push(value);
        const wrote = await browser.post(`/write/${value}`);
        expectClosedOrOk(wrote, `write ${value} of ${users[i]}`);
        statuses.push(wrote.status);
        // A write answered 503 may still have landed; one answered 200 must have.
        if (wrote.status === 200) acknowledged[i] = value;
        const me = await browser.get('/me');
        expectClosedOrOk(me, `GET /me of ${users[i]}`);
        statuses.push(me.status);
        if (me.status === 200) expect(me.json<{ user: string }>().user).toBe(users[i]);
        // New sign-ins through the outage: refused with 503, or signed in for real.
        const user = `newcomer-${i}-${k}`;
        const newcomer = new Browser(url, JSON_ACCEPT);
        const login = await newcomer.post(`/login/${user}`);
        expectClosedOrOk(login, `login of ${user}`);
        if (login.status === 200) logins.push({ browser: newcomer, user });
        await sleep(20);
      }
    });

    const timeline: string[] = [];
    const t0 = Date.now();
    await sleep(800);
    await server.stop('immediate');
    timeline.push(`stopped at ${Date.now() - t0} ms`);
    await sleep(1500);
    await server.start();
    timeline.push(`started at ${Date.now() - t0} ms`);
    await sleep(500);
    loading = false;
    await Promise.all(load);

    expect(statuses.filter((status) => status === 503).length, timeline.join(', ')).toBeGreaterThan(0);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThan(0);
    // No answer cleared or replaced a session cookie: nobody was signed out by the outage.
    expect(browsers.map((browser) => browser.session)).toEqual(cookies);

    await eventually(async () => (await browsers[0]!.get('/me')).status === 200, 15_000);
    for (const [i, browser] of browsers.entries()) {
      const me = (await browser.get('/me')).json<{ user: string; value: string; pid: number }>();
      expect(me.user).toBe(users[i]);
      expect(me.pid).toBe(appPid);
      // The last acknowledged write, or a later one that was answered 503 but landed all the same.
      const later = attempted[i]!.slice(attempted[i]!.indexOf(acknowledged[i]!));
      expect(later, `${users[i]} read ${me.value}, last acknowledged ${acknowledged[i]}`).toContain(me.value);
    }
    for (const { browser, user } of logins) expect((await browser.get('/me')).json<{ user: string }>().user).toBe(user);
    expect(app.exitCode).toBeNull();
    console.info(`outage: ${timeline.join(', ')}; ${statuses.filter((status) => status === 503).length} answers 503, ${statuses.filter((status) => status === 200).length} answers 200, ${logins.length} sign-ins`);
  }, 60_000);

  it('SEC-46 a hung server (SIGSTOP): every call answers 503 within storeTimeout; after SIGCONT no login answered 503 left a live session (ended as abandoned)', async () => {
    const owner = new Browser(url, JSON_ACCEPT);
    expect((await owner.post('/login/hang-owner')).status).toBe(200);
    // Warm connections in the pool: the hung calls are sent to backends that will not answer, not refused.
    await Promise.all(Array.from({ length: 6 }, () => owner.get('/me')));
    const pids = server.pids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    let woken = false;
    const wake = () => {
      if (woken) return;
      woken = true;
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    };
    try {
      const timed = async (request: () => Promise<TestResponse>) => {
        const started = performance.now();
        const response = await request();
        return { response, ms: performance.now() - started };
      };
      const answers = await Promise.all([
        ...Array.from({ length: 3 }, () => timed(() => owner.get('/me'))),
        ...Array.from({ length: 5 }, (_, i) => timed(() => new Browser(url, JSON_ACCEPT).post(`/login/hang-${i}`))),
        timed(() => owner.post('/write/during-hang')),
      ]);
      for (const { response, ms } of answers) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
        // storeTimeout is 1 s; the rest is a loaded machine's slack.
        expect(ms).toBeLessThan(TIMEOUT_MS + 3000);
      }
      await sleep(1000);
    } finally {
      wake();
    }
    // Once the hung calls complete, every login that was answered 503 is ended (abandoned), none live.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const rows = async () => (await client.query<{ user_id: string; end_reason: string | null }>("SELECT user_id, end_reason FROM sessionwarden_sessions WHERE user_id LIKE 'hang-%' AND user_id <> 'hang-owner'")).rows;
      // A late create can land after the others were already ended: wait until every row is ended in one snapshot and
      // no new row appeared half a second later (the last late create and its end have landed).
      const ended = (found: Array<{ end_reason: string | null }>) => found.length > 0 && found.every((row) => row.end_reason !== null);
      let found: Array<{ user_id: string; end_reason: string | null }> = [];
      await eventually(async () => {
        const first = await rows();
        if (!ended(first)) return false;
        await sleep(500);
        found = await rows();
        return found.length === first.length && ended(found);
      }, 15_000);
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((row) => row.end_reason === 'abandoned'), JSON.stringify(found)).toBe(true);
    } finally {
      await client.end();
    }
    expect((await owner.get('/me')).status).toBe(200);
    expect(app.exitCode).toBeNull();
  }, 60_000);
});
