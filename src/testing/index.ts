// sessionwarden/testing: the store contract every SessionStore passes, published so third-party stores run it too.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStoreError } from '../core/errors.js';
import type { SessionRecord, SessionStore, StoreLimit } from '../core/types.js';

export { fakeClock, type FakeClock } from './fake-clock.js';

/** The instant every contract case starts from (no case reads the real clock). */
export const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A record with sensible defaults (user alice, created at T0, 30 min idle, 12 h absolute); ids are random like real ones.
 * @example
 * const record = makeRecord({ userId: 'bob' });
 */
export function makeRecord(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const at = overrides.createdAt ?? T0;
  return {
    id: randomBytes(16).toString('base64url'),
    secretHash: randomBytes(32).toString('base64url'),
    userId: 'alice',
    createdAt: at,
    authenticatedAt: at,
    lastActiveAt: at,
    idleTimeout: 30 * MINUTE,
    expiresAt: at + 12 * HOUR,
    ip: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
    data: { theme: 'dark', cart: [1, 2, { sku: 'x' }] },
    endedAt: null,
    endReason: null,
    replacedBy: null,
    ...overrides,
  };
}

/** Options of `runStoreContract`. */
export interface StoreContractOptions {
  /**
   * Two handles (two pools, clients or connections) over one fresh, empty database, for the cases where processes
   * race each other: the limit, an end seen by the other handle, an update racing an end. Without it those cases are
   * reported as skipped.
   * @default none
   */
  makePair?: () => Promise<readonly [SessionStore, SessionStore]> | readonly [SessionStore, SessionStore];
  /** Rounds of each two-handle race. @default 50 */
  raceRounds?: number;
}

/**
 * Run the store contract with vitest: every case gets a fresh, empty store from `makeStore` and a fixed clock, and
 * closes it afterwards. Optional methods (`list`, `stats`) are tested when the store has them.
 * @example
 * import { runStoreContract } from 'sessionwarden/testing';
 * runStoreContract('my-store', () => myStore({ url: process.env.DB_URL }), { makePair: () => twoHandlesOnOneDatabase() });
 */
