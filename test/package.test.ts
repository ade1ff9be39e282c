// The published shape: after `npm run build`, every subpath export resolves and exposes its API with types.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, { types: string; import: string } | string>; engines: { node: string } };

beforeAll(() => {
  execFileSync('npm', ['run', 'build'], { stdio: 'pipe' });
}, 120_000);

describe('package exports', () => {
  it('every subpath export has its JavaScript and its declarations', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(existsSync(target.import), `${subpath} → ${target.import}`).toBe(true);
      expect(existsSync(target.types), `${subpath} → ${target.types}`).toBe(true);
    }
    expect(pkg.engines.node).toBe('>=20.19');
  });

  it('a consumer can import each entry by its package name', () => {
    const script = `
      const core = await import('sessionwarden');
      const express = await import('sessionwarden/express');
      const sqlite = await import('sessionwarden/stores/sqlite');
      const memory = await import('sessionwarden/stores/memory');
      console.log(JSON.stringify([typeof core.createWarden, typeof core.safeReturnTo, typeof express.createExpressMiddleware, typeof sqlite.sqliteStore, typeof memory.memoryStore]));
    `;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(JSON.parse(output)).toEqual(['function', 'function', 'function', 'function', 'function']);
  });

  it('the browser script is one self-contained module with no Node imports', () => {
    const code = readFileSync('dist/client/sessionwarden-client.js', 'utf8');
    expect(code).not.toMatch(/from\s*["']node:|require\(/);
    expect(code).toMatch(/^export function init\(/m);
  });
});
