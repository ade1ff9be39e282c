// The store contract: one suite every SessionStore must pass (SEC-51), each case on a fresh store with a fixed clock.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStoreError, type SessionRecord, type SessionStore, type StoreLimit } from '../../src/index.js';
import { HOUR, MINUTE, SECOND } from '../helpers/clock.js';

const T0 = Date.UTC(2026, 0, 15, 9, 0, 0);

/** A record with sensible defaults; ids are random like real ones. */
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
    ...overrides,
  };
}

/**
 * Run the contract against a store factory; `makeStore` gets a fresh, empty store for every case.
 * @example
 * runStoreContract('sqlite', () => sqliteStore({ path: ':memory:' }));
 */
export function runStoreContract(name: string, makeStore: () => Promise<SessionStore> | SessionStore): void {
  describe(`SEC-51 store contract: ${name}`, () => {
    const opened: SessionStore[] = [];
    const fresh = async () => {
      const store = await makeStore();
      opened.push(store);
      return store;
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

    it('create() deletes the replaced session in the same step', async () => {
      const store = await fresh();
      const old = makeRecord();
      await store.create({ record: old, now: T0 });
      const successor = makeRecord();
      await store.create({ record: successor, replaces: old.id, now: T0 });
      expect(await store.get(old.id)).toBeNull();
      expect(await store.get(successor.id)).not.toBeNull();
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
      expect(result).toEqual({ ok: false, reason: 'limit', retryAt: T0 + 300 * SECOND, live: 1 });
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
      expect(result).toEqual({ ok: false, reason: 'limit', retryAt: T0 + 30 * MINUTE, live: 1 });
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
      expect(await store.get(mine.id)).toBeNull();
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

    it('list() pages newest first by cursor, stable while sessions are added', async () => {
      const store = await fresh();
      if (!store.list) return;
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

    it('list() with a status filter orders by activity (active) or by end (ended), newest first, paging by cursor', async () => {
      const store = await fresh();
      if (!store.list) return;
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

    it('stats() counts live, ended and expired sessions and distinct users', async () => {
      const store = await fresh();
      if (!store.stats) return;
      await store.create({ record: makeRecord(), now: T0 });
      await store.create({ record: makeRecord({ userId: 'bob' }), now: T0 });
      const ended = makeRecord();
      await store.create({ record: ended, now: T0 });
      await store.end(ended.id, 'logout', T0);
      await store.create({ record: makeRecord({ createdAt: T0 - 13 * HOUR, expiresAt: T0 - HOUR }), now: T0 - 13 * HOUR });
      expect(await store.stats(T0 + 1)).toEqual({ live: 2, ended: 1, expired: 1, users: 2 });
    });
  });
}
