// A store call abandoned after storeTimeout leaves nothing behind: a login the store completes too late is undone.
import { describe, expect, it } from 'vitest';
import { createWarden, SessionStoreError, type SessionEvent } from '../src/index.js';
import { memoryStore } from '../src/stores/memory/index.js';
import { slowStore } from './helpers/slow-store.js';

describe('a store slower than storeTimeout', () => {
  it('a login answered STORE_TIMEOUT never leaves a session that counts against the limit or authenticates', async () => {
    const inner = memoryStore();
    const store = slowStore(inner, 60);
    const events: SessionEvent[] = [];
    const warden = createWarden({ store, storeTimeout: 15, limit: { max: 1, lockSeconds: 1800, onExceed: 'reject' }, onEvent: (event) => events.push(event) });
    const first = await warden.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login' });
    const refused = await first.login('alice').then(() => null, (error: unknown) => error);
    expect(refused).toBeInstanceOf(SessionStoreError);
    expect((refused as SessionStoreError).code).toBe('STORE_TIMEOUT');
    expect(first.record).toBeNull();
    expect(first.cookieHeader).toBeNull();

    // The late create completes, and the guard ends it at once (reason 'abandoned', reported as a revocation).
    await store.whenWritesSettle();
    const [event] = events.filter((each) => each.reason === 'abandoned');
    expect(event).toMatchObject({ type: 'revoked', reason: 'abandoned', actor: 'system', userId: 'alice' });
    const stored = await inner.get(event!.session!.id);
    expect(stored).toMatchObject({ userId: 'alice', endReason: 'abandoned' });
    expect(await inner.listByUser('alice', Date.now())).toEqual([]);

    // A retry is not refused by the limit: nothing holds the slot.
    const retry = createWarden({ store: inner, limit: { max: 1, lockSeconds: 1800, onExceed: 'reject' } });
    const second = await retry.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login' });
    await second.login('alice');
    expect((await inner.listByUser('alice', Date.now())).map((record) => record.id)).toEqual([second.id]);
  });

  it('a create that fails after its timeout undoes nothing and reports nothing', async () => {
    const events: SessionEvent[] = [];
    const inner = memoryStore();
    const store = slowStore(inner, 40);
    const warden = createWarden({ store, storeTimeout: 10, onEvent: (event) => events.push(event) });
    const ctx = await warden.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login' });
    const original = inner.create.bind(inner);
    inner.create = () => Promise.reject(new Error('disk full'));
    await expect(ctx.login('alice')).rejects.toMatchObject({ code: 'STORE_TIMEOUT' });
    await store.whenWritesSettle();
    inner.create = original;
    expect(events.filter((event) => event.reason === 'abandoned')).toEqual([]);
    expect(await inner.listByUser('alice', Date.now())).toEqual([]);
  });
});
