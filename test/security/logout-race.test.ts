// F2: a logout sent with the cookie that a concurrent rotation is replacing must end the successor too.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/index.js';
import { csrfTokenFor, parseToken } from '../../src/core/token.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { startHarness } from '../helpers/harness.js';
import { slowStore } from '../helpers/slow-store.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-logout-race-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROUNDS = 100;

async function race(store: SessionStore): Promise<{ live: number; logoutOk: number; rotated: number }> {
  const h = await startHarness({ store });
  try {
    let live = 0;
    let logoutOk = 0;
    let rotated = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      const user = `racer-${round}`;
      const browser = h.browser({ accept: 'application/json' });
      await browser.post('/test/login', { user });
      const cookie = `__Host-sid=${browser.session!}`;
      const csrf = csrfTokenFor((await h.store.get(parseToken(browser.session!)!.id))!);
      const headers = { cookie, 'sec-fetch-site': 'same-origin', accept: 'application/json' };
      const [reauth, logout] = await Promise.all([
        fetch(`${h.url}/test/reauthenticate`, { method: 'POST', headers }),
        // 0 to 3 ms later: sometimes before the rotation, sometimes during, sometimes after.
        new Promise((resolve) => setTimeout(resolve, round % 4)).then(() => fetch(`${h.url}/logout`, { method: 'POST', headers: { ...headers, 'x-csrf-token': csrf }, redirect: 'manual' })),
      ]);
      if (reauth.status === 200) rotated += 1;
      if (logout.status === 303) logoutOk += 1;
      const remaining = await h.warden.listUserSessions(user);
      live += remaining.length;
    }
    return { live, logoutOk, rotated };
  } finally {
    await h.close();
  }
}

describe('logout racing a rotation (F2)', () => {
  it('SEC-28 100 rounds of logout racing reauthenticate on SQLite: every logout answered, no live session left', async () => {
    const result = await race(sqliteStore({ path: join(dir, 'race.sqlite') }));
    expect(result.logoutOk).toBe(ROUNDS);
    expect(result.rotated).toBeGreaterThan(0);
    expect(result.live).toBe(0);
  }, 60_000);

  it('SEC-28 100 rounds on a store whose writes take 2 ms (the rotation lands while the logout is in flight): no live session left', async () => {
    const result = await race(slowStore(memoryStore(), 2));
    expect(result.logoutOk).toBe(ROUNDS);
    expect(result.rotated).toBeGreaterThan(0);
    expect(result.live).toBe(0);
  }, 60_000);
});
