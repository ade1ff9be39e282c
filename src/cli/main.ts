#!/usr/bin/env node
// The `sessionwarden` command: migrate, list, revoke, clear-expired and stats on a session store.
import type { SqliteCompaction } from '../stores/sqlite/index.js';
import { readFileSync, realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SessionStoreError } from '../core/errors.js';
import { createWarden } from '../core/warden.js';
import { device } from '../device/index.js';
import { parseCliArgs, type OptionName, type ParsedArgs } from './args.js';
import { CliError, EXIT, messageOf, type ExitCode } from './cli-error.js';
import { importSessions, type ImportSummary } from './import.js';
import { openSource } from './import-sources.js';
import { openStoreFromUrl, type OpenedStore } from './store-from-arg.js';

const USAGE = `Usage: sessionwarden <command> [arguments] [options]

Commands:
  migrate                      create the store, or bring its schema up to date (the only command that creates)
  list <user id>               the user's live sessions (also: list --user <user id>)
  revoke <session id>          end one session (also: revoke --id <session id>)
  revoke --user <user id>      end every session of a user (reason revoked-by-admin)
  clear-expired                delete records that stopped being live longer ago than --retention
  stats                        live, ended and expired sessions, distinct users
  import --from <source>       copy express-session's sessions into the store (users stay signed in):
                               redis://host:port[/db][?prefix=sess:]          connect-redis
                               postgres://…/db[?table=session&schema=public]  connect-pg-simple
                               sqlite:<file>[?table=sessions]                  better-sqlite3-session-store, connect-sqlite3

Options:
  --store <path or URL>        a SQLite file path, sqlite:<path>, sqlite:///<absolute path>,
                               or postgres://user:password@host:5432/database
                               (default: $SESSIONWARDEN_STORE, else sessionwarden.sqlite)
  --retention <duration>       clear-expired: keep ended records this long, e.g. 7d, 12h, 30m, 0s (default 7d)
  --user-key <paths>           import: where the data names the user, comma-separated (default userId,passport.user)
  --json                       machine-readable output
  --version                    the sessionwarden version
  -h, --help                   this text

An option's value is the next argument as it is (--id -x…), or write --id=<value>; a session id
starting with '-' also works as a positional. Anything after -- is positional.

Exit codes: 0 done (also when nothing matched), 1 no live session with that id (revoke),
2 usage error, 3 store unavailable (missing: run migrate; unreadable; not a store; the import source).
`;

/** What the command printed and its exit code (kept apart from process I/O so tests can call it). */
export interface CliResult {
  code: ExitCode;
  stdout: string;
  stderr: string;
}

/** Where a long command reports how far it got (the terminal: stderr). */
export interface CliProgress {
  /** The import's running totals, after each batch. */
  importing?: (summary: Readonly<ImportSummary>, from: string) => void;
}

/** One command, checked and normalised before any store is opened. */
type Command =
  | { name: 'migrate' }
  | { name: 'list'; userId: string }
  | { name: 'revoke-session'; sessionId: string }
  | { name: 'revoke-user'; userId: string }
  | { name: 'clear-expired'; retentionMs: number }
  | { name: 'stats' }
  | { name: 'import'; from: string; userKeys: string[][] };

/** Per command: the options it takes besides --store and --json, and how many positionals follow its name. */
const COMMANDS: Readonly<Record<string, { options: readonly OptionName[]; operands: number }>> = {
  migrate: { options: [], operands: 0 },
  list: { options: ['user'], operands: 1 },
  revoke: { options: ['user', 'id'], operands: 1 },
  'clear-expired': { options: ['retention'], operands: 0 },
  stats: { options: [], operands: 0 },
  import: { options: ['from', 'user-key'], operands: 0 },
};

const DAY_MS = 86_400_000;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: DAY_MS } as const;

/**
 * Run the CLI with the given arguments; never throws (failures come back as an exit code and a message).
 * @example
 * await runCli(['stats', '--store', 'data/sessions.sqlite'])
 */
export async function runCli(argv: readonly string[], env: Record<string, string | undefined> = process.env, progress: CliProgress = {}): Promise<CliResult> {
  try {
    return await run(argv, env, progress);
  } catch (error) {
    if (error instanceof CliError) {
      const usage = error.exitCode === EXIT.usage ? `\n${USAGE}` : '';
      return { code: error.exitCode, stdout: '', stderr: `sessionwarden: ${messageOf(error)}\n${usage}` };
    }
    return { code: EXIT.internal, stdout: '', stderr: `sessionwarden: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n` };
  }
}

