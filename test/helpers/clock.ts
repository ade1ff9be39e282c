// Test helpers re-export the published fake clock and duration constants.
export * from '../../src/testing/fake-clock.js';
