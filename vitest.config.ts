// Test runner configuration: every suite under test/, run in forked workers (native SQLite, child processes).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // An app's import of sessionwarden/express(-session) (the migrated example app) runs against the sources.
    alias: [{ find: /^sessionwarden\/(express-session|express)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