async function run(argv: readonly string[], env: Record<string, string | undefined>, progress: CliProgress): Promise<CliResult> {
  const { values, positionals } = parseCliArgs(argv);
  if (values.help) return { code: EXIT.done, stdout: USAGE, stderr: '' };
  if (values.version) return { code: EXIT.done, stdout: `${packageVersion()}\n`, stderr: '' };
  const command = toCommand(values, positionals);
  // migrate creates the store; so does import, which fills it (a store that does not exist yet is the usual target).
  const opened = await openStoreFromUrl(values.store ?? (env.SESSIONWARDEN_STORE || 'sessionwarden.sqlite'), { create: command.name === 'migrate' || command.name === 'import' });
  try {
    if (command.name === 'import') return await runImport(command, opened, values.json === true, progress);
    return await execute(command, opened, values.json === true);
  } catch (error) {
    if (error instanceof SessionStoreError) throw new CliError(EXIT.storeUnavailable, `${opened.label}: ${messageOf(error)}`, { cause: error });
    throw error;
  } finally {
    await opened.store.close();
  }
}

function toCommand(values: ParsedArgs['values'], positionals: readonly string[]): Command {
  const [name, ...operands] = positionals;
  if (name === undefined) throw new CliError(EXIT.usage, 'which command? (migrate, list, revoke, clear-expired, stats or import)');
  if (!Object.hasOwn(COMMANDS, name)) throw new CliError(EXIT.usage, `unknown command ${JSON.stringify(name)}`);
  const spec = COMMANDS[name]!;
  for (const option of Object.keys(values) as OptionName[]) {
    if (option !== 'store' && option !== 'json' && !spec.options.includes(option)) throw new CliError(EXIT.usage, `${name} does not take --${option}`);
  }
  if (operands.length > spec.operands) throw new CliError(EXIT.usage, `${name}: unexpected argument ${JSON.stringify(operands[spec.operands])}`);
  const operand = operands[0];
  switch (name) {
    case 'list': {
      if (operand !== undefined && values.user !== undefined) throw new CliError(EXIT.usage, 'list takes one user: as an argument or with --user, not both');
      const userId = operand ?? values.user;
      if (userId === undefined) throw new CliError(EXIT.usage, 'list needs a user id: list <user id>');
      return { name, userId };
    }
    case 'revoke': {
      const given = [operand, values.id, values.user].filter((value) => value !== undefined).length;
      if (given > 1) throw new CliError(EXIT.usage, 'revoke takes one session id or --user <user id>, not both');
      if (values.user !== undefined) return { name: 'revoke-user', userId: values.user };
      const sessionId = operand ?? values.id;
      if (sessionId === undefined) throw new CliError(EXIT.usage, 'revoke needs a session id (revoke <session id>) or --user <user id>');
      return { name: 'revoke-session', sessionId };
    }
    case 'clear-expired':
      return { name, retentionMs: retentionOf(values.retention ?? '7d') };
    case 'migrate':
    case 'stats':
      return { name };
    case 'import': {
      if (values.from === undefined) throw new CliError(EXIT.usage, 'import needs --from <source> (redis://…, postgres://… or sqlite:<file>)');
      const keys = (values['user-key'] ?? 'userId,passport.user').split(',').map((path) => path.trim());
      if (keys.some((path) => path === '' || path.split('.').some((part) => part === ''))) {
        throw new CliError(EXIT.usage, `--user-key takes dotted paths separated by commas, such as userId,passport.user (got ${JSON.stringify(values['user-key'])})`);
      }
      return { name, from: values.from, userKeys: keys.map((path) => path.split('.')) };
    }
    default:
      throw new CliError(EXIT.usage, `unknown command ${JSON.stringify(name)}`);
  }
}

/** `--retention`: a number with a unit; a bare number is refused, since seconds and milliseconds are both plausible readings. */
function retentionOf(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (match === null) {
    const hint = /^\d+(?:\.\d+)?$/.test(text) ? ` (a number needs a unit: ${text}s? ${text}d?)` : '';
    throw new CliError(EXIT.usage, `--retention takes a duration such as 7d, 12h, 30m or 0s; got ${JSON.stringify(text)}${hint}`);
  }
  return Math.round(Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS]);
}

async function runImport(command: Extract<Command, { name: 'import' }>, { store, label }: OpenedStore, json: boolean, progress: CliProgress): Promise<CliResult> {
  const source = await openSource(command.from);
  let summary: ImportSummary;
  try {
    summary = await importSessions(source, store, { userKeys: command.userKeys, onProgress: (totals) => progress.importing?.(totals, source.label) });
  } catch (error) {
    if (error instanceof CliError || error instanceof SessionStoreError) throw error;
    throw new CliError(EXIT.storeUnavailable, `${source.label}: ${messageOf(error)}`, { cause: error });
  } finally {
    await source.close();
  }
  const text = `imported ${summary.imported}, already imported ${summary.alreadyImported}, skipped as expired ${summary.expired}, refused as malformed ${summary.malformed}\nfrom ${source.label}\ninto ${label}`;
  return { code: EXIT.done, stdout: json ? `${JSON.stringify({ ...summary, from: source.label, store: label })}\n` : `${text}\n`, stderr: '' };
}

