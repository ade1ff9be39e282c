// SESSIONWARDEN_CACHE=<max entries> turns the read cache on in the demo: requests are answered from it, and a session
// revoked by another process on the same store file is refused on the very next request.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import { createWarden } from '../../src/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { Browser, listen } from '../helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-demo-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const JSON_ACCEPT = { accept: 'application/json' };

describe('the demo with SESSIONWARDEN_CACHE', () => {
  it('reads the size, and refuses anything but a whole number from 1', () => {
    expect(readDemoConfig({}).cacheEntries).toBeNull();
    expect(readDemoConfig({ SESSIONWARDEN_CACHE: '5000' }).cacheEntries).toBe(5000);
    for (const value of ['0', 'yes', '-3', '1.5']) expect(() => readDemoConfig({ SESSIONWARDEN_CACHE: value })).toThrow('SESSIONWARDEN_CACHE');
  });

  it('answers from the cache, and refuses at once a session another process revoked', async () => {
    const path = join(dir, 'demo.sqlite');
    const { app, warden } = createDemo({ config: readDemoConfig({ SESSIONWARDEN_STORE: path, SESSIONWARDEN_CACHE: '100' }), log: () => undefined });
    const server = await listen(app);
    const other = sqliteStore({ path });
    try {
      const browser = new Browser(server.url);
      expect((await browser.post('/login', { username: 'alice', password: 'demo' })).status).toBe(303);
      const stats = warden.cache!.cacheStats;
      expect((await browser.get('/api/me', JSON_ACCEPT)).status).toBe(200);
      const hits = stats.hits;
      expect((await browser.get('/api/me', JSON_ACCEPT)).status).toBe(200);
      expect(stats.hits).toBeGreaterThan(hits);
      // "Another process": a second connection to the file ends every session of alice's.
      const otherWarden = createWarden({ store: other, insecureDevelopmentMode: true });
      expect(await otherWarden.revokeUserSessions('alice')).toHaveLength(1);
      expect((await browser.get('/api/me', JSON_ACCEPT)).status).toBe(401);
    } finally {
      await server.close();
      await other.close();
      await warden.store.close?.();
    }
  });
});
