// SEC-49/SEC-50: the per-user session limit holds under simultaneous logins, over HTTP and across two processes.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteStore } from '../src/stores/sqlite/index.js';
import { startHarness } from './helpers/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Start a worker process and resolve once it is ready for "go". */
function startWorker(args: string[]): Promise<{ go(): void; result: Promise<{ tag: string; results: Array<{ ok: number; refused: number }> }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('test', 'fixtures', 'race-worker.ts'), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<{ tag: string; results: Array<{ ok: number; refused: number }> }>((resolve, reject) => {
      child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output.split('\n').find((line) => line.startsWith('{'))!)) : reject(new Error(`worker exited with ${code}`))));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.startsWith('ready')) resolveReady({ go: () => child.stdin.write('go\n'), result });
    });
    child.on('error', rejectReady);
  });
}

describe('session limit under races', () => {
  it.each(['reject', 'evict-oldest'] as const)('SEC-49 two processes sharing one SQLite file never exceed max (%s, 30 rounds x 2 x 12 logins)', async (mode) => {
    const path = join(dir, `race-${mode}.sqlite`);
    sqliteStore({ path }).close();
    const rounds = 30;
    const workers = await Promise.all(['A', 'B'].map((tag) => startWorker([path, mode, String(rounds), '12', tag])));
    workers.forEach((worker) => worker.go());
    const [a, b] = await Promise.all(workers.map((worker) => worker.result));
    const store = sqliteStore({ path });
    try {
      for (let i = 0; i < rounds; i += 1) {
        const live = await store.listByUser(`user-${i}`, Date.now());
        const ok = a!.results[i]!.ok + b!.results[i]!.ok;
        expect(live.length, `round ${i} (${mode}): ${live.length} live sessions`).toBe(3);
        if (mode === 'reject') expect(ok, `round ${i} (reject): ${ok} logins admitted`).toBe(3);
        else expect(ok, `round ${i} (evict-oldest): ${ok} logins admitted`).toBe(24);
      }
    } finally {
      await store.close();
    }
  });

  it('SEC-49 fifty simultaneous HTTP logins of one user, 20 times: reject admits exactly max, evict-oldest keeps exactly max', async () => {
    for (const onExceed of ['reject', 'evict-oldest'] as const) {
      const h = await startHarness({ store: sqliteStore({ path: join(dir, `http-${onExceed}.sqlite`) }), limit: { max: 3, lockSeconds: 0, onExceed } });
      try {
        for (let iteration = 0; iteration < 20; iteration += 1) {
          const user = `u${iteration}`;
          const browsers = Array.from({ length: 50 }, () => h.browser({ accept: 'application/json' }));
          const responses = await Promise.all(browsers.map((browser) => browser.post('/test/login', { user })));
          const admitted = responses.filter((response) => response.status === 200).length;
          const live = (await h.warden.listUserSessions(user)).length;
          expect(live, `iteration ${iteration} (${onExceed}): ${live} live`).toBe(3);
          expect(admitted, `iteration ${iteration} (${onExceed}): ${admitted} admitted`).toBe(onExceed === 'reject' ? 3 : 50);
          if (onExceed === 'evict-oldest') {
            const statuses = await Promise.all(browsers.map(async (browser) => (await browser.get('/me')).status));
            expect(statuses.filter((status) => status === 200)).toHaveLength(3);
          } else {
            expect(responses.filter((response) => response.status === 409).every((response) => response.headers.get('retry-after') !== null)).toBe(true);
          }
        }
      } finally {
        await h.close();
      }
    }
  });

  it('SEC-50 an eviction emits one replaced event, and the evicted browser gets session_ended/replaced', async () => {
    const h = await startHarness({ limit: { max: 1, lockSeconds: 300 } });
    try {
      const first = h.browser({ accept: 'application/json' });
      await first.post('/test/login', { user: 'alice' });
      const second = h.browser({ accept: 'application/json' });
      const refused = await second.post('/test/login', { user: 'alice' });
      expect(refused.status).toBe(409);
      expect(refused.headers.get('retry-after')).toBe('300');
      expect(h.events.filter((event) => event.type === 'refused')).toHaveLength(1);
      h.clock.advance(301_000);
      await first.get('/me');
      expect((await second.post('/test/login', { user: 'alice' })).status).toBe(200);
      const replaced = h.events.filter((event) => event.type === 'replaced');
      expect(replaced).toHaveLength(1);
      expect(replaced[0]!.session!.endReason).toBe('replaced');
      expect(JSON.stringify(replaced[0])).not.toContain('secretHash');
      expect((await first.get('/me')).json()).toEqual({ error: 'session_ended', reason: 'replaced' });
      expect((await second.get('/me')).status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('a max function gives admins no limit and others one session; a re-login from the same browser does not count twice', async () => {
    const h = await startHarness({ limit: { max: (userId) => (userId === 'admin' ? Infinity : 1), lockSeconds: 300, onExceed: 'reject' } });
    try {
      for (let i = 0; i < 4; i += 1) expect((await h.browser().post('/test/login', { user: 'admin' })).status).toBe(200);
      const alice = h.browser();
      expect((await alice.post('/test/login', { user: 'alice' })).status).toBe(200);
      expect((await alice.post('/test/login', { user: 'alice' })).status).toBe(200);
      expect((await h.browser().post('/test/login', { user: 'alice' })).status).toBe(409);
      expect(await h.warden.listUserSessions('alice')).toHaveLength(1);
    } finally {
      await h.close();
    }
  });
});
