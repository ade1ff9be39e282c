// Test runner configuration: every suite under test/, run in forked workers (native SQLite, child processes).
// Two groups, one after the other: the quick files two at a time (both cores), then the files that time real browsers,
// race processes or load the shared servers at scale, one at a time (timing-sensitive). The Redis scale test fills a
// private Redis server of its own for minutes and touches nothing shared: it runs with the quick files.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The files that run alone, in the second group. */
const ALONE = [
  'test/browser/**/*.test.ts',
  'test/client-browser.test.ts',
  'test/limit-race.test.ts',
  'test/multi-process.test.ts',
  'test/demo-workers.test.ts',
  'test/cache/revocation-window.test.ts',
  'test/cache/channel.test.ts',
  'test/stores/postgres-scale.test.ts',
  'test/stores/redis-cluster.test.ts',
  'test/stores/redis-outage.test.ts',
  'test/outage-postgres.test.ts',
  'test/security/logout-race.test.ts',
  'test/stores/sqlite-commit-failure.test.ts',
];

/** The quick group starts with the Redis scale test, so that its minutes of loading overlap the rest of the group. */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) => (file.moduleId.endsWith('redis-scale.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

export default defineConfig({
  resolve: {
    // An app's import of sessionwarden/express(-session) (the migrated example app) runs against the sources.
    alias: [{ find: /^sessionwarden\/(express-session|express)$/, replacement: fileURLToPath(new URL('./src/$1/index.ts', import.meta.url)) }],
  },
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'quick', include: ['test/**/*.test.ts'], exclude: ALONE, maxWorkers: 2, sequence: { groupOrder: 0, sequencer: LongestFirst } } },
      { extends: true, test: { name: 'alone', include: ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
