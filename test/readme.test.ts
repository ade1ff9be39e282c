// The README's TypeScript blocks compile as written (strict, NodeNext), against the package's own sources.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'test-output', 'readme');

/** Each ```ts block of the README with the line it starts on. */
function blocks(): { line: number; code: string }[] {
  const lines = readFileSync(join(root, 'README.md'), 'utf8').split('\n');
  const found: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```ts\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end += 1;
    found.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return found;
}

describe('README', () => {
  it('every ```ts block type-checks under --strict (NodeNext), imports resolving to this package', () => {
    const found = blocks();
    expect(found.length).toBeGreaterThanOrEqual(5);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    // Each block is its own module (an `export {}` makes it one even when it imports nothing).
    found.forEach((block, index) => writeFileSync(join(out, `block-${index}.ts`), `${block.code}\nexport {};\n`));
    const sub = (path: string) => [`../../src/${path}`];
    writeFileSync(
      join(out, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: ['../../node_modules/@types'],
          // As the repository's tsconfig: src/express/express-session-types.ts is a script (an ambient module declaration).
          moduleDetection: 'legacy',
          paths: {
            sessionwarden: sub('index.ts'),
            'sessionwarden/client': sub('client/sessionwarden-client.ts'),
            'sessionwarden/*': sub('*/index.ts'),
          },
        },
        include: ['block-*.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
    // Point each error at the README line it comes from.
    const errors = tsc.stdout
      .split('\n')
      .filter((line) => line.includes('error TS'))
      .map((line) => line.replace(/block-(\d+)\.ts\((\d+),(\d+)\)/, (_, index: string, row: string, column: string) => `README.md:${found[Number(index)]!.line + Number(row) - 1}:${column}`));
    expect(errors).toEqual([]);
    expect(tsc.status).toBe(0);
  }, 60_000);
});
