// F10/F11 (SEC-46, SEC-47): a SQLite store whose commits really fail. The app process's file size is capped
// (RLIMIT_FSIZE through prlimit, no root needed) at the size its WAL has reached, so the next commit cannot append
// its frames: the write fails when SQLite commits, as on a full disk. Logout and revoke must then answer an error,
// never a success that was not saved; a login answers 503 with Retry-After; the log gets one line per kind of failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'sw-commit-'));
const dbPath = join(dir, 'sessions.sqlite');

interface App {
  url: string;
  pid: number;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

function startApp(): Promise<App> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'commit-failure-app.ts'), dbPath], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'development' } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
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
      if (line) {
        const { port, pid } = JSON.parse(line) as { port: number; pid: number };
        resolve({ url: `http://127.0.0.1:${port}`, pid, child, stderr: () => stderr, stop });
      }
    });
    child.once('exit', (code) => reject(new Error(`app exited with ${code}: ${stderr}`)));
  });
}

interface Signed {
  cookie: string;
  id: string;
  csrf: string;
}

async function login(app: App, user: string): Promise<Response & { signed?: Signed }> {
  const response = await fetch(`${app.url}/login/${user}`, { method: 'POST' });
  if (response.status !== 200) return response;
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const body = (await response.json()) as { id: string; csrf: string };
  return Object.assign(response, { signed: { cookie, id: body.id, csrf: body.csrf } });
}

async function isLive(app: App, session: Signed): Promise<boolean> {
  const response = await fetch(`${app.url}/me`, { headers: { cookie: session.cookie, accept: 'application/json' } });
  return response.status === 200;
}

function capFileSize(pid: number, bytes: number | 'unlimited'): void {
  // Soft limit only, so the same (unprivileged) user can lift it again.
  const result = spawnSync('prlimit', ['--pid', String(pid), `--fsize=${bytes}:`]);
  if (result.status !== 0) throw new Error(`prlimit failed: ${result.stderr.toString()}`);
}

describe.skipIf(!hasPrlimit && process.env.CI !== 'true')('SQLite commits that fail (F10, F11)', () => {
  let app: App;
  beforeAll(async () => {
    app = await startApp();
  }, 30_000);
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SEC-47 SEC-46 logout and revoke fail closed, login answers 503 with Retry-After, one log line per kind; after a restart nothing acknowledged is undone', async () => {
    const a = (await login(app, 'alice')).signed!;
    const b = (await login(app, 'alice')).signed!;
    expect(await isLive(app, a)).toBe(true);
    // From here on, no file of this process may grow: the WAL is at its size, the next commit must append to it.
    capFileSize(app.pid, statSync(`${dbPath}-wal`).size);
    const before = app.stderr().length;

    const logout = await fetch(`${app.url}/logout`, { method: 'POST', headers: { cookie: a.cookie, accept: 'application/json' } });
    const revoke = await fetch(`${app.url}/account/sessions/${b.id}/revoke`, {
      method: 'POST',
      headers: { cookie: a.cookie, accept: 'application/json', 'x-csrf-token': a.csrf, 'sec-fetch-site': 'same-origin' },
    });
    const logins = [];
    for (let i = 0; i < 12; i += 1) logins.push(await login(app, `user${i}`));
    const logTail = app.stderr().slice(before);

    capFileSize(app.pid, 'unlimited');
    // What the app answered: an error, never a success it did not save.
    expect(logout.status, await logout.clone().text()).toBe(503);
    expect(revoke.status, await revoke.clone().text()).toBe(503);
    expect(revoke.headers.get('retry-after')).toBe('5');
    for (const response of logins) {
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const text = await response.text();
      expect(text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
    }
    // 12 failed logins and 2 failed ends: at most one line per kind of failure (store-error code and handler kind).
    const lines = logTail.split('\n').filter((line) => /sessionwarden|SessionStoreError|STORE_/.test(line));
    expect(lines.length, logTail).toBeGreaterThan(0);
    expect(lines.length, logTail).toBeLessThanOrEqual(4);
    expect(logTail).not.toMatch(/\n\s+at /);

    // The store works again without a restart, and a restarted app on the same file agrees.
    expect(await isLive(app, a)).toBe(true);
    expect(await isLive(app, b)).toBe(true);
    await app.stop();
    app = await startApp();
    expect(await isLive(app, a)).toBe(true);
    expect(await isLive(app, b)).toBe(true);
    const retried = await fetch(`${app.url}/logout`, { method: 'POST', headers: { cookie: a.cookie, accept: 'application/json' } });
    expect(retried.status).toBe(200);
    expect(await isLive(app, a)).toBe(false);
  }, 60_000);
});
