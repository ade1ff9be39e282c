// Budget test: the browser script, minified as it ships, stays within 4 KB gzipped (styles included, they live in the script).
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bundleClient } from '../scripts/bundle-client.js';

describe('sessionwarden/client size', () => {
  it('minifies to at most 4096 bytes gzipped', async () => {
    const code = Buffer.from(await bundleClient());
    const gzipped = gzipSync(code, { level: 9 }).length;
    console.log(`sessionwarden/client: ${code.length} bytes minified, ${gzipped} bytes gzipped`);
    expect(gzipped).toBeLessThanOrEqual(4096);
  });
});