async function execute(command: Exclude<Command, { name: 'import' }>, { store, label }: OpenedStore, json: boolean): Promise<CliResult> {
  const out = (value: unknown, text: string): CliResult => ({ code: EXIT.done, stdout: json ? `${JSON.stringify(value)}\n` : `${text}\n`, stderr: '' });
  // A sweep or count over millions of rows on a server may take longer than a request's store call should.
  const warden = createWarden({ store, storeTimeout: '10m', tombstoneRetention: command.name === 'clear-expired' ? command.retentionMs : 7 * DAY_MS });
  switch (command.name) {
    case 'migrate':
      // Idempotent: a SQLite store has already done it when it opened; a server's store does it now.
      try {
        await store.migrate();
      } catch (error) {
        throw new CliError(EXIT.storeUnavailable, `${label}: ${messageOf(error)}`, { cause: error });
      }
      return out({ ok: true, store: label }, `schema ready in ${label}`);
    case 'list': {
      const sessions = (await warden.listUserSessions(command.userId)).map((session) => ({ ...session, device: device(session.userAgent) }));
      if (sessions.length === 0) return out(sessions, `no live sessions for ${command.userId}`);
      const rows = sessions.map((session) => [session.id, new Date(session.lastActiveAt).toISOString(), session.ip ?? '-', session.device ?? '-']);
      return out(sessions, formatTable(['session id', 'last active (UTC)', 'ip', 'device'], rows));
    }
    case 'revoke-user': {
      const ended = await warden.revokeUserSessions(command.userId, { reason: 'revoked-by-admin', actor: 'cli' });
      return out({ ended: ended.map((session) => session.id) }, `ended ${ended.length} session(s) of ${command.userId}`);
    }
    case 'revoke-session': {
      const ended = await warden.revokeSession(command.sessionId, { reason: 'revoked-by-admin', actor: 'cli' });
      if (ended === null) return { code: EXIT.notFound, stdout: '', stderr: `sessionwarden: no live session with id ${command.sessionId} in ${label}\n` };
      return out({ ended: [ended.id] }, `ended session ${ended.id} of ${ended.userId ?? 'an anonymous user'}`);
    }
    case 'clear-expired': {
      const deleted = await warden.clearExpired();
      // A SQLite file also gives the space back: WAL checkpointed and truncated, free pages released.
      const compact = (store as { compact?: () => Promise<SqliteCompaction> }).compact;
      if (typeof compact !== 'function') return out({ deleted }, `deleted ${deleted} expired record(s)`);
      const done = await compact.call(store);
      const freed = Math.max(0, done.fileBefore + done.walBefore - done.fileAfter - done.walAfter);
      return out(
        { deleted, ...done, bytesFreed: freed },
        `deleted ${deleted} expired record(s)\nfreed ${formatBytes(freed)}: database ${formatBytes(done.fileBefore)} -> ${formatBytes(done.fileAfter)}, WAL ${formatBytes(done.walBefore)} -> ${formatBytes(done.walAfter)}, ${done.pagesReleased} free page(s) released`,
      );
    }
    case 'stats': {
      const stats = await warden.stats();
      return out(stats, `live ${stats.live}\nended ${stats.ended}\nexpired ${stats.expired}\nusers ${stats.users}`);
    }
  }
}

/** Bytes as B, KiB or MiB with one decimal. */
function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Columns padded to their widest cell, two spaces apart, with a header line. */
function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The version in the package.json two folders up: the package root from dist/cli/ and the repository from src/cli/. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Whether this module is the process's entry point (also through npm's bin symlink). */
function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    // An entry path that cannot be resolved is not this file.
    return false;
  }
}

/** Running totals on the terminal: one line rewritten in place, or a line every 5,000 sessions when not a terminal. */
function terminalProgress(): CliProgress {
  let lastLine = 0;
  return {
    importing(summary, from) {
      const read = summary.imported + summary.alreadyImported + summary.expired + summary.malformed;
      const line = `importing from ${from}: ${read} read (imported ${summary.imported}, already imported ${summary.alreadyImported}, expired ${summary.expired}, malformed ${summary.malformed})`;
      if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${line}`);
      else if (read - lastLine >= 5000) {
        lastLine = read;
        process.stderr.write(`${line}\n`);
      }
    },
  };
}

if (isMain()) {
  runCli(process.argv.slice(2), process.env, terminalProgress()).then(
    (result) => {
      if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.code;
    },
    (error: unknown) => {
      process.stderr.write(`sessionwarden: internal error (please report it): ${messageOf(error)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
