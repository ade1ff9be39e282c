// The test run of `npm run test:mutation` (Stryker): the tests that guard src/core and the HTTP guards, without the
// browser, server-store, child-process and multi-process suites (too slow to repeat once per mutant on two cores).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: [{ find: /^sessionwarden\/(express-session|express)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)) }],
  },
  test: {
    include: [
      'test/security/**/*.test.ts',
      'test/stores/memory.test.ts',
      'test/stores/sqlite.test.ts',
      'test/sessions-routes.test.ts',
      'test/ping-routes.test.ts',
      'test/admin-routes.test.ts',
      'test/options.test.ts',
      'test/light-core.test.ts',
      'test/express/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
