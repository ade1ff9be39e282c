// SEC-49/SEC-50: the per-user session limit holds under simultaneous logins, over HTTP, across two store handles and
// across two processes, on every store of the table (test/helpers/store-targets.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarden, SessionLimitError, type Warden } from '../src/index.js';
import { openStore } from '../src/stores/open.js';
import { sqliteStore } from '../src/stores/sqlite/index.js';
import { makeRecord, T0 } from '../src/testing/index.js';
import { startHarness } from './helpers/harness.js';
import { processRaceSpec } from './helpers/cross-process.js';
import { storeTargets } from './helpers/store-targets.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const TARGETS = await storeTargets('limit races');

/** One login through the core, as an app's login route does it. */
async function loginOnce(warden: Warden, userId: string): Promise<boolean> {
  const ctx = await warden.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login' });
  try {
    await ctx.login(userId);
    return true;
  } catch (error) {
    if (error instanceof SessionLimitError) return false;
    throw error;
  }
}

/** Run rounds 0..count-1, `width` at a time. */
async function inBatches(count: number, width: number, round: (index: number) => Promise<void>): Promise<void> {
  for (let first = 0; first < count; first += width) {
    await Promise.all(Array.from({ length: Math.min(width, count - first) }, (_, i) => round(first + i)));
  }
}

describe.each(TARGETS)('the session limit on $name, raced by two handles and by two processes', (target) => {
  processRaceSpec(target, 30);

  it.skipIf(target.skip)('SEC-49 1,000 rounds of 8 parallel logins split over two handles: 0 rounds over the limit, in either mode', async () => {
    const fresh = await target.fresh('race_handles');
    const handles = [openStore(fresh.url).store, openStore(fresh.url).store];
    try {
      await handles[0]!.migrate();
      const over: string[] = [];
      for (const onExceed of ['reject', 'evict-oldest'] as const) {
        const wardens = handles.map((store) => createWarden({ store, limit: { max: 3, lockSeconds: 0, onExceed }, storeTimeout: '30s' }));
        // Ten users' rounds at a time: logins of one user contend for its lock, other users' run beside them.
        await inBatches(500, 10, async (round) => {
          const user = `${onExceed}-${round}`;
          const admitted = (await Promise.all(Array.from({ length: 8 }, (_, i) => loginOnce(wardens[i % 2]!, user)))).filter(Boolean).length;
          const live = (await handles[round % 2]!.listByUser(user, Date.now())).length;
          if (live !== 3 || admitted !== (onExceed === 'reject' ? 3 : 8)) over.push(`${onExceed} round ${round}: ${admitted} admitted, ${live} live`);
        });
      }
      expect(over).toEqual([]);
    } finally {
      await Promise.all(handles.map((store) => store.close()));
      await fresh.remove();
    }
  }, 180_000);

  it.skipIf(target.skip)('SEC-30 1,000 rounds of an update and a touch racing an end on the other handle: 0 sessions resurrected', async () => {
    const fresh = await target.fresh('race_resurrect');
    const [a, b] = [openStore(fresh.url).store, openStore(fresh.url).store];
    try {
      await a.migrate();
      const resurrected: string[] = [];
      await inBatches(1000, 10, async (round) => {
        const record = makeRecord({ userId: `u${round}` });
        await a.create({ record, now: T0 });
        const [updated, touched, ended] = await Promise.all([a.update(record.id, { round }), a.touch(record.id, T0 + 5), b.end(record.id, 'logout', T0 + 1)]);
        const after = await b.get(record.id);
        const late = [await a.update(record.id, { late: true }), await a.touch(record.id, T0 + 9)];
        const final = await a.get(record.id);
        if (ended === null || after?.endedAt !== T0 + 1 || late.some(Boolean) || final?.endedAt !== T0 + 1 || (final.data as { late?: boolean }).late) {
          resurrected.push(`round ${round}: update ${updated}, touch ${touched}, ended ${ended !== null}, after ${JSON.stringify(after?.endedAt)}, late writes ${late}`);
        }
      });
      expect(resurrected).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await fresh.remove();
    }
  }, 180_000);
});

describe('session limit under races', () => {
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
  }, 90_000);

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
