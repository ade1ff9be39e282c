// The sessionwarden CLI against real SQLite files: commands, ids starting with '-', exit codes, store paths and URLs.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { runCli } from '../../src/cli/main.js';
import { parseStoreArg } from '../../src/cli/store-from-arg.js';
import type { SessionRecord } from '../../src/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const now = Date.now();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

/** Ids written out, so the cases with a leading '-' never depend on chance. */
const DASH_ID = '-dashFirst0123456789ab';
const DOUBLE_DASH_ID = '--doubleDash0123456789';

let files = 0;
/** A fresh SQLite store file holding these records. */
async function storeWith(records: Partial<SessionRecord>[]): Promise<string> {
  files += 1;
  const path = join(dir, `store-${files}.sqlite`);
  const store = sqliteStore({ path });
  for (const overrides of records) {
    const record: SessionRecord = {
      id: randomBytes(16).toString('base64url'),
      secretHash: randomBytes(32).toString('base64url'),
      userId: 'alice',
      createdAt: now - 1000,
      authenticatedAt: now - 1000,
      lastActiveAt: now - 1000,
      idleTimeout: 30 * 60_000,
      expiresAt: now + 12 * HOUR,
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0',
      data: {},
      endedAt: null,
      endReason: null,
      replacedBy: null,
      ...overrides,
    };
    const result = await store.create({ record, now: record.createdAt });
    expect(result.ok).toBe(true);
  }
  await store.close();
  return path;
}

async function endReasonOf(path: string, id: string): Promise<string | null | undefined> {
  const store = sqliteStore({ path });
  try {
    return (await store.get(id))?.endReason;
  } finally {
    await store.close();
  }
}

