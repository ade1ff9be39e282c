// The root export is the core alone: importing it (with the memory store) loads no SQLite driver, UA parser or GeoIP reader.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const HEAVY = ['better-sqlite3', 'bowser', 'maxmind'];

/** A module-resolution hook that reports every resolved URL on stderr (ESM imports of CommonJS packages included). */
const REPORT_RESOLVED = `data:text/javascript,${encodeURIComponent(
  "import { register } from 'node:module';" +
    "register('data:text/javascript,' + encodeURIComponent(\"import { writeSync } from 'node:fs'; export async function resolve(specifier, context, next) { const result = await next(specifier, context); writeSync(2, 'RESOLVED ' + result.url + '\\\\n'); return result; }\"));",
)}`;

/** Run `body` in a fresh Node process (TypeScript sources through tsx) and return the heavy packages it loaded. */
function heavyModulesLoadedBy(body: string): string[] {
  const script = `
    import { createRequire } from 'node:module';
    ${body}
    process.stderr.write(Object.keys(createRequire(import.meta.url).cache).map((file) => 'RESOLVED ' + file + '\\n').join(''));
  `;
  const child = spawnSync(process.execPath, ['--import', REPORT_RESOLVED, '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_ENV: 'test' } });
  if (child.status !== 0) throw new Error(`child failed: ${child.stderr}`);
  const files = child.stderr.split('\n').filter((line) => line.startsWith('RESOLVED '));
  expect(files.length).toBeGreaterThan(10);
  return HEAVY.filter((name) => files.some((file) => file.includes(`/node_modules/${name}/`)));
}

describe('a light core', () => {
  it('import "sessionwarden" plus the memory store loads neither better-sqlite3, bowser nor maxmind, even through a login', () => {
    const loaded = heavyModulesLoadedBy(`
      const { createWarden } = await import(${JSON.stringify(new URL('../src/index.ts', import.meta.url).href)});
      const { memoryStore } = await import(${JSON.stringify(new URL('../src/stores/memory/index.ts', import.meta.url).href)});
      const warden = createWarden({ store: memoryStore() });
      const ctx = await warden.begin({ cookie: null, ip: '127.0.0.1', method: 'POST', path: '/login', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' });
      await ctx.login('alice');
    `);
    expect(loaded).toEqual([]);
  });

  it('the check itself sees them: the pages entry loads bowser and maxmind, opening a SQLite store better-sqlite3', () => {
    const loaded = heavyModulesLoadedBy(`
      await import(${JSON.stringify(new URL('../src/pages/index.ts', import.meta.url).href)});
      const { sqliteStore } = await import(${JSON.stringify(new URL('../src/stores/sqlite/index.ts', import.meta.url).href)});
      await sqliteStore({ path: ':memory:' }).close();
    `);
    expect(loaded.sort()).toEqual([...HEAVY].sort());
  });
});
