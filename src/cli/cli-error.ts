// The CLI's exit codes and the one error type that carries them from wherever a command fails to the printed answer.

/**
 * Exit codes of the `sessionwarden` command (the README's table).
 * @example
 * process.exitCode = EXIT.usage;
 */
export const EXIT = {
  /** Done, including "nothing matched" (a user without sessions, nothing to clear). */
  done: 0,
  /** `revoke <session id>`: no live session has that id. */
  notFound: 1,
  /** Bad arguments: unknown command or option, a missing or repeated value, a malformed duration or store URL. */
  usage: 2,
  /** The store cannot be used: missing (only `migrate` creates one), unreadable, not a store, or failing. */
  storeUnavailable: 3,
  /** Anything else: a bug in sessionwarden. */
  internal: 70,
} as const;

/** One of the CLI's exit codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * A failure the CLI reports as one `sessionwarden: …` line (plus the usage text for usage errors) and an exit code.
 * @example
 * throw new CliError(EXIT.usage, 'revoke takes --user or --id, not both');
 */
export class CliError extends Error {
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * An error's message without a leading `sessionwarden: ` (the CLI adds its own prefix once).
 * @example
 * messageOf(new Error('sessionwarden: cannot open the SQLite store')) // 'cannot open the SQLite store'
 */
export function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^(?:sessionwarden:\s*)+/, '');
}