export function runStoreContract(name: string, makeStore: () => Promise<SessionStore> | SessionStore, options: StoreContractOptions = {}): void {
  const rounds = options.raceRounds ?? 50;
  describe(`SEC-51 store contract: ${name}`, () => {
    const opened: SessionStore[] = [];
    const fresh = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
    };
    const pair = async (): Promise<readonly [SessionStore, SessionStore] | null> => {
      if (options.makePair === undefined) return null;
      const handles = await options.makePair();
      opened.push(...handles);
      return handles;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close?.()));
    });
    const one: StoreLimit = { max: 1, lockMs: 300 * SECOND, onExceed: 'evict-oldest' };

    it('get() gives null for an unknown id', async () => {
      const store = await fresh();
      expect(await store.get(makeRecord().id)).toBeNull();
    });

    it('create() stores every field exactly, deadlines included', async () => {
      const store = await fresh();
      const record = makeRecord({ authenticatedAt: T0 + 5, lastActiveAt: T0 + 7, expiresAt: T0 + 12 * HOUR + 3, idleTimeout: 1234567 });
      expect(await store.create({ record, now: T0 })).toEqual({ ok: true, evicted: [] });
      expect(await store.get(record.id)).toEqual(record);
    });

    it('get() gives the same record on every read, each time a new object (changing one changes nothing stored)', async () => {
      const store = await fresh();
      const record = makeRecord();
      await store.create({ record, now: T0 });
      const first = (await store.get(record.id))!;
      first.lastActiveAt = T0 + HOUR;
      (first.data.cart as unknown[]).push('changed');
      first.data.theme = 'light';
      expect(await store.get(record.id)).toEqual(record);
      expect(await store.get(record.id)).toEqual(record);
    });

    it('create() keeps anonymous records (userId null) and null metadata', async () => {
      const store = await fresh();
      const record = makeRecord({ userId: null, authenticatedAt: null, ip: null, userAgent: null, data: {} });
      await store.create({ record, now: T0 });
      expect(await store.get(record.id)).toEqual(record);
    });

    it('create() refuses an id that already exists', async () => {
      const store = await fresh();
      const record = makeRecord();
      await store.create({ record, now: T0 });
      await expect(store.create({ record: { ...record, secretHash: 'x' }, now: T0 })).rejects.toBeInstanceOf(SessionStoreError);
      expect((await store.get(record.id))!.secretHash).toBe(record.secretHash);
    });

    it('create() turns the replaced session into a rotated tombstone that forwards to its successor, in the same step', async () => {
      const store = await fresh();
      const old = makeRecord();
      await store.create({ record: old, now: T0 });
      const successor = makeRecord();
      await store.create({ record: successor, replaces: old.id, now: T0 + 5 });
      expect(await store.get(old.id)).toEqual({ ...old, endedAt: T0 + 5, endReason: 'rotated', replacedBy: successor.id });
      expect(await store.get(successor.id)).toEqual(successor);
      expect((await store.listByUser('alice', T0 + 6)).map((record) => record.id)).toEqual([successor.id]);
    });

    it('create() leaves an already-ended replaced session as it was', async () => {
      const store = await fresh();
      const old = makeRecord();
      await store.create({ record: old, now: T0 });
      await store.end(old.id, 'logout', T0 + 1);
      await store.create({ record: makeRecord(), replaces: old.id, now: T0 + 2 });
      expect(await store.get(old.id)).toMatchObject({ endedAt: T0 + 1, endReason: 'logout', replacedBy: null });
    });

    it('create() refused by the limit changes nothing, not even the session it would replace', async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 1, lockMs: 300 * SECOND, onExceed: 'reject' };
      const other = makeRecord();
      await store.create({ record: other, limit, now: T0 });
      const anonymous = makeRecord({ userId: null });
      await store.create({ record: anonymous, now: T0 });
      const result = await store.create({ record: makeRecord({ createdAt: T0 + 1 }), replaces: anonymous.id, limit, now: T0 + 1 });
      expect(result.ok).toBe(false);
      expect(await store.get(anonymous.id)).toEqual(anonymous);
    });

    it('create() with requireReplaced yields one successor when two rotations race', async () => {
      const store = await fresh();
      const old = makeRecord();
      await store.create({ record: old, now: T0 });
      const results = await Promise.all([makeRecord(), makeRecord(), makeRecord()].map((record) => store.create({ record, replaces: old.id, requireReplaced: true, now: T0 })));
      expect(results.filter((result) => result.ok)).toHaveLength(1);
      expect(results.filter((result) => !result.ok && result.reason === 'gone')).toHaveLength(2);
    });

    it('update() replaces the data of a live session', async () => {
      const store = await fresh();
      const record = makeRecord();
      await store.create({ record, now: T0 });
      expect(await store.update(record.id, { n: 2, nested: { ok: true } })).toBe(true);
      expect((await store.get(record.id))!.data).toEqual({ n: 2, nested: { ok: true } });
    });

    it('update() and touch() on a missing or ended session return false and create nothing (SEC-30)', async () => {
      const store = await fresh();
      const missing = makeRecord();
      expect(await store.update(missing.id, { a: 1 })).toBe(false);
      expect(await store.touch(missing.id, T0 + 1)).toBe(false);
      expect(await store.get(missing.id)).toBeNull();
      const ended = makeRecord();
      await store.create({ record: ended, now: T0 });
      await store.end(ended.id, 'logout', T0 + 1);
      expect(await store.update(ended.id, { a: 1 })).toBe(false);
      expect(await store.touch(ended.id, T0 + 2)).toBe(false);
      const after = await store.get(ended.id);
      expect(after!.data).toEqual(ended.data);
      expect(after!.lastActiveAt).toBe(ended.lastActiveAt);
    });

    it('touch() sets lastActiveAt, which moves the idle deadline', async () => {
      const store = await fresh();
      const record = makeRecord();
      await store.create({ record, now: T0 });
      expect(await store.touch(record.id, T0 + 20 * MINUTE)).toBe(true);
      expect((await store.get(record.id))!.lastActiveAt).toBe(T0 + 20 * MINUTE);
      expect(await store.listByUser('alice', T0 + 45 * MINUTE)).toHaveLength(1);
    });

    it('touch() sets exactly the value given, also an earlier one (the core pulls a future timestamp back to now)', async () => {
      const store = await fresh();
      const record = makeRecord({ lastActiveAt: T0 + HOUR });
      await store.create({ record, now: T0 });
      expect(await store.touch(record.id, T0 + SECOND)).toBe(true);
      expect((await store.get(record.id))!.lastActiveAt).toBe(T0 + SECOND);
      expect(await store.listByUser('alice', T0 + 31 * MINUTE)).toEqual([]);
    });

    it('end() keeps a tombstone with the reason, and a second end() returns null', async () => {
      const store = await fresh();
      const record = makeRecord();
      await store.create({ record, now: T0 });
      const ended = await store.end(record.id, 'revoked-by-admin', T0 + 9);
      expect(ended).toMatchObject({ id: record.id, endedAt: T0 + 9, endReason: 'revoked-by-admin' });
      expect(await store.end(record.id, 'logout', T0 + 10)).toBeNull();
      expect(await store.get(record.id)).toMatchObject({ endedAt: T0 + 9, endReason: 'revoked-by-admin' });
      expect(await store.end(makeRecord().id, 'logout', T0)).toBeNull();
    });

    it("endByUser() ends that user's live sessions except one, and no one else's", async () => {
      const store = await fresh();
      const [a1, a2, a3] = [makeRecord(), makeRecord(), makeRecord()];
      const bob = makeRecord({ userId: 'bob' });
      for (const record of [a1!, a2!, a3!, bob]) await store.create({ record, now: T0 });
      const ended = await store.endByUser('alice', 'revoked', T0 + 1, a2!.id);
      expect(ended.map((record) => record.id).sort()).toEqual([a1!.id, a3!.id].sort());
      expect(ended.every((record) => record.endReason === 'revoked')).toBe(true);
      expect((await store.listByUser('alice', T0 + 2)).map((record) => record.id)).toEqual([a2!.id]);
      expect(await store.listByUser('bob', T0 + 2)).toHaveLength(1);
    });

    it('endByUser() leaves sessions that are no longer live alone (idle, expired, ended)', async () => {
      const store = await fresh();
      const idle = makeRecord({ createdAt: T0 - HOUR, lastActiveAt: T0 - 40 * MINUTE });
      const ended = makeRecord();
      await store.create({ record: idle, now: T0 - HOUR });
      await store.create({ record: ended, now: T0 });
      await store.end(ended.id, 'logout', T0 + 1);
      expect(await store.endByUser('alice', 'revoked', T0 + 2)).toEqual([]);
      expect(await store.get(idle.id)).toMatchObject({ endedAt: null, endReason: null });
      expect(await store.get(ended.id)).toMatchObject({ endedAt: T0 + 1, endReason: 'logout' });
    });

    it('listByUser() gives only live sessions, most recently active first', async () => {
      const store = await fresh();
      const older = makeRecord({ lastActiveAt: T0 + 1 * MINUTE });
      const newer = makeRecord({ lastActiveAt: T0 + 2 * MINUTE });
      const idle = makeRecord({ lastActiveAt: T0 - 31 * MINUTE, createdAt: T0 - 40 * MINUTE });
      const expired = makeRecord({ createdAt: T0 - 13 * HOUR, expiresAt: T0 - HOUR, lastActiveAt: T0 });
      const ended = makeRecord();
      for (const record of [older, newer, idle, expired, ended]) await store.create({ record, now: T0 - 50 * MINUTE });
      await store.end(ended.id, 'logout', T0);
      expect((await store.listByUser('alice', T0 + 3 * MINUTE)).map((record) => record.id)).toEqual([newer.id, older.id]);
    });

    it('deleteExpired() removes what stopped being live before the cut-off and keeps the rest', async () => {
      const store = await fresh();
      const live = makeRecord();
      const idleLongAgo = makeRecord({ createdAt: T0 - 10 * HOUR, lastActiveAt: T0 - 10 * HOUR });
      const endedRecently = makeRecord();
      const endedLongAgo = makeRecord();
      for (const record of [live, idleLongAgo, endedRecently, endedLongAgo]) await store.create({ record, now: T0 - 10 * HOUR });
      await store.end(endedLongAgo.id, 'logout', T0 - 5 * HOUR);
      await store.end(endedRecently.id, 'logout', T0);
      expect(await store.deleteExpired(T0 - HOUR)).toBe(2);
      expect(await store.get(idleLongAgo.id)).toBeNull();
      expect(await store.get(endedLongAgo.id)).toBeNull();
      expect(await store.get(endedRecently.id)).not.toBeNull();
      expect(await store.get(live.id)).not.toBeNull();
    });

    it('SEC-58 data is plain JSON and prototype keys never come back', async () => {
      const store = await fresh();
      const record = makeRecord({ data: JSON.parse('{"__proto__":{"isAdmin":true},"constructor":{"prototype":{"x":1}},"ok":1}') as Record<string, unknown> });
      await store.create({ record, now: T0 });
      const loaded = await store.get(record.id);
      expect(loaded!.data).toEqual({ ok: 1 });
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect(Object.hasOwn(loaded!.data, '__proto__')).toBe(false);
    });

    it('createWithLimit() refuses the 2nd login inside the lock window, saying when to retry', async () => {
      const store = await fresh();
      const first = makeRecord();
      await store.create({ record: first, limit: one, now: T0 });
      const result = await store.create({ record: makeRecord({ createdAt: T0 + 60 * SECOND }), limit: one, now: T0 + 60 * SECOND });
      expect(result).toEqual({ ok: false, reason: 'limit', retryAt: T0 + 300 * SECOND });
      expect(await store.listByUser('alice', T0 + 61 * SECOND)).toHaveLength(1);
    });

    it('createWithLimit() ends the least recently active displaceable session after the window (reason replaced)', async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 2, lockMs: 300 * SECOND, onExceed: 'evict-oldest' };
      const a = makeRecord({ lastActiveAt: T0 + 10 * MINUTE });
      const b = makeRecord({ lastActiveAt: T0 + 5 * MINUTE });
      await store.create({ record: a, limit, now: T0 });
      await store.create({ record: b, limit, now: T0 });
      const now = T0 + 20 * MINUTE;
      const c = makeRecord({ createdAt: now, lastActiveAt: now });
      const result = await store.create({ record: c, limit, now });
      expect(result.ok).toBe(true);
      expect(result.ok && result.evicted.map((record) => [record.id, record.endReason])).toEqual([[b.id, 'replaced']]);
      expect((await store.get(b.id))!.endReason).toBe('replaced');
      expect((await store.listByUser('alice', now)).map((record) => record.id)).toEqual([c.id, a.id]);
    });

    it('createWithLimit() with lockMs 0 lets the newest login always win', async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 1, lockMs: 0, onExceed: 'evict-oldest' };
      const first = makeRecord();
      await store.create({ record: first, limit, now: T0 });
      const second = makeRecord({ createdAt: T0 + 1 });
      expect((await store.create({ record: second, limit, now: T0 + 1 })).ok).toBe(true);
      expect((await store.get(first.id))!.endReason).toBe('replaced');
    });

    it("createWithLimit() in reject mode refuses and names the earliest deadline of the user's sessions", async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 1, lockMs: 0, onExceed: 'reject' };
      await store.create({ record: makeRecord(), limit, now: T0 });
      const result = await store.create({ record: makeRecord({ createdAt: T0 + MINUTE }), limit, now: T0 + MINUTE });
      expect(result).toEqual({ ok: false, reason: 'limit', retryAt: T0 + 30 * MINUTE });
    });

    it('createWithLimit() never counts ended, idle or expired sessions', async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 1, lockMs: 300 * SECOND, onExceed: 'reject' };
      const ended = makeRecord();
      await store.create({ record: ended, limit, now: T0 });
      await store.end(ended.id, 'logout', T0 + 1);
      const idle = makeRecord({ createdAt: T0 + 2 });
      await store.create({ record: idle, limit, now: T0 + 2 });
      const later = T0 + 2 + 30 * MINUTE;
      expect((await store.create({ record: makeRecord({ createdAt: later, lastActiveAt: later }), limit, now: later })).ok).toBe(true);
    });

    it('createWithLimit() lets a re-login replace its own session instead of counting twice', async () => {
      const store = await fresh();
      const mine = makeRecord();
      await store.create({ record: mine, limit: one, now: T0 });
      const again = makeRecord({ createdAt: T0 + SECOND });
      expect((await store.create({ record: again, replaces: mine.id, limit: one, now: T0 + SECOND })).ok).toBe(true);
      expect(await store.get(mine.id)).toMatchObject({ endReason: 'rotated', replacedBy: again.id });
      expect((await store.listByUser('alice', T0 + SECOND)).map((record) => record.id)).toEqual([again.id]);
    });

    it('createWithLimit() admits exactly max of many simultaneous logins in reject mode (SEC-49)', async () => {
      const store = await fresh();
      const limit: StoreLimit = { max: 3, lockMs: 0, onExceed: 'reject' };
      const results = await Promise.all(Array.from({ length: 25 }, () => store.create({ record: makeRecord(), limit, now: T0 })));
      expect(results.filter((result) => result.ok)).toHaveLength(3);
      expect(await store.listByUser('alice', T0)).toHaveLength(3);
    });

    it('createWithLimit() ignores other users', async () => {
      const store = await fresh();
      await store.create({ record: makeRecord({ userId: 'bob' }), limit: one, now: T0 });
      expect((await store.create({ record: makeRecord(), limit: one, now: T0 })).ok).toBe(true);
    });

    it('list() pages newest first by cursor, stable while sessions are added', async (context) => {
      const store = await fresh();
      if (!store.list) return context.skip('the store has no list()');
      const ids: string[] = [];
      for (let i = 0; i < 120; i += 1) {
        const record = makeRecord({ createdAt: T0 + i * SECOND, userId: i % 2 ? 'alice' : 'bob', ip: i % 3 ? '203.0.113.7' : '198.51.100.1' });
        ids.push(record.id);
        await store.create({ record, now: T0 + i * SECOND });
      }
      const now = T0 + 200 * SECOND;
      const first = await store.list({ limit: 50, now, status: 'all' });
      expect(first.sessions).toHaveLength(50);
      expect(first.sessions[0]!.id).toBe(ids[119]);
      await store.create({ record: makeRecord({ createdAt: now }), now });
      const second = await store.list({ limit: 50, now, status: 'all', cursor: first.nextCursor });
      const third = await store.list({ limit: 50, now, status: 'all', cursor: second.nextCursor });
      const seen = [...first.sessions, ...second.sessions, ...third.sessions].map((record) => record.id);
      expect(seen).toEqual([...ids].reverse());
      expect(third.nextCursor).toBeNull();
      const bobs = await store.list({ limit: 100, now, userId: 'bob' });
      expect(bobs.sessions).toHaveLength(60);
      const byIp = await store.list({ limit: 100, now, ip: '198.51.100.1' });
      expect(byIp.sessions.every((record) => record.ip === '198.51.100.1')).toBe(true);
      expect(byIp.sessions).toHaveLength(40);
      await store.end(ids[5]!, 'revoked', now);
      expect((await store.list({ limit: 200, now, status: 'ended' })).sessions.map((record) => record.id)).toEqual([ids[5]]);
      expect((await store.list({ limit: 200, now, status: 'active' })).sessions).toHaveLength(120);
    });

    it('list() with a status filter orders by activity (active) or by end (ended), newest first, paging by cursor', async (context) => {
      const store = await fresh();
      if (!store.list) return context.skip('the store has no list()');
      const records = Array.from({ length: 7 }, (_, i) => makeRecord({ createdAt: T0 + i, lastActiveAt: T0 + (7 - i) * MINUTE }));
      for (const record of records) await store.create({ record, now: T0 });
      const now = T0 + 10 * MINUTE;
      await store.end(records[0]!.id, 'logout', now - 2);
      await store.end(records[1]!.id, 'revoked', now - 1);
      const first = await store.list({ limit: 3, now, status: 'active' });
      const second = await store.list({ limit: 3, now, status: 'active', cursor: first.nextCursor });
      expect([...first.sessions, ...second.sessions].map((record) => record.id)).toEqual(records.slice(2).map((record) => record.id));
      expect(second.nextCursor).toBeNull();
      const ended = await store.list({ limit: 1, now, status: 'ended' });
      const endedNext = await store.list({ limit: 1, now, status: 'ended', cursor: ended.nextCursor });
      expect([...ended.sessions, ...endedNext.sessions].map((record) => record.id)).toEqual([records[1]!.id, records[0]!.id]);
    });

    it('list() never shows rotated tombstones; stats() never counts them', async (context) => {
      const store = await fresh();
      if (!store.list || !store.stats) return context.skip('the store has no list() or stats()');
      const old = makeRecord();
      await store.create({ record: old, now: T0 });
      const successor = makeRecord();
      await store.create({ record: successor, replaces: old.id, now: T0 + 1 });
      for (const status of ['all', 'ended', 'active'] as const) {
        expect((await store.list({ limit: 10, now: T0 + 2, status })).sessions.map((record) => record.id), status).toEqual(status === 'ended' ? [] : [successor.id]);
      }
      expect(await store.stats(T0 + 2)).toEqual({ live: 1, ended: 0, expired: 0, users: 1 });
    });

    it('stats() counts live, ended and expired sessions and distinct users', async (context) => {
      const store = await fresh();
      if (!store.stats) return context.skip('the store has no stats()');
      await store.create({ record: makeRecord(), now: T0 });
      await store.create({ record: makeRecord({ userId: 'bob' }), now: T0 });
      const ended = makeRecord();
      await store.create({ record: ended, now: T0 });
      await store.end(ended.id, 'logout', T0);
      await store.create({ record: makeRecord({ createdAt: T0 - 13 * HOUR, expiresAt: T0 - HOUR }), now: T0 - 13 * HOUR });
      expect(await store.stats(T0 + 1)).toEqual({ live: 2, ended: 1, expired: 1, users: 2 });
    });

    describe('two handles over one database', () => {
      it('the limit is atomic across handles: exactly max of many simultaneous logins get in (SEC-49)', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        const limit: StoreLimit = { max: 3, lockMs: 0, onExceed: 'reject' };
        for (let round = 0; round < Math.max(1, Math.floor(rounds / 10)); round += 1) {
          const userId = `race-${round}`;
          const results = await Promise.all(Array.from({ length: 12 }, (_, i) => handles[i % 2]!.create({ record: makeRecord({ userId }), limit, now: T0 })));
          expect(results.filter((result) => result.ok), `round ${round}`).toHaveLength(3);
          expect(await handles[round % 2]!.listByUser(userId, T0), `round ${round}`).toHaveLength(3);
        }
      });

      it('evict-oldest across handles never leaves more than max live sessions', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        const limit: StoreLimit = { max: 2, lockMs: 0, onExceed: 'evict-oldest' };
        for (let round = 0; round < Math.max(1, Math.floor(rounds / 10)); round += 1) {
          const userId = `evict-${round}`;
          const results = await Promise.all(Array.from({ length: 10 }, (_, i) => handles[i % 2]!.create({ record: makeRecord({ userId, createdAt: T0 + i }), limit, now: T0 + i })));
          expect(results.every((result) => result.ok), `round ${round}`).toBe(true);
          expect(await handles[0]!.listByUser(userId, T0 + 10), `round ${round}`).toHaveLength(2);
        }
      });

      it('end() on one handle is seen by get() and listByUser() on the other', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        const [a, b] = handles;
        const record = makeRecord();
        await a.create({ record, now: T0 });
        expect(await b.get(record.id)).toEqual(record);
        await a.end(record.id, 'revoked', T0 + 1);
        expect(await b.get(record.id)).toMatchObject({ endedAt: T0 + 1, endReason: 'revoked' });
        expect(await b.listByUser('alice', T0 + 2)).toEqual([]);
      });

      it('an update or touch racing an end on the other handle never resurrects the session', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        const [a, b] = handles;
        for (let round = 0; round < rounds; round += 1) {
          const record = makeRecord();
          await a.create({ record, now: T0 });
          const [, , ended] = await Promise.all([a.update(record.id, { round }), a.touch(record.id, T0 + 5), b.end(record.id, 'logout', T0 + 1)]);
          expect(ended, `round ${round}`).not.toBeNull();
          const after = await a.get(record.id);
          expect(after, `round ${round}`).toMatchObject({ endedAt: T0 + 1, endReason: 'logout' });
          expect(await a.update(record.id, { late: true }), `round ${round}`).toBe(false);
          expect(await b.touch(record.id, T0 + 9), `round ${round}`).toBe(false);
          expect((await b.get(record.id))!.endedAt, `round ${round}`).toBe(T0 + 1);
        }
      });

      it('two rotations of one session on different handles yield one successor', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        for (let round = 0; round < rounds; round += 1) {
          const old = makeRecord();
          await handles[0]!.create({ record: old, now: T0 });
          const results = await Promise.all([0, 1, 0, 1].map((i) => handles[i]!.create({ record: makeRecord(), replaces: old.id, requireReplaced: true, now: T0 + 1 })));
          expect(results.filter((result) => result.ok), `round ${round}`).toHaveLength(1);
          expect(await handles[1]!.listByUser('alice', T0 + 2), `round ${round}`).toHaveLength(round + 1);
        }
      });

      it('two rotations of one anonymous session (no user to lock on) on different handles yield one successor', async (context) => {
        const handles = await pair();
        if (handles === null) return context.skip('no makePair option');
        for (let round = 0; round < rounds; round += 1) {
          const old = makeRecord({ userId: null, authenticatedAt: null });
          await handles[0]!.create({ record: old, now: T0 });
          const successors = [0, 1, 0, 1].map(() => makeRecord({ userId: null, authenticatedAt: null }));
          const results = await Promise.all(successors.map((record, i) => handles[i % 2]!.create({ record, replaces: old.id, requireReplaced: true, now: T0 + 1 })));
          expect(results.filter((result) => result.ok), `round ${round}`).toHaveLength(1);
          const stored = await Promise.all(successors.map((record) => handles[0]!.get(record.id)));
          expect(stored.filter((record) => record !== null), `round ${round}`).toHaveLength(1);
          expect((await handles[1]!.get(old.id))!.replacedBy, `round ${round}`).toBe(successors[results.findIndex((result) => result.ok)]!.id);
        }
      });
    });
  });
}
