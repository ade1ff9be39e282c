// Checklist A (SEC-01..05, SEC-53): token generation, storage and validation.
import * as crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { hashSecret, issueToken, parseToken, verifySecret } from '../../src/core/token.js';
import { startHarness, type Harness } from '../helpers/harness.js';
import { sqliteStore, type SqliteSessionStore } from '../../src/stores/sqlite/index.js';

vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, randomBytes: vi.fn(actual.randomBytes), timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const FORMAT = /^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/;

describe('tokens', () => {
  it('SEC-01 every token comes from one CSPRNG call of at least 32 secret bytes', () => {
    const spy = vi.mocked(crypto.randomBytes);
    spy.mockClear();
    issueToken();
    expect(spy).toHaveBeenCalledTimes(1);
    expect(spy.mock.calls[0]![0]).toBeGreaterThanOrEqual(48);
  });

  it('SEC-01 100,000 tokens are unique and all match the documented format', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i += 1) {
      const { value } = issueToken();
      expect(FORMAT.test(value)).toBe(true);
      seen.add(value);
    }
    expect(seen.size).toBe(100_000);
  });

  it('SEC-01 no source file uses Math.random or uuid for tokens', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)]));
    const offenders = walk('src').filter((file) => file.endsWith('.ts') && !file.includes(`${'src'}/client/`) && /Math\.random|from 'uuid'|randomUUID/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('SEC-03 only the SHA-256 of the secret is stored and comparison uses timingSafeEqual on equal lengths', () => {
    const token = issueToken();
    const parsed = parseToken(token.value)!;
    expect(token.secretHash).toBe(crypto.createHash('sha256').update(parsed.secret).digest('base64url'));
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect(verifySecret(parsed.secret, token.secretHash)).toBe(true);
    // A different last character, whatever the random one was.
    const wrong = `${parsed.secret.slice(0, -1)}${parsed.secret.endsWith('A') ? 'B' : 'A'}`;
    expect(verifySecret(wrong, token.secretHash)).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });

  it('SEC-05 malformed values are not tokens', () => {
    for (const value of ['', '.', 'x'.repeat(10_000), "' OR '1'='1", '*', 'a\r\nSET x y', '%00', '..%2F', 'ünïcødé', `${'a'.repeat(22)}.${'b'.repeat(4096)}`]) {
      expect(parseToken(value)).toBeNull();
    }
  });
});

