// Every store call the core makes goes through one wrapper: a deadline, failures as SessionStoreError, and a login
// whose store answered too late undone so that it can never count against the limit.
import { SessionStoreError, type SessionStoreErrorCode } from './errors.js';
import type { CreateSessionInput, CreateSessionResult, SessionRecord, SessionStore } from './types.js';

/** What the wrapper needs besides the store. */
export interface StoreGuardOptions {
  /** A call slower than this fails with STORE_TIMEOUT. */
  timeoutMs: number;
  /** The clock, for the end time of an abandoned record. */
  now: () => number;
  /** Told about a record that a timed-out `create()` stored after all and the guard then ended (reason `abandoned`). */
  onAbandoned(record: SessionRecord): void;
  /** Told about a failed clean-up of such a record (it would otherwise go unnoticed). */
  onError(error: unknown, record: SessionRecord | null): void;
}

/** The store as the core calls it: the same methods, every one bounded in time and failing as SessionStoreError. */
export type GuardedStore = Required<Pick<SessionStore, 'get' | 'create' | 'update' | 'touch' | 'end' | 'endByUser' | 'listByUser' | 'deleteExpired'>> &
  Pick<SessionStore, 'list' | 'stats'>;

/**
 * Wrap a store once: timeouts (no timer for a blocking store, whose calls cannot outlive one), error codes, and the
 * reconciliation of a `create()` that completes after its caller gave up: that record is ended as `abandoned`.
 * @example
 * const calls = guardStore(store, { timeoutMs: 2000, now: Date.now, onAbandoned: report, onError: report });
 */
export function guardStore(store: SessionStore, options: StoreGuardOptions): GuardedStore {
  const { timeoutMs } = options;
  const blocking = store.blocking === true;

  function call<T>(label: string, code: SessionStoreErrorCode, operation: () => Promise<T>, onLate?: (pending: Promise<T>) => void): Promise<T> {
    let pending: Promise<T>;
    try {
      pending = operation();
    } catch (error) {
      // A store that throws instead of rejecting fails the same way.
      return Promise.reject(wrap(label, code, error));
    }
    if (blocking) return pending.catch((error: unknown) => Promise.reject(wrap(label, code, error)));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        onLate?.(pending);
        reject(new SessionStoreError('STORE_TIMEOUT', `store ${label} took longer than ${timeoutMs} ms`));
      }, timeoutMs);
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(wrap(label, code, error));
        },
      );
    });
  }

  /** The caller was told the login failed; if the store stored it after all, end it so it never counts or authenticates. */
  function undoLateCreate(input: CreateSessionInput, pending: Promise<CreateSessionResult>): void {
    pending.then(
      async (result) => {
        if (!result.ok) return;
        try {
          const ended = await store.end(input.record.id, 'abandoned', options.now());
          if (ended !== null) options.onAbandoned(ended);
        } catch (error) {
          options.onError(wrap('end', 'STORE_WRITE_FAILED', error), input.record);
        }
      },
      // The late call failed: nothing was stored, so there is nothing to undo.
      () => undefined,
    );
  }

  const guarded: GuardedStore = {
    get: (id) => call('get', 'STORE_UNAVAILABLE', () => store.get(id)),
    create: (input) => call('create', 'STORE_WRITE_FAILED', () => store.create(input), (pending) => undoLateCreate(input, pending)),
    update: (id, data) => call('update', 'STORE_WRITE_FAILED', () => store.update(id, data)),
    touch: (id, at) => call('touch', 'STORE_WRITE_FAILED', () => store.touch(id, at)),
    end: (id, reason, at) => call('end', 'STORE_WRITE_FAILED', () => store.end(id, reason, at)),
    endByUser: (userId, reason, at, exceptId) => call('endByUser', 'STORE_WRITE_FAILED', () => store.endByUser(userId, reason, at, exceptId)),
    listByUser: (userId, now) => call('listByUser', 'STORE_UNAVAILABLE', () => store.listByUser(userId, now)),
    deleteExpired: (before) => call('deleteExpired', 'STORE_WRITE_FAILED', () => store.deleteExpired(before)),
  };
  const { list, stats } = store;
  if (typeof list === 'function') guarded.list = (query) => call('list', 'STORE_UNAVAILABLE', () => list.call(store, query));
  if (typeof stats === 'function') guarded.stats = (now) => call('stats', 'STORE_UNAVAILABLE', () => stats.call(store, now));
  return guarded;
}

function wrap(label: string, code: SessionStoreErrorCode, error: unknown): SessionStoreError {
  if (error instanceof SessionStoreError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SessionStoreError(code, `store ${label} failed: ${message.replace(/^sessionwarden: /, '')}`, { cause: error });
}
