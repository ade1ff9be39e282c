// Budget test: the browser script, minified as it ships, stays within 4 KB gzipped (styles included, they live in the script).
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../src/client/sessionwarden-client.ts', import.meta.url));

describe('sessionwarden/client size', () => {
  it('minifies to at most 4096 bytes gzipped', async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      minify: true,
      format: 'esm',
      target: 'es2020',
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]!.contents;
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`sessionwarden/client: ${code.length} bytes minified, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThanOrEqual(4096);
  });
});
