// Options that used to bite: proxy names as Express spells them, contradictory timeouts, a store given a bare path.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createWarden, SessionConfigError } from '../src/index.js';
import { createClientIpResolver } from '../src/core/client-ip.js';
import { memoryStore } from '../src/stores/memory/index.js';
import { sqliteStore } from '../src/stores/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trustedProxies', () => {
  it("takes 'loopback', 'linklocal' and 'uniquelocal' as proxy-addr does, alone or in a comma-separated string", () => {
    const loopback = createClientIpResolver('loopback');
    expect(loopback('127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(loopback('::1', '203.0.113.9')).toBe('203.0.113.9');
    expect(loopback('10.0.0.2', '203.0.113.9')).toBe('10.0.0.2');
    const mixed = createClientIpResolver('loopback, uniquelocal');
    expect(mixed('127.0.0.1', '203.0.113.9, 10.1.2.3, 192.168.0.4')).toBe('203.0.113.9');
    expect(createClientIpResolver(['linklocal'])('169.254.1.1', '198.51.100.7')).toBe('198.51.100.7');
    expect(createClientIpResolver('10.0.0.0/8')('10.9.9.9', '198.51.100.7')).toBe('198.51.100.7');
  });

  it('refuses what it cannot read, naming the entry', () => {
    expect(() => createWarden({ store: memoryStore(), trustedProxies: 'loopbak' })).toThrow(/trustedProxies entry "loopbak" is not an IP, a CIDR or one of loopback/);
    expect(() => createWarden({ store: memoryStore(), trustedProxies: true as unknown as string })).toThrow(SessionConfigError);
  });
});

describe('timeouts', () => {
  it('an idleTimeout longer than absoluteTimeout is a configuration error that says plain numbers are milliseconds', () => {
    expect(() => createWarden({ store: memoryStore(), idleTimeout: '1d', absoluteTimeout: '12h' })).toThrow(/idleTimeout \(86400000 ms\) is longer than absoluteTimeout \(43200000 ms\).*milliseconds/);
    expect(() => createWarden({ store: memoryStore(), idleTimeout: '30m', absoluteTimeout: '5m' })).toThrow(SessionConfigError);
    expect(createWarden({ store: memoryStore(), idleTimeout: '12h', absoluteTimeout: '12h' }).options.idleTimeout).toBe(43_200_000);
  });

  it('plain numbers are milliseconds', () => {
    expect(createWarden({ store: memoryStore(), idleTimeout: 1800 }).options.idleTimeout).toBe(1800);
  });
});

describe('sqliteStore()', () => {
  it('takes a bare path as JavaScript callers write it, and refuses anything else', async () => {
    const path = join(dir, 'bare.sqlite');
    const store = sqliteStore(path);
    expect(store.path).toBe(path);
    await store.close();
    expect(() => sqliteStore(42 as unknown as string)).toThrow(/^sessionwarden: sqliteStore\(\) takes \{ path \} or a file path/);
    expect(() => sqliteStore({ paht: 'x.sqlite' } as unknown as { path: string })).toThrow(/unknown option "paht"/);
  });
});