describe('commands', () => {
  it('stats counts live, ended and expired sessions and distinct users', async () => {
    const path = await storeWith([
      { userId: 'alice' },
      { userId: 'alice', createdAt: now - 2000 },
      { userId: 'bob' },
      { userId: 'carol', createdAt: now - 30 * DAY, lastActiveAt: now - 30 * DAY, authenticatedAt: now - 30 * DAY, expiresAt: now - 29 * DAY },
    ]);
    const result = await runCli(['stats', '--store', path, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(result.stdout)).toEqual({ live: 3, ended: 0, expired: 1, users: 2 });
    expect((await runCli(['stats', '--store', path])).stdout).toBe('live 3\nended 0\nexpired 1\nusers 2\n');
  });

  it('list <user> prints a header, then live sessions most recently active first, with a device label and no secrets', async () => {
    const older = 'olderSession0123456789';
    const newer = 'newerSession0123456789';
    const path = await storeWith([
      { id: older, lastActiveAt: now - 5000 },
      { id: newer, lastActiveAt: now - 500, ip: null },
      { userId: 'bob' },
    ]);
    for (const argv of [['list', 'alice'], ['list', '--user', 'alice'], ['list', '--user=alice']]) {
      const result = await runCli([...argv, '--store', path]);
      expect(result.code, argv.join(' ')).toBe(0);
      const [header, ...lines] = result.stdout.trimEnd().split('\n');
      expect(header).toMatch(/^session id\s+last active \(UTC\)\s+ip\s+device$/);
      expect(lines.map((line) => line.split(/\s+/)[0])).toEqual([newer, older]);
      expect(lines[0]).toMatch(/^newerSession0123456789 {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}- +Firefox on Linux$/);
      expect(result.stdout).not.toMatch(/secretHash|[A-Za-z0-9_-]{43}/);
    }
  });

  it('list --json gives each session with its device label and without the secret hash', async () => {
    const path = await storeWith([{ userId: 'dave' }]);
    const [session, ...others] = JSON.parse((await runCli(['list', 'dave', '--store', path, '--json'])).stdout) as Record<string, unknown>[];
    expect(others).toEqual([]);
    expect(session).toMatchObject({ userId: 'dave', ip: '203.0.113.7', device: 'Firefox on Linux' });
    expect(session).not.toHaveProperty('secretHash');
  });

  it('list of a user without sessions says so and exits 0', async () => {
    const path = await storeWith([]);
    expect(await runCli(['list', 'nobody', '--store', path])).toEqual({ code: 0, stdout: 'no live sessions for nobody\n', stderr: '' });
  });

  it('revoke accepts session ids that start with "-" or "--": positional, --id=<id> and --id <id>', async () => {
    const ids = [DASH_ID, DOUBLE_DASH_ID, '-second0123456789abcde', '--second0123456789abcd', '-third0123456789abcdef', '--third0123456789abcde'];
    const path = await storeWith(ids.map((id) => ({ id, userId: 'erin' })));
    const forms = [(id: string) => ['revoke', id], (id: string) => ['revoke', `--id=${id}`], (id: string) => ['revoke', '--id', id]];
    for (const [index, id] of ids.entries()) {
      const argv = forms[index % forms.length]!(id);
      const result = await runCli([...argv, '--store', path]);
      expect(result, argv.join(' ')).toEqual({ code: 0, stdout: `ended session ${id} of erin\n`, stderr: '' });
      expect(await endReasonOf(path, id)).toBe('revoked-by-admin');
    }
  });

  it('revoke of an unknown or already ended session exits 1 and names the store', async () => {
    const path = await storeWith([{ id: DASH_ID }]);
    expect((await runCli(['revoke', DASH_ID, '--store', path])).code).toBe(0);
    const again = await runCli(['revoke', DASH_ID, '--store', path]);
    expect(again).toEqual({ code: 1, stdout: '', stderr: `sessionwarden: no live session with id ${DASH_ID} in ${path}\n` });
    expect((await runCli(['revoke', 'not-a-session-id', '--store', path])).code).toBe(1);
  });

  it('revoke --user ends every session of the user (reason revoked-by-admin) and exits 0 when there was none', async () => {
    const path = await storeWith([{ id: 'frankSession1_abcdefgh', userId: 'frank' }, { userId: 'frank' }, { userId: 'grace' }]);
    const result = await runCli(['revoke', '--user', 'frank', '--store', path, '--json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { ended: string[] }).ended).toHaveLength(2);
    expect(await endReasonOf(path, 'frankSession1_abcdefgh')).toBe('revoked-by-admin');
    expect(await runCli(['revoke', '--user', 'frank', '--store', path])).toEqual({ code: 0, stdout: 'ended 0 session(s) of frank\n', stderr: '' });
  });

  it('clear-expired deletes records past --retention and keeps younger tombstones', async () => {
    const expired = (daysAgo: number) => ({ createdAt: now - (daysAgo + 1) * DAY, authenticatedAt: now - (daysAgo + 1) * DAY, lastActiveAt: now - (daysAgo + 1) * DAY, expiresAt: now - daysAgo * DAY });
    const path = await storeWith([expired(30), expired(3), {}]);
    expect(JSON.parse((await runCli(['clear-expired', '--store', path, '--json'])).stdout)).toMatchObject({ deleted: 1 });
    expect(JSON.parse((await runCli(['clear-expired', '--retention', '2d', '--store', path, '--json'])).stdout)).toMatchObject({ deleted: 1 });
    expect((await runCli(['stats', '--store', path, '--json'])).stdout).toBe('{"live":1,"ended":0,"expired":0,"users":1}\n');
  });

  it('--retention takes a duration with a unit; 0s is accepted, a bare number is a usage error naming --retention', async () => {
    const path = await storeWith([]);
    const cleared = await runCli(['clear-expired', '--retention', '0s', '--store', path]);
    expect(cleared).toMatchObject({ code: 0, stderr: '' });
    expect(cleared.stdout).toMatch(/^deleted 0 expired record\(s\)\nfreed \d/);
    for (const value of ['0', '7', 'banana', '7 d', '-1d']) {
      const result = await runCli(['clear-expired', `--retention=${value}`, '--store', path]);
      expect(result.code, value).toBe(2);
      expect(result.stderr, value).toMatch(/^sessionwarden: --retention takes a duration such as 7d, 12h, 30m or 0s; got /);
    }
    expect((await runCli(['clear-expired', '--retention', '0', '--store', path])).stderr).toMatch(/a number needs a unit: 0s\? 0d\?/);
  });

  it('--version prints the package version', async () => {
    expect(await runCli(['--version'])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('the store: only migrate creates it', () => {
  it('every other command refuses a missing store with exit 3, names the path, suggests migrate and creates nothing', async () => {
    const missing = join(dir, 'typo', 'sessoins.sqlite');
    for (const argv of [['stats'], ['list', 'alice'], ['revoke', '--user', 'alice'], ['revoke', DASH_ID], ['clear-expired']]) {
      const result = await runCli([...argv, '--store', missing]);
      expect(result, argv.join(' ')).toEqual({ code: 3, stdout: '', stderr: `sessionwarden: no store at ${missing} (run \`sessionwarden migrate --store ${missing}\` to create one)\n` });
    }
    expect(existsSync(join(dir, 'typo'))).toBe(false);
  });

  it('$SESSIONWARDEN_STORE is the default store and is never created by a read', async () => {
    const missing = join(dir, 'from-env.sqlite');
    const result = await runCli(['stats'], { SESSIONWARDEN_STORE: missing });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(missing);
    expect(existsSync(missing)).toBe(false);
  });

  it('migrate creates the store with its folders, and then the other commands use it', async () => {
    const fresh = join(dir, 'new', 'folder', 'sessions.sqlite');
    expect(await runCli(['migrate', '--store', fresh])).toEqual({ code: 0, stdout: `schema ready in ${fresh}\n`, stderr: '' });
    expect(JSON.parse((await runCli(['migrate', '--store', fresh, '--json'])).stdout)).toEqual({ ok: true, store: fresh });
    expect(await runCli(['stats', '--store', fresh])).toEqual({ code: 0, stdout: 'live 0\nended 0\nexpired 0\nusers 0\n', stderr: '' });
  });

  it('a folder or a file that is not SQLite exits 3, naming the path, with the prefix printed once', async () => {
    const folder = join(dir, 'a-folder');
    mkdirSync(folder);
    const notSqlite = join(dir, 'notes.txt');
    writeFileSync(notSqlite, 'these are not the sessions you are looking for\n'.repeat(200));
    const onFolder = await runCli(['stats', '--store', folder]);
    expect(onFolder).toEqual({ code: 3, stdout: '', stderr: `sessionwarden: ${folder} is not a SQLite file\n` });
    for (const argv of [['stats', '--store', notSqlite], ['migrate', '--store', notSqlite]]) {
      const result = await runCli(argv);
      expect(result.code, argv.join(' ')).toBe(3);
      expect(result.stderr).toMatch(new RegExp(`^sessionwarden: ${notSqlite.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\S`));
      expect(result.stderr).toMatch(/not a database/);
      expect(result.stderr).not.toMatch(/sessionwarden: .*sessionwarden:/);
    }
  });

  it('--store takes sqlite:<path>, sqlite:///<absolute path> and file:///<absolute path>', async () => {
    const path = await storeWith([{ userId: 'heidi' }]);
    const absolute = pathToFileURL(path).pathname;
    for (const value of [`sqlite:${path}`, `sqlite://${absolute}`, `file://${absolute}`, pathToFileURL(path).href]) {
      const result = await runCli(['stats', '--store', value, '--json']);
      expect(result.code, value).toBe(0);
      expect(JSON.parse(result.stdout), value).toMatchObject({ live: 1, users: 1 });
    }
    expect(parseStoreArg('sqlite:data/sessions.sqlite')).toEqual({ kind: 'sqlite', address: 'data/sessions.sqlite', label: 'data/sessions.sqlite' });
    expect(parseStoreArg('sqlite:///var/lib/app/my%20sessions.sqlite').address).toBe('/var/lib/app/my sessions.sqlite');
    expect(parseStoreArg('data/sessions.sqlite').kind).toBe('sqlite');
  });

  it('postgres:// and redis:// URLs name those stores; a server that does not answer is exit 3, and no message prints a password', async () => {
    for (const [url, kind] of [
      ['postgres://app:s3cret-pw@db.example:5432/app', 'postgres'],
      ['postgresql://app:s3cret-pw@db.example/app', 'postgres'],
      ['redis://:s3cret-pw@cache.example:6379/0', 'redis'],
      ['rediss://cache.example:6380', 'redis'],
    ] as const) {
      const target = parseStoreArg(url);
      expect(target.kind, url).toBe(kind);
      expect(target.address, url).toBe(url);
      expect(target.label, url).not.toContain('s3cret-pw');
    }
    // Nothing listens on port 1 of this host: both stores fail as unavailable, naming the URL without its password.
    for (const url of ['postgres://app:s3cret-pw@127.0.0.1:1/app', 'redis://:s3cret-pw@127.0.0.1:1/0']) {
      const result = await runCli(['stats', '--store', url]);
      expect(result.code, url).toBe(3);
      expect(result.stderr, url).toMatch(/^sessionwarden: /);
      expect(result.stderr, url).toContain('127.0.0.1:1');
      expect(result.stderr, url).not.toContain('s3cret-pw');
    }
    const unknown = await runCli(['stats', '--store', 'mysql://db.example/app']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^sessionwarden: --store: unknown store URL scheme "mysql:"/);
    expect((await runCli(['stats', '--store', 'sqlite://db.example/x.sqlite'])).code).toBe(2);
  });
});

describe('usage errors exit 2 with the usage text', () => {
  it.each([
    [[], /^sessionwarden: which command\?/],
    [['frobnicate'], /^sessionwarden: unknown command "frobnicate"/],
    [['toString'], /^sessionwarden: unknown command "toString"/],
    [['stats', '--bogus'], /^sessionwarden: unknown option --bogus/],
    [['stats', '-x'], /^sessionwarden: unknown option -x/],
    [['list', '--user', 'a', '--user', 'b'], /^sessionwarden: --user is given more than once/],
    [['list', 'alice', 'bob'], /^sessionwarden: list: unexpected argument "bob"/],
    [['stats', 'extra-arg'], /^sessionwarden: stats: unexpected argument "extra-arg"/],
    [['list', 'alice', '--user', 'bob'], /^sessionwarden: list takes one user/],
    [['list'], /^sessionwarden: list needs a user id/],
    [['revoke'], /^sessionwarden: revoke needs a session id/],
    [['revoke', DASH_ID, '--user', 'alice'], /^sessionwarden: revoke takes one session id or --user/],
    [['revoke', '--id', DASH_ID, DOUBLE_DASH_ID], /^sessionwarden: revoke takes one session id or --user/],
    [['stats', '--user', 'alice'], /^sessionwarden: stats does not take --user/],
    [['list', 'alice', '--retention', '7d'], /^sessionwarden: list does not take --retention/],
    [['stats', '--store'], /^sessionwarden: --store needs a value/],
    [['stats', '--store='], /^sessionwarden: --store needs a non-empty value/],
    [['stats', '--json=yes'], /^sessionwarden: --json takes no value/],
  ])('%j', async (argv, message) => {
    const result = await runCli(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toContain('\nUsage: sessionwarden <command>');
    expect(result.stderr).toContain('Exit codes: 0 done');
  });

  it('--help prints the usage on stdout and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: sessionwarden/);
    expect((await runCli(['-h'])).stdout).toBe(result.stdout);
  });
});

describe('argument parser', () => {
  it("takes the next argument as an option's value even when it starts with '-'", () => {
    expect(parseCliArgs(['revoke', '--id', '-abc', '--store', '--odd.sqlite'])).toEqual({ values: { id: '-abc', store: '--odd.sqlite' }, positionals: ['revoke'] });
  });

  it('reads session-id-shaped arguments as positionals, and everything after -- as positionals', () => {
    expect(parseCliArgs(['revoke', DOUBLE_DASH_ID, '--json'])).toEqual({ values: { json: true }, positionals: ['revoke', DOUBLE_DASH_ID] });
    expect(parseCliArgs(['list', '--', '-odd-user', '--json'])).toEqual({ values: {}, positionals: ['list', '-odd-user', '--json'] });
  });
});

describe('as a process', () => {
  const cli = (...argv: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), ...argv], { encoding: 'utf8', timeout: 30_000 });

  it('runs through its entry point with the exit codes of the table', async () => {
    const path = await storeWith([{ id: DASH_ID, userId: 'ivan' }]);
    expect(execFileSync(process.execPath, ['--import', 'tsx', join('src', 'cli', 'main.ts'), 'stats', '--store', path], { encoding: 'utf8' })).toBe('live 1\nended 0\nexpired 0\nusers 1\n');
    expect(cli('revoke', DASH_ID, '--store', path)).toMatchObject({ status: 0, stdout: `ended session ${DASH_ID} of ivan\n` });
    expect(cli('revoke', DASH_ID, '--store', path).status).toBe(1);
    expect(cli('stats', '--bogus').status).toBe(2);
    const missing = cli('stats', '--store', join(dir, 'nope.sqlite'));
    expect(missing.status).toBe(3);
    expect(missing.stderr).toContain(join(dir, 'nope.sqlite'));
    expect(cli('--version')).toMatchObject({ status: 0, stdout: `${version}\n` });
  });
});
