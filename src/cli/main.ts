#!/usr/bin/env node
// The `sessionwarden` command: migrate, list, revoke, clear-expired and stats on a session store.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createWarden } from '../core/warden.js';
import { device } from '../device/index.js';
import { sqliteStore } from '../stores/sqlite/index.js';

const USAGE = `Usage: sessionwarden <command> [options]

Commands:
  migrate                      create the schema (the store also does this on first use)
  list --user <id>             the user's live sessions
  revoke --user <id>           end every session of a user (reason revoked-by-admin)
  revoke --id <session id>     end one session
  clear-expired                delete records that stopped being live longer ago than --retention
  stats                        live, ended and expired sessions, distinct users

Options:
  --store <path>               the SQLite file (default: $SESSIONWARDEN_STORE or sessionwarden.sqlite)
  --retention <duration>       tombstone retention for clear-expired (default 7d)
  --json                       machine-readable output
  -h, --help                   this text
`;

/** What the command printed and its exit code (kept apart from process I/O so tests can call it). */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run the CLI with the given arguments.
 * @example
 * await runCli(['stats', '--store', 'data/sessions.sqlite'])
 */
export async function runCli(argv: string[], env: Record<string, string | undefined> = process.env): Promise<CliResult> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        store: { type: 'string' },
        user: { type: 'string' },
        id: { type: 'string' },
        retention: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    return { code: 2, stdout: '', stderr: `sessionwarden: ${(error as Error).message}\n\n${USAGE}` };
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined) return { code: command === undefined && !values.help ? 2 : 0, stdout: values.help ? USAGE : '', stderr: values.help ? '' : USAGE };
  const path = values.store ?? env.SESSIONWARDEN_STORE ?? 'sessionwarden.sqlite';
  const store = sqliteStore({ path });
  const warden = createWarden({ store, tombstoneRetention: (values.retention ?? '7d') as '7d' });
  const out = (value: unknown, text: string) => (values.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  try {
    switch (command) {
      case 'migrate':
        return { code: 0, stdout: out({ ok: true, store: path }, `schema ready in ${path}`), stderr: '' };
      case 'list': {
        if (!values.user) return usageError('list needs --user <id>');
        const sessions = await warden.listUserSessions(values.user);
        const lines = sessions.map((s) => `${s.id}  ${new Date(s.lastActiveAt).toISOString()}  ${s.ip ?? '-'}  ${device(s.userAgent) ?? '-'}`);
        return { code: 0, stdout: out(sessions, lines.length ? lines.join('\n') : `no live sessions for ${values.user}`), stderr: '' };
      }
      case 'revoke': {
        if (values.user && values.id) return usageError('revoke takes --user or --id, not both');
        if (values.user) {
          const ended = await warden.revokeUserSessions(values.user, { reason: 'revoked-by-admin', actor: 'cli' });
          return { code: 0, stdout: out({ ended: ended.map((s) => s.id) }, `ended ${ended.length} session(s) of ${values.user}`), stderr: '' };
        }
        if (values.id) {
          const ended = await warden.revokeSession(values.id, { reason: 'revoked-by-admin', actor: 'cli' });
          if (ended === null) return { code: 1, stdout: '', stderr: `sessionwarden: no live session with id ${values.id}\n` };
          return { code: 0, stdout: out({ ended: [ended.id] }, `ended session ${ended.id} of ${ended.userId ?? 'an anonymous user'}`), stderr: '' };
        }
        return usageError('revoke needs --user <id> or --id <session id>');
      }
      case 'clear-expired': {
        const deleted = await warden.clearExpired();
        return { code: 0, stdout: out({ deleted }, `deleted ${deleted} expired record(s)`), stderr: '' };
      }
      case 'stats': {
        const stats = await store.stats(Date.now());
        return { code: 0, stdout: out(stats, `live ${stats.live}\nended ${stats.ended}\nexpired ${stats.expired}\nusers ${stats.users}`), stderr: '' };
      }
      default:
        return usageError(`unknown command ${JSON.stringify(command)}`);
    }
  } finally {
    await store.close();
  }
}

function usageError(message: string): CliResult {
  return { code: 2, stdout: '', stderr: `sessionwarden: ${message}\n\n${USAGE}` };
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

if (isMain()) {
  runCli(process.argv.slice(2)).then(
    (result) => {
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      process.exitCode = result.code;
    },
    (error: unknown) => {
      process.stderr.write(`sessionwarden: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
