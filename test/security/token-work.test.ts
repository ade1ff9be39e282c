// F7 (SEC-53) and SEC-01: an unknown id costs the same work as a known id with a wrong secret, counted (not timed):
// every SHA-256 and constant-time comparison the core runs goes through node:crypto, which this test wraps with
// counters (module.syncBuiltinESMExports makes the library's own imports see them). And the secret really is 32 bytes,
// all of them random and all of them hashed.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWarden } from '../../src/index.js';
import { hashSecret, issueToken, verifySecret } from '../../src/core/token.js';
import { memoryStore } from '../../src/stores/memory/index.js';

const nodeCrypto = createRequire(import.meta.url)('node:crypto') as Record<string, (...args: unknown[]) => unknown>;
const counts = { sha256: 0, compare: 0 };
const originals = { hash: nodeCrypto.hash, createHash: nodeCrypto.createHash, timingSafeEqual: nodeCrypto.timingSafeEqual };

beforeAll(() => {
  if (originals.hash) {
    nodeCrypto.hash = (...args: unknown[]) => {
      if (args[0] === 'sha256') counts.sha256 += 1;
      return originals.hash!(...args);
    };
  }
  nodeCrypto.createHash = (...args: unknown[]) => {
    if (args[0] === 'sha256') counts.sha256 += 1;
    return originals.createHash!(...args);
  };
  nodeCrypto.timingSafeEqual = (...args: unknown[]) => {
    counts.compare += 1;
    return originals.timingSafeEqual!(...args);
  };
  syncBuiltinESMExports();
});
afterAll(() => {
  Object.assign(nodeCrypto, originals);
  syncBuiltinESMExports();
});

/** The hashes and comparisons one begin() runs for this cookie. */
async function workOf(warden: ReturnType<typeof createWarden>, cookie: string): Promise<{ sha256: number; compare: number }> {
  counts.sha256 = 0;
  counts.compare = 0;
  const ctx = await warden.begin({ cookie: `__Host-sid=${cookie}`, ip: '192.0.2.1', method: 'GET', path: '/' });
  expect(ctx.record).toBeNull();
  return { ...counts };
}

describe('equal work for a known and an unknown id (F7)', () => {
  it('SEC-53 a known id with a wrong secret and an unknown id run the same SHA-256 and constant-time comparison', async () => {
    const store = memoryStore();
    const warden = createWarden({ store });
    const known = issueToken();
    const now = Date.now();
    await store.create({ record: { id: known.id, secretHash: known.secretHash, userId: 'alice', createdAt: now, authenticatedAt: now, lastActiveAt: now, idleTimeout: 600_000, expiresAt: now + 3_600_000, ip: null, userAgent: null, data: {}, endedAt: null, endReason: null, replacedBy: null }, now });
    const wrongSecret = `${known.id}.${issueToken().value.split('.')[1]}`;
    const unknown = issueToken().value;
    const knownWork = await workOf(warden, wrongSecret);
    const unknownWork = await workOf(warden, unknown);
    expect(knownWork.sha256).toBeGreaterThanOrEqual(1);
    expect(knownWork.compare).toBeGreaterThanOrEqual(1);
    expect(unknownWork).toEqual(knownWork);
  });
});

describe('the secret (SEC-01)', () => {
  it('SEC-01 decodes to 32 bytes, all of them random: no byte repeats its neighbour 8, 16 or 24 positions on', () => {
    const secrets = Array.from({ length: 256 }, () => Buffer.from(issueToken().value.split('.')[1]!, 'base64url'));
    for (const secret of secrets) expect(secret).toHaveLength(32);
    for (const period of [8, 16, 24]) {
      let same = 0;
      for (const secret of secrets) for (let i = 0; i + period < 32; i += 1) if (secret[i] === secret[i + period]) same += 1;
      // Random bytes agree 1 time in 256; a secret built from fewer random bytes repeated agrees every time.
      expect(same / (256 * (32 - period))).toBeLessThan(0.02);
    }
    for (let position = 0; position < 32; position += 1) {
      expect(new Set(secrets.map((secret) => secret[position])).size, `byte ${position}`).toBeGreaterThan(100);
    }
  });

  it('SEC-01 the stored hash covers every byte of the secret: changing any one byte fails verification', () => {
    const token = issueToken();
    const secret = Buffer.from(token.value.split('.')[1]!, 'base64url');
    expect(token.secretHash).toBe(hashSecret(secret.toString('base64url')));
    expect(verifySecret(secret.toString('base64url'), token.secretHash)).toBe(true);
    for (let position = 0; position < 32; position += 1) {
      const changed = Buffer.from(secret);
      changed[position] = changed[position]! ^ 0x01;
      expect(verifySecret(changed.toString('base64url'), token.secretHash), `byte ${position}`).toBe(false);
    }
  });
});
