// Bundle the benchmark's server child to plain JavaScript, so the measured processes run Node alone (no tsx) on dist/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundle bench/server-child.ts and its variants into bench/.build/server-child.mjs (inside the package, so that
 * `import('sessionwarden')` resolves to dist/ through the package's own exports); every npm package stays external.
 * Throws when dist/ is missing or when anything under src/ would be bundled instead of loaded from dist/.
 * @example
 * const childScript = await buildServerChild();
 */
export async function buildServerChild(): Promise<string> {
  if (!existsSync(new URL('../dist/index.js', import.meta.url))) throw new Error('dist/ is missing: run `npm run build` first (`npm run bench` does)');
  const outfile = fileURLToPath(new URL('./.build/server-child.mjs', import.meta.url));
  const result = await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: ['bench/server-child.ts'],
    outfile,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    metafile: true,
    logLevel: 'silent',
  });
  const foreign = Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('bench/'));
  if (foreign.length > 0) throw new Error(`the bench server must load sessionwarden from dist/, but would bundle: ${foreign.join(', ')}`);
  return outfile;
}
