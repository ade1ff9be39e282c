// `npx tsx bench/micro.ts`: the per-request pieces of sessionwarden's hot path timed one by one, without HTTP.
import { createHash, hash as oneShotHash, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWarden } from '../src/index.js';
import { readSessionCookie } from '../src/core/cookie.js';
import { parseSessionData } from '../src/core/data.js';
import { guardStore } from '../src/core/guarded-store.js';
import { issueToken, parseToken, verifySecret } from '../src/core/token.js';
import { createSession, type FacadeRequest } from '../src/express/session-facade.js';
import { sqliteStore } from '../src/stores/sqlite/index.js';

/** Time `operation` over enough calls for ~200 ms, five times; the median in µs per call. */
async function time(name: string, operation: () => unknown): Promise<number> {
  let calls = 1000;
  for (;;) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await operation();
    if (performance.now() - started > 50) break;
    calls *= 4;
  }
  const samples: number[] = [];
  for (let repeat = 0; repeat < 5; repeat += 1) {
    const started = performance.now();
    for (let i = 0; i < calls; i += 1) await operation();
    samples.push(((performance.now() - started) * 1000) / calls);
  }
  samples.sort((a, b) => a - b);
  const us = samples[2]!;
  console.log(`| ${us.toFixed(2)} | ${name} |`);
  return us;
}

const dir = mkdtempSync(join(tmpdir(), 'sessionwarden-micro-'));
try {
  const store = sqliteStore({ path: join(dir, 'micro.sqlite') });
  const warden = createWarden({ store, insecureDevelopmentMode: false });
  const token = issueToken();
  const now = Date.now();
  await store.create({
    now,
    record: {
      id: token.id, secretHash: token.secretHash, userId: 'alice', createdAt: now, authenticatedAt: now, lastActiveAt: now,
      idleTimeout: 30 * 60_000, expiresAt: now + 12 * 3_600_000, ip: '127.0.0.1', userAgent: 'micro', data: {}, endedAt: null, endReason: null, replacedBy: null,
    },
  });
  const parsed = parseToken(token.value)!;
  const cookie = `__Host-sid=${token.value}`;
  const statement = store.database.prepare('SELECT * FROM sessionwarden_sessions WHERE id = ?');
  const rawStatement = store.database.prepare('SELECT * FROM sessionwarden_sessions WHERE id = ?').raw();
  const stored = Buffer.from(token.secretHash, 'base64url');
  const input = { cookie, ip: '127.0.0.1', userAgent: 'autocannon', method: 'GET', path: '/me' };

  console.log(`Node ${process.version}; µs per call (median of 5), each awaited in a loop.\n\n| µs | operation |\n|---:|---|`);
  await time('await Promise.resolve() (baseline of one await)', () => Promise.resolve());
  await time('warden.begin() — the whole core per request, valid cookie', () => warden.begin(input));
  await time('readSessionCookie()', () => readSessionCookie(cookie, '__Host-sid'));
  await time('parseToken()', () => parseToken(token.value));
  await time('verifySecret()', () => verifySecret(parsed.secret, token.secretHash));
  await time('crypto.hash() one-shot + timingSafeEqual', () => timingSafeEqual(oneShotHash('sha256', parsed.secret, 'buffer'), stored));
  await time('createHash().update().digest()', () => createHash('sha256').update(parsed.secret).digest());
  const guardOptions = { timeoutMs: 2000, now: Date.now, onAbandoned: () => undefined, onError: () => undefined };
  const timed = guardStore({ ...store, get: (id: string) => store.get(id), blocking: false }, guardOptions);
  const untimed = guardStore(store, guardOptions);
  await time('guarded store.get(id) with its deadline timer', () => timed.get(parsed.id));
  await time('guarded store.get(id) for a blocking store (no timer)', () => untimed.get(parsed.id));
  await time('store.get(id)', () => store.get(parsed.id));
  await time('SELECT * prepared statement .get(id) alone (keyed row object)', () => statement.get(parsed.id));
  await time('the same statement in raw mode (array row)', () => rawStatement.get(parsed.id));
  await time('parseSessionData("{}")', () => parseSessionData('{}'));
  await time('parseSessionData(\'{"cart":[1,2,3],"locale":"en"}\')', () => parseSessionData('{"cart":[1,2,3],"locale":"en"}'));
  await time('JSON.parse(\'{"cart":[1,2,3],"locale":"en"}\') without reviver', () => JSON.parse('{"cart":[1,2,3],"locale":"en"}'));
  const ctx = await warden.begin(input);
  const request = { sessionwarden: ctx } as unknown as FacadeRequest;
  await time('createSession(req, ctx, data) (req.session on first use)', () => createSession(request, ctx, ctx.data));
  const facade = createSession(request, ctx, ctx.data);
  await time('JSON.stringify(facade) (what isDirty() does at the end of every request)', () => JSON.stringify(facade));
  await time('ctx.commit() on an unchanged session', () => ctx.commit());
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
