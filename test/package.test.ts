// The published package as a user installs it: `npm pack` on a tree without dist/, then a CommonJS app and a strict TypeScript consumer, offline.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Conditions {
  types: string;
  import: string;
  default: string;
}

interface PackageJson {
  name: string;
  version: string;
  exports: Record<string, Conditions | string>;
  engines: { node: string };
  scripts: Record<string, string>;
  bin: Record<string, string>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  repository?: unknown;
  homepage?: string;
  bugs?: unknown;
}

const REPO = resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as PackageJson;
const require = createRequire(import.meta.url);

/** The TypeScript source an export target is built from: `./dist/x/index.js` → `src/x/index.ts`. */
function sourceOf(target: string): string {
  return target.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
}

/**
 * The subpath exports to check: planned entries (fastify, hono, postgres, redis, testing, express-session) are
 * declared in package.json before their sources exist, so only those whose source file exists under src/ are
 * checked; each new entry is covered as soon as its source lands.
 */
const entries = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target !== 'string' && existsSync(sourceOf(target.import)) ? [{ subpath, target }] : [],
);
const specifierOf = (subpath: string) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);

const work = mkdtempSync(join(tmpdir(), 'sw-package-'));
let tarball = '';
let packed: string[] = [];

/** A consumer app folder holding the unpacked tarball as node_modules/sessionwarden and links to the repo's installed deps. */
function makeApp(name: string, packageJson: object, links: readonly string[]): string {
  const app = join(work, name);
  const installed = join(app, 'node_modules', pkg.name);
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  writeFileSync(join(app, 'package.json'), JSON.stringify(packageJson));
  for (const dependency of links) {
    const link = join(app, 'node_modules', dependency);
    mkdirSync(dirname(link), { recursive: true });
    // Links, not copies: nothing is downloaded or compiled (better-sqlite3's native build stays the repo's own).
    symlinkSync(join(REPO, 'node_modules', dependency), link, 'dir');
  }
  return app;
}

beforeAll(() => {
  // Without dist/, the tarball has a build only if packing runs it (`prepare`): what a git install relies on.
  rmSync('dist', { recursive: true, force: true });
  execFileSync('npm', ['pack', '--pack-destination', work], { stdio: 'pipe', env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } });
  tarball = join(work, `${pkg.name}-${pkg.version}.tgz`);
  packed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('package metadata', () => {
  it('every subpath export lists types, import and a default condition (so require() works on Node >= 20.19)', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      if (subpath === './package.json') continue;
      expect(typeof target, subpath).toBe('object');
      const conditions = target as Conditions;
      expect(Object.keys(conditions), subpath).toEqual(['types', 'import', 'default']);
      expect(conditions.default, subpath).toBe(conditions.import);
      expect(conditions.types, subpath).toBe(conditions.import.replace(/\.js$/, '.d.ts'));
    }
    expect(pkg.engines.node).toBe('>=20.19');
  });

  it('the SQLite driver is optional and the other drivers and frameworks are optional peers', () => {
    expect(pkg.dependencies?.['better-sqlite3']).toBeUndefined();
    expect(pkg.optionalDependencies?.['better-sqlite3']).toMatch(/^\^12\./);
    for (const peer of ['express', 'fastify', 'hono', 'pg', 'redis', 'vitest']) {
      expect(pkg.peerDependencies?.[peer], peer).toBeDefined();
      expect(pkg.peerDependenciesMeta?.[peer]?.optional, peer).toBe(true);
    }
    expect(pkg.repository).toBeDefined();
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.bugs).toBeDefined();
  });
});

