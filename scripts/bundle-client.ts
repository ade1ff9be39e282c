// The one way the browser script is bundled: minified ES2020, as the routes serve it and the size budget measures it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundle and minify src/client/sessionwarden-client.ts; returns the code.
 * @example
 * const code = await bundleClient();
 */
export async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('../src/client/sessionwarden-client.ts', import.meta.url))],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}
