// The memory store passes the contract and refuses production.
import { afterEach, describe, expect, it } from 'vitest';
import { memoryStore } from '../../src/stores/memory/index.js';
import { runStoreContract } from './contract.js';

runStoreContract('memory', () => memoryStore());

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
