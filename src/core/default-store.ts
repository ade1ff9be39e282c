// The embedded default store (a SQLite file), loaded on first use so that apps on other stores never load better-sqlite3.
import type { CreateSessionInput, EndReason, ListSessionsQuery, SessionData, SessionStore, StoreWatch, StoreWatcher } from './types.js';

/**
 * A SessionStore that opens `sqliteStore({ path })` lazily, on its first call; every call waits for that one load.
 * @example
 * const store = lazySqliteStore('sessionwarden.sqlite');
 */
export function lazySqliteStore(path: string): SessionStore {
  let loaded: Promise<SessionStore> | null = null;
  const store = (): Promise<SessionStore> => (loaded ??= import('../stores/sqlite/index.js').then((module) => module.sqliteStore({ path })));
  return {
    get: async (id: string) => (await store()).get(id),
    create: async (input: CreateSessionInput) => (await store()).create(input),
    update: async (id: string, data: SessionData) => (await store()).update(id, data),
    touch: async (id: string, at: number) => (await store()).touch(id, at),
    end: async (id: string, reason: EndReason, at: number) => (await store()).end(id, reason, at),
    endByUser: async (userId: string, reason: EndReason, at: number, exceptId?: string | null) => (await store()).endByUser(userId, reason, at, exceptId),
    listByUser: async (userId: string, now: number) => (await store()).listByUser(userId, now),
    deleteExpired: async (before: number) => (await store()).deleteExpired(before),
    list: async (query: ListSessionsQuery) => (await store()).list!(query),
    stats: async (now: number) => (await store()).stats!(now),
    watch: (watcher: StoreWatcher): StoreWatch => {
      // Down until the file is open and its watch has started (the watcher assumes down until told up).
      let inner: StoreWatch | null = null;
      let stopped = false;
      store().then(
        (loadedStore) => {
          if (!stopped) inner = loadedStore.watch!(watcher);
        },
        () => undefined,
      );
      return {
        stop: () => {
          stopped = true;
          inner?.stop();
        },
        check: () => inner?.check?.(),
      };
    },
    close: async () => {
      if (loaded !== null) await (await loaded).close?.();
    },
  };
}
