// F6 (SEC-26, SEC-55): invalid session tokens are counted per client in bounded memory; past the threshold a
// bruteforce-suspected event is emitted once per window, and with blockFor the client gets 429 for a while.
import { afterEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/core/token.js';
import { SECOND } from '../helpers/clock.js';
import { startHarness, type Harness } from '../helpers/harness.js';

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

const json = { accept: 'application/json' };

async function guess(harness: Harness, ip: string): Promise<Response> {
  return fetch(`${harness.url}/me`, { headers: { ...json, cookie: `__Host-sid=${issueToken().value}`, 'x-forwarded-for': ip } });
}

describe('token guessing (F6)', () => {
  it('SEC-26 SEC-55 30 random tokens from one client: 30 invalid-token events, one bruteforce-suspected at the 20th; no 429 by default', async () => {
    h = await startHarness({ trustedProxies: ['127.0.0.1'] });
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await guess(h, '203.0.113.7')).status);
    expect(new Set(statuses)).toEqual(new Set([401]));
    for (let i = 0; i < 5; i += 1) await guess(h, '198.51.100.1');
    expect(h.events.filter((event) => event.type === 'invalid-token')).toHaveLength(35);
    const suspected = h.events.filter((event) => event.type === 'bruteforce-suspected');
    expect(suspected).toHaveLength(1);
    expect(suspected[0]).toMatchObject({ ip: '203.0.113.7', session: null, userId: null });
    expect(suspected[0]!.reason).toMatch(/^20 invalid session tokens within 60 s$/);
    // The next window counts again.
    h.clock.advance(61 * SECOND);
    for (let i = 0; i < 20; i += 1) await guess(h, '203.0.113.7');
    expect(h.events.filter((event) => event.type === 'bruteforce-suspected')).toHaveLength(2);
  });

  it('SEC-26 with blockFor, the client gets 429 with Retry-After (even with a valid cookie) until the block ends; others are unaffected', async () => {
    h = await startHarness({ trustedProxies: ['127.0.0.1'], bruteForce: { threshold: 5, blockFor: '30s' } });
    const victim = h.browser(json);
    await victim.post('/test/login', { user: 'alice' });
    for (let i = 0; i < 5; i += 1) expect((await guess(h, '203.0.113.9')).status).toBe(401);
    const blocked = await guess(h, '203.0.113.9');
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('30');
    const own = await fetch(`${h.url}/me`, { headers: { ...json, cookie: `__Host-sid=${victim.session!}`, 'x-forwarded-for': '203.0.113.9' } });
    expect(own.status).toBe(429);
    expect((await victim.get('/me', { 'x-forwarded-for': '198.51.100.2' })).status).toBe(200);
    h.clock.advance(31 * SECOND);
    expect((await victim.get('/me', { 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  it('SEC-26 memory is bounded: 500 clients with maxClients 50 leave at most 50 tracked', async () => {
    h = await startHarness({ trustedProxies: ['127.0.0.1'], bruteForce: { maxClients: 50 } });
    for (let i = 0; i < 500; i += 1) await guess(h, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    const counter = (h.warden as unknown as { bruteForce: { size: number } }).bruteForce;
    expect(counter.size).toBeLessThanOrEqual(50);
    expect(h.events.filter((event) => event.type === 'bruteforce-suspected')).toHaveLength(0);
  }, 60_000);
});
