// The build: the Node entry points with types, and the browser script as its own minified bundle.
import { defineConfig } from 'tsup';

export default defineConfig([
  {
    entry: {
      index: 'src/index.ts',
      'express/index': 'src/express/index.ts',
      'stores/memory/index': 'src/stores/memory/index.ts',
      'stores/sqlite/index': 'src/stores/sqlite/index.ts',
      'cli/main': 'src/cli/main.ts',
    },
    format: 'esm',
    platform: 'node',
    target: 'node20',
    dts: true,
    clean: false,
    sourcemap: true,
    external: ['better-sqlite3', 'express'],
  },
  {
    entry: { 'client/sessionwarden-client': 'src/client/sessionwarden-client.ts' },
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    dts: true,
    minify: true,
    splitting: false,
  },
]);