describe('npm pack', () => {
  it('builds dist/ when packing a tree that has none (prepare), with the LICENSE', () => {
    expect(packed).toContain('LICENSE');
    expect(packed).toContain('README.md');
    expect(packed).toContain('dist/index.js');
    expect(readFileSync('LICENSE', 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 the sessionwarden authors\n/);
  });

  it('ships the JavaScript and declarations of every existing entry, and the CLI with its shebang', () => {
    for (const { subpath, target } of entries) {
      expect(packed, subpath).toContain(target.import.slice(2));
      expect(packed, subpath).toContain(target.types.slice(2));
    }
    const bin = Object.values(pkg.bin)[0]!.replace(/^\.\//, '');
    expect(packed).toContain(bin);
    expect(readFileSync(bin, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
  });

  it('ships no source maps and no sources or tests', () => {
    expect(packed.filter((path) => path.endsWith('.map'))).toEqual([]);
    expect(packed.filter((path) => !/^(dist\/|LICENSE$|README\.md$|package\.json$)/.test(path))).toEqual([]);
  });

  it('declares the served client bundle as a string, not as a copy of the minified code', () => {
    const declarations = readFileSync('dist/client/generated/bundle.d.ts', 'utf8');
    expect(declarations).toMatch(/export declare const clientCode: string;/);
    expect(declarations.length).toBeLessThan(1000);
  });

  it('the browser script is one self-contained module with no Node imports', () => {
    const code = readFileSync('dist/client/sessionwarden-client.js', 'utf8');
    expect(code).not.toMatch(/from\s*["']node:|require\(/);
    expect(code).toMatch(/^export function init\(/m);
  });
});

describe('installed in an app', () => {
  it('an ES module imports each entry by the package name', () => {
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

  it('a CommonJS app require()s every entry and signs in through the core with the memory store', () => {
    // express for the Express entry, vitest for sessionwarden/testing (both optional peers an app that uses them has).
    const runtime = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {}), 'express', 'vitest'];
    const app = makeApp('commonjs-app', { name: 'commonjs-app', private: true, type: 'commonjs' }, runtime);
    copyFileSync(join('test', 'consumer', 'commonjs-app.cjs'), join(app, 'index.js'));
    const subpaths = entries.map(({ subpath }) => subpath);
    // No NODE_PATH and no repo cwd: only the app's own node_modules can satisfy require('sessionwarden').
    const { NODE_PATH: _ignored, NODE_OPTIONS: _alsoIgnored, ...env } = process.env;
    const run = spawnSync(process.execPath, ['index.js', JSON.stringify(subpaths)], { cwd: app, encoding: 'utf8', env, timeout: 30_000 });
    expect(run.stderr).not.toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_REQUIRE_ESM|Error/);
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { userId: string; cookieName: string; middleware: string; loaded: Record<string, number> };
    expect(result).toMatchObject({ userId: 'alice', cookieName: '__Host-sid', middleware: 'function' });
    expect(Object.keys(result.loaded)).toEqual(subpaths);
    for (const subpath of subpaths) expect(result.loaded[subpath], `${subpath} exports something`).toBeGreaterThan(0);
  });

  it('the installed CLI prints its version and creates a store only with migrate', () => {
    const app = makeApp('cli-app', { name: 'cli-app', private: true }, [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})]);
    const bin = join(app, 'node_modules', pkg.name, Object.values(pkg.bin)[0]!);
    const cli = (...argv: string[]) => spawnSync(process.execPath, [bin, ...argv], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    expect(cli('--version')).toMatchObject({ status: 0, stdout: `${pkg.version}\n` });
    expect(cli('stats', '--store', 'sessions.sqlite').status).toBe(3);
    expect(existsSync(join(app, 'sessions.sqlite'))).toBe(false);
    expect(cli('migrate', '--store', 'sqlite:sessions.sqlite')).toMatchObject({ status: 0, stdout: 'schema ready in sessions.sqlite\n' });
    expect(cli('stats', '--store', 'sessions.sqlite')).toMatchObject({ status: 0, stdout: 'live 0\nended 0\nexpired 0\nusers 0\n' });
  });

  it('a typical TypeScript express-session app compiles after its import line changes and express-session and its types are gone (strict, skipLibCheck off)', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const typical = readFileSync(join('test', 'consumer', 'typical-app', 'app.ts'), 'utf8');
    const switched = typical.replace("import session from 'express-session';", "import session from 'sessionwarden/express-session';");
    expect(switched).not.toBe(typical);
    const typesOf = ['@types/node', '@types/express', 'express', 'passport', 'passport-local', '@types/passport', '@types/passport-local', ...Object.keys(pkg.dependencies ?? {})];
    const compile = (name: string, files: Record<string, string>, extra: (app: string) => void = () => undefined) => {
      const app = makeApp(name, { name, private: true, type: 'module' }, typesOf);
      extra(app);
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, noEmit: true }, include: ['*.ts'] }));
      for (const [file, code] of Object.entries(files)) writeFileSync(join(app, file), code);
      const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
      return `${run.stdout}${run.stderr}`.replaceAll(work, '<work>').replaceAll(REPO, '<repo>');
    };
    const withExpressSessionTypes = (app: string) => {
      symlinkSync(join(REPO, 'node_modules', 'express-session'), join(app, 'node_modules', 'express-session'), 'dir');
      // @types/express-session, installed under an alias so that this repository's own build never sees it.
      symlinkSync(join(REPO, 'node_modules', 'types-express-session'), join(app, 'node_modules', '@types', 'express-session'), 'dir');
    };
    // Before: the app as it is, on express-session and @types/express-session.
    expect(compile('typical-before', { 'app.ts': typical }, withExpressSessionTypes)).toBe('');
    // After: one import line changed, both packages uninstalled; its `declare module 'express-session'` still applies,
    // and so does an augmentation of sessionwarden/express's SessionData (the same interface).
    const more = [
      "import type { Request } from 'express';",
      "import session from 'sessionwarden/express-session';",
      "declare module 'sessionwarden/express' { interface SessionData { theme: 'dark' | 'light' } }",
      "export const options: session.SessionOptions = { secret: 'x', resave: false, saveUninitialized: false, userOf: (data) => data.userId };",
      "export function theme(req: Request): 'dark' | 'light' | undefined { req.session.cookie.maxAge = 1000; return req.session.theme; }",
      'export const id = (req: Request): string => req.sessionID + String(req.sessionwarden.userId);',
    ].join('\n');
    expect(compile('typical-after', { 'app.ts': switched, 'more.ts': more })).toBe('');
    // After, with @types/express-session left installed: its req.session and ours collide (documented: uninstall it).
    expect(compile('typical-after-with-old-types', { 'app.ts': switched }, withExpressSessionTypes)).toMatch(/error TS2717: Subsequent property declarations must have the same type\.\s+Property 'session'/);
  }, 120_000);

  // Fails until the SQLite store's public types stop naming better-sqlite3's (`import Database from 'better-sqlite3'`
  // in dist/stores/sqlite/index.d.ts needs @types/better-sqlite3, which only this repo's devDependencies provide).
  it('a strict TypeScript consumer compiles against every entry with skipLibCheck off, from ESM and CommonJS files', () => {
    // A real app has the optional driver installed, but not its types: the declarations must not need them. The
    // frameworks are there (an app importing sessionwarden/fastify or /hono has that framework, which ships its types).
    const app = makeApp('typescript-app', { name: 'typescript-app', private: true, type: 'module' }, [
      'better-sqlite3',
      '@types/node',
      '@types/express',
      'fastify',
      'hono',
      ...Object.keys(pkg.dependencies ?? {}),
    ]);
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: false, noEmit: true }, include: ['*.mts', '*.cts'] }),
    );
    const imports = entries.map(({ subpath }, index) => `import * as entry${index} from '${specifierOf(subpath)}';\nexport type Entry${index} = typeof entry${index};`);
    writeFileSync(
      join(app, 'app.mts'),
      [
        ...imports,
        `import { createWarden, type SessionRecord, type WardenOptions } from 'sessionwarden';`,
        `import { memoryStore } from 'sessionwarden/stores/memory';`,
        `const options: WardenOptions = { store: memoryStore(), idleTimeout: '15m' };`,
        `export const warden = createWarden(options);`,
        `export const userOf = (record: SessionRecord): string | null => record.userId;`,
      ].join('\n'),
    );
    // TypeScript >= 5.8 lets a CommonJS file import these ES modules under `module: nodenext`, as Node >= 20.19 runs it.
    writeFileSync(
      join(app, 'legacy.cts'),
      [`import { createWarden } from 'sessionwarden';`, `import { createExpressMiddleware } from 'sessionwarden/express';`, `export const middleware = createExpressMiddleware(createWarden());`].join('\n'),
    );
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(`${run.stdout}${run.stderr}`.replaceAll(work, '<work>').replaceAll(REPO, '<repo>')).toBe('');
    expect(run.status).toBe(0);
  }, 60_000);
});
