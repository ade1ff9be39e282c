// Checklist J (SEC-43, SEC-44): client IP only through trusted proxies, bounded user agents.
import { isIP } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWarden } from '../../src/index.js';
import { createClientIpResolver, normalizeIp } from '../../src/core/client-ip.js';
import { sanitizeUserAgent } from '../../src/core/user-agent.js';
import { memoryStore } from '../../src/stores/memory/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('client IP', () => {
  it('SEC-43 by default the socket address is used and X-Forwarded-For is ignored', async () => {
    h = await startHarness();
    const browser = h.browser({ 'x-forwarded-for': '1.2.3.4' });
    await browser.post('/test/login', { user: 'alice' });
    const [session] = await h.warden.listUserSessions('alice');
    expect(session!.ip).toBe('127.0.0.1');
  });

  it('SEC-43 with trusted CIDRs the header is walked right to left to the first untrusted address', () => {
    const resolve = createClientIpResolver(['10.0.0.0/8']);
    expect(resolve('10.0.0.5', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(resolve('10.0.0.5', '203.0.113.9, 10.1.1.1')).toBe('203.0.113.9');
    expect(resolve('192.0.2.1', '203.0.113.9')).toBe('192.0.2.1');
    expect(resolve('::ffff:10.0.0.5', '203.0.113.9')).toBe('203.0.113.9');
  });

  it('SEC-43 a hop count takes the address that many hops from the right', () => {
    const resolve = createClientIpResolver(1);
    expect(resolve('10.0.0.5', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
    expect(createClientIpResolver(2)('10.0.0.5', '6.6.6.6, 203.0.113.9')).toBe('6.6.6.6');
  });

  it('SEC-43 garbage, oversized and overlong headers fall back to the socket address quickly', () => {
    const resolve = createClientIpResolver(['10.0.0.0/8']);
    const started = performance.now();
    for (const header of ['abc', Array.from({ length: 10_000 }, () => '1.1.1.1').join(','), 'x'.repeat(100_000), ':::::', '"><script>alert(1)</script>']) {
      const ip = resolve('10.0.0.5', header);
      expect(ip).toBe('10.0.0.5');
      expect(isIP(ip!)).not.toBe(0);
    }
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('SEC-43 trusting every address is refused at configuration', () => {
    for (const trustedProxies of [['0.0.0.0/0'], ['::/0'], ['*'], ['not-an-ip'], ['10.0.0.0/99']]) {
      expect(() => createWarden({ store: memoryStore(), trustedProxies })).toThrow(/^sessionwarden: trustedProxies/);
    }
  });

  it('SEC-26 addresses are normalised: IPv4-mapped IPv6 to IPv4, IPv6 lower-cased', () => {
    expect(normalizeIp('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeIp('2001:DB8::1')).toBe('2001:db8::1');
    expect(normalizeIp('fe80::1%eth0')).toBe('fe80::1');
    expect(normalizeIp('192.0.2.300')).toBeNull();
  });

  it('SEC-43 the stored IP always passes net.isIP, behind a trusted proxy too', async () => {
    h = await startHarness({ trustedProxies: ['127.0.0.1'] });
    for (const header of ['garbage', '203.0.113.9', '::ffff:198.51.100.4']) {
      const browser = h.browser({ 'x-forwarded-for': header });
      await browser.post('/test/login', { user: header });
      const [session] = await h.warden.listUserSessions(header);
      expect(isIP(session!.ip!)).not.toBe(0);
    }
    expect((await h.warden.listUserSessions('203.0.113.9'))[0]!.ip).toBe('203.0.113.9');
    expect((await h.warden.listUserSessions('::ffff:198.51.100.4'))[0]!.ip).toBe('198.51.100.4');
  });
});

describe('user agent', () => {
  it('SEC-44 a 12 KB user agent is accepted and stored cut to 512 characters; 16 KB is refused by Node, never a 500', async () => {
    h = await startHarness({ store: sqliteStore({ path: ':memory:' }) });
    // Node's default 16 KB header limit answers 431 before any session code runs.
    expect((await h.browser({ 'user-agent': 'A'.repeat(16 * 1024) }).post('/test/login', { user: 'x' })).status).toBe(431);
    const browser = h.browser({ 'user-agent': `Mozilla/5.0 ${'A'.repeat(12 * 1024)}` });
    expect((await browser.post('/test/login', { user: 'alice' })).status).toBe(200);
    const [session] = await h.warden.listUserSessions('alice');
    expect(session!.userAgent!.length).toBe(512);
  });

  it('SEC-44 control characters never reach storage or events (no forged log lines)', () => {
    expect(sanitizeUserAgent('x\r\n{"event":"fake"}', 512)).toBe('x  {"event":"fake"}');
    expect(sanitizeUserAgent('\u0000\u0007', 512)).toBeNull();
    expect(sanitizeUserAgent('a'.repeat(2000), 100)).toHaveLength(100);
  });

  it('the privacy switches store neither IP nor user agent', async () => {
    h = await startHarness({ storeIp: false, storeUserAgent: false });
    await h.browser({ 'user-agent': 'Firefox' }).post('/test/login', { user: 'alice' });
    const [session] = await h.warden.listUserSessions('alice');
    expect(session!.ip).toBeNull();
    expect(session!.userAgent).toBeNull();
  });
});
