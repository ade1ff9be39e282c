// The memory store passes the contract and refuses production.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/stores/memory/index.js';
import { runStoreContract } from '../../src/testing/index.js';

runStoreContract('memory', () => memoryStore(), {
  // One process, one map: two handles over one memory "database" are the same store.
  makePair: () => {
    const store = memoryStore();
    return [store, store];
  },
});

describe('memoryStore()', () => {
  const original = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = original;
  });
  it('SEC-48 is refused when NODE_ENV=production', () => {
    process.env.NODE_ENV = 'production';
    expect(() => memoryStore()).toThrow(/^sessionwarden: memoryStore\(\) is refused when NODE_ENV=production/);
  });
});
