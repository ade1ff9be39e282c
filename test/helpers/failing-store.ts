// FailingStore: a real memory store whose chosen methods throw or never answer, to test failing closed.
import type { SessionStore } from '../../src/index.js';
import { memoryStore } from '../../src/stores/memory/index.js';

type Method = 'get' | 'create' | 'update' | 'touch' | 'end' | 'endByUser' | 'listByUser' | 'deleteExpired';

/**
 * A store that behaves until told to fail: `store.fail('get', 'throw')`, `store.fail('get', 'hang')`, `store.heal()`.
 * @example
 * const store = new FailingStore(); store.fail('end', 'throw');
 */
export class FailingStore implements SessionStore {
  readonly inner = memoryStore();
  readonly calls: string[] = [];
  private failures = new Map<Method, 'throw' | 'hang'>();

  fail(method: Method, mode: 'throw' | 'hang' = 'throw'): void {
    this.failures.set(method, mode);
  }

  heal(): void {
    this.failures.clear();
  }

  private run<T>(method: Method, operation: () => Promise<T>): Promise<T> {
    this.calls.push(method);
    const mode = this.failures.get(method);
    if (mode === 'throw') return Promise.reject(new Error(`connection refused (${method})`));
    if (mode === 'hang') return new Promise<T>(() => undefined);
    return operation();
  }

  get: SessionStore['get'] = (id) => this.run('get', () => this.inner.get(id));
  create: SessionStore['create'] = (input) => this.run('create', () => this.inner.create(input));
  update: SessionStore['update'] = (id, data) => this.run('update', () => this.inner.update(id, data));
  touch: SessionStore['touch'] = (id, at) => this.run('touch', () => this.inner.touch(id, at));
  end: SessionStore['end'] = (id, reason, at) => this.run('end', () => this.inner.end(id, reason, at));
  endByUser: SessionStore['endByUser'] = (userId, reason, at, exceptId) => this.run('endByUser', () => this.inner.endByUser(userId, reason, at, exceptId));
  listByUser: SessionStore['listByUser'] = (userId, now) => this.run('listByUser', () => this.inner.listByUser(userId, now));
  deleteExpired: SessionStore['deleteExpired'] = (before) => this.run('deleteExpired', () => this.inner.deleteExpired(before));
  // The memory store's own change channel, so the read cache can sit on top (its writes that fail never happen).
  watch: SessionStore['watch'] = (watcher) => this.inner.watch!(watcher);
}