describe('tokens over HTTP', () => {
  let h: Harness;
  let store: SqliteSessionStore;
  beforeAll(async () => {
    store = sqliteStore({ path: ':memory:' });
    h = await startHarness({ store });
  });
  afterAll(async () => {
    await h.close();
  });

  it('SEC-01 1,000 login cookies have constant length, the base64url charset and no shared prefix', async () => {
    const values: string[] = [];
    for (let i = 0; i < 1000; i += 1) {
      const browser = h.browser();
      await browser.post('/test/login', { user: `user${i}` });
      values.push(browser.session!);
    }
    expect(new Set(values.map((value) => value.length))).toEqual(new Set([66]));
    expect(values.every((value) => FORMAT.test(value))).toBe(true);
    const firstChars = new Set(values.map((value) => value.slice(0, 2)));
    expect(firstChars.size).toBeGreaterThan(500);
  });

  it('SEC-02 the cookie holds no user id, no e-mail and no timestamp in any encoding', async () => {
    const browser = h.browser();
    await browser.post('/test/login', { user: 'alice@example.com' });
    const value = browser.session!;
    const decodings = [value, Buffer.from(value, 'base64url').toString('latin1'), Buffer.from(value.replace('.', ''), 'base64').toString('latin1'), Buffer.from(value, 'hex').toString('latin1')];
    const now = String(h.clock.now());
    for (const text of decodings) {
      expect(text).not.toContain('alice');
      expect(text).not.toContain(now.slice(0, 8));
    }
    const twin = h.browser();
    await twin.post('/test/login', { user: 'alice@example.com' });
    expect(longestCommonSubstring(value, twin.session!)).toBeLessThanOrEqual(5);
  });

  it('SEC-03 the store holds neither the secret nor the cookie in any encoding, and the stored hash is no cookie', async () => {
    const browser = h.browser();
    await browser.post('/test/login', { user: 'hash-check' });
    const { id, secret } = parseToken(browser.session!)!;
    const dump = JSON.stringify(store.database.prepare('SELECT * FROM sessionwarden_sessions').all());
    for (const form of [secret, browser.session!, Buffer.from(secret, 'base64url').toString('hex'), Buffer.from(secret, 'base64url').toString('base64'), encodeURIComponent(secret)]) {
      expect(dump).not.toContain(form);
    }
    const storedHash = (store.database.prepare('SELECT secret_hash FROM sessionwarden_sessions WHERE id = ?').get(id) as { secret_hash: string }).secret_hash;
    const attacker = h.browser();
    expect((await attacker.get('/me', { cookie: `__Host-sid=${id}.${storedHash}` })).status).toBe(401);
    expect((await attacker.get('/me', { cookie: `__Host-sid=${id}.${hashSecret('wrong')}` })).status).toBe(401);
    expect((await browser.get('/me')).status).toBe(200);
  });

  it('SEC-04 a well-formed token the server never issued is no session, is not stored and raises invalid-token', async () => {
    const forged = `${crypto.randomBytes(16).toString('base64url')}.${crypto.randomBytes(32).toString('base64url')}`;
    h.events.length = 0;
    const response = await h.browser().get('/me', { cookie: `__Host-sid=${forged}`, accept: 'application/json' });
    expect(response.status).toBe(401);
    for (const header of response.setCookies) expect(header).not.toContain(forged);
    expect(await store.get(forged.slice(0, 22))).toBeNull();
    expect(h.events.map((event) => event.type)).toContain('invalid-token');
  });

  it("SEC-04 the library's own CSRF token is never accepted as a session token", async () => {
    const browser = h.browser();
    await browser.post('/test/login', { user: 'csrf-as-session' });
    const record = await store.get(parseToken(browser.session!)!.id);
    const { csrfTokenFor } = await import('../../src/core/token.js');
    const csrf = csrfTokenFor(record!);
    expect((await h.browser().get('/me', { cookie: `__Host-sid=${csrf}` })).status).toBe(401);
    expect((await h.browser().get('/me', { cookie: `__Host-sid=${record!.id}.${csrf}` })).status).toBe(401);
  });

  it('SEC-05 malformed cookies give 401, never 500, cost zero store calls and add no rows', async () => {
    const before = (store.database.prepare('SELECT COUNT(*) AS n FROM sessionwarden_sessions').get() as { n: number }).n;
    const getSpy = vi.spyOn(store, 'get');
    const values = ['', '.', 'x'.repeat(10_000), "' OR '1'='1", '*', 'a SET x y', '%00', '..%2F', 'Ã¼', `${'a'.repeat(22)}.${'b'.repeat(4096)}`];
    for (const value of values) {
      const response = await h.browser().get('/me', { cookie: `__Host-sid=${value}`, accept: 'application/json' });
      expect(response.status).toBe(401);
    }
    expect(getSpy).not.toHaveBeenCalled();
    getSpy.mockRestore();
    const after = (store.database.prepare('SELECT COUNT(*) AS n FROM sessionwarden_sessions').get() as { n: number }).n;
    expect(after).toBe(before);
  });

  it('SEC-53 a valid id with a wrong secret is compared with timingSafeEqual on equal-length digests', async () => {
    const browser = h.browser();
    await browser.post('/test/login', { user: 'timing' });
    const { id } = parseToken(browser.session!)!;
    const spy = vi.mocked(crypto.timingSafeEqual);
    spy.mockClear();
    expect((await h.browser().get('/me', { cookie: `__Host-sid=${id}.${crypto.randomBytes(32).toString('base64url')}` })).status).toBe(401);
    expect(spy).toHaveBeenCalled();
    for (const [a, b] of spy.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
  });
});

function longestCommonSubstring(a: string, b: string): number {
  let best = 0;
  for (let i = 0; i < a.length; i += 1) {
    for (let j = 0; j < b.length; j += 1) {
      let k = 0;
      while (i + k < a.length && j + k < b.length && a[i + k] === b[j + k]) k += 1;
      if (k > best) best = k;
    }
  }
  return best;
}
