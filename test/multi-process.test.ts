// Two app processes on one store behave as one: a write answered by A is read by B on the very next request.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/stores/sqlite/index.js';
import { Browser } from './helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-multi-'));
const children: ChildProcess[] = [];

/** Start an app process and resolve with its URL once it listens. */
function startApp(path: string, delayMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'app-process.ts'), path, String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

describe('two app processes on one SQLite file, writes slowed to 30 ms', () => {
  let urls: string[] = [];
  beforeAll(async () => {
    const path = join(dir, 'shared.sqlite');
    await sqliteStore({ path }).close();
    urls = await Promise.all([startApp(path, 30), startApp(path, 30)]);
  }, 60_000);
  afterAll(() => {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write answered by A is read by B on the next request, 100 times out of 100 (the first one creates the session)', async () => {
    const [a, b] = urls as [string, string];
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
});
