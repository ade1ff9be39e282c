// Several processes, one truth: the scenarios every store runs with two app processes (multi-process.test.ts runs them
// on each store of store-targets.ts, the Redis Cluster test on a local cluster).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/stores/open.js';
import { Browser } from './http.js';
import { startAppProcess, startRaceWorker, type AppProcess } from './processes.js';
import type { FreshStore, StoreTarget } from './store-targets.js';

const JSON_ACCEPT = { accept: 'application/json' };

/**
 * Two app processes on one fresh store of `target`, writes slowed to 30 ms: writes, revocations, logouts, the limit
 * and the admin view are the same on both.
 * @example
 * twoAppProcessesSpec(target);
 */
export function twoAppProcessesSpec(target: StoreTarget): void {
  describe(`two app processes on one ${target.name} store, writes slowed to 30 ms`, () => {
    let apps: AppProcess[] = [];
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
      apps = await Promise.all([startAppProcess(fresh.url, 30), startAppProcess(fresh.url, 30)]);
      [a, b] = apps.map((app) => app.url) as [string, string];
    }, 60_000);
    afterAll(async () => {
      await Promise.all(apps.map((app) => app.stop()));
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
}

/**
 * Two race-worker processes logging the same users in on one fresh store of `target`: never more than the limit (3),
 * in reject and in evict-oldest mode.
 * @example
 * processRaceSpec(target, 30);
 */
export function processRaceSpec(target: StoreTarget, rounds: number): void {
  it.skipIf(target.skip).each(['reject', 'evict-oldest'] as const)(`SEC-49 two processes sharing one store never exceed max (%s, ${rounds} rounds x 2 x 12 logins)`, async (mode) => {
    const fresh = await target.fresh(`race_${mode.replace('-', '_')}`);
    try {
      const workers = await Promise.all(['A', 'B'].map((tag) => startRaceWorker([fresh.url, mode, String(rounds), '12', tag])));
      workers.forEach((worker) => worker.go());
      const [a, b] = await Promise.all(workers.map((worker) => worker.result));
      const { store } = openStore(fresh.url);
      try {
        for (let i = 0; i < rounds; i += 1) {
          const live = await store.listByUser(`${mode}-user-${i}`, Date.now());
          const ok = a!.results[i]!.ok + b!.results[i]!.ok;
          expect(live.length, `round ${i} (${mode}): ${live.length} live sessions`).toBe(3);
          if (mode === 'reject') expect(ok, `round ${i} (reject): ${ok} logins admitted`).toBe(3);
          else expect(ok, `round ${i} (evict-oldest): ${ok} logins admitted`).toBe(24);
        }
      } finally {
        await store.close();
      }
    } finally {
      await fresh.remove();
    }
  });
}
