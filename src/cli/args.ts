// The CLI's argument parser: getopt-style options whose value is always the next argument, so ids may start with '-'.
import { isSessionId } from '../core/token.js';
import { CliError, EXIT } from './cli-error.js';

/** The options the CLI knows: string options take a value, flags do not. */
export const OPTIONS = {
  store: 'string',
  user: 'string',
  id: 'string',
  retention: 'string',
  from: 'string',
  'user-key': 'string',
  json: 'flag',
  help: 'flag',
  version: 'flag',
} as const;

/** A known option's name. */
export type OptionName = keyof typeof OPTIONS;

type StringOption = { [K in OptionName]: (typeof OPTIONS)[K] extends 'string' ? K : never }[OptionName];
type FlagOption = Exclude<OptionName, StringOption>;

/** The parsed command line: options given (each at most once) and positionals in order. */
export interface ParsedArgs {
  values: Partial<Record<StringOption, string>> & Partial<Record<FlagOption, true>>;
  positionals: string[];
}

/** Whether an argument has a session id's shape (a boolean, not a type guard: a string that fails it is still a string). */
function isSessionIdShaped(arg: string): boolean {
  return isSessionId(arg);
}

const SHORT: Readonly<Record<string, OptionName>> = { h: 'help' };

/**
 * Parse the CLI arguments. `--name value` takes the next argument as it is (even `-abc`), `--name=value` works too;
 * `--` ends the options; an argument shaped like a session id is a positional even when it starts with '-'.
 * Throws a usage CliError for an unknown, repeated or value-less option.
 * @example
 * parseCliArgs(['revoke', '--id', '-Ab3…']) // { values: { id: '-Ab3…' }, positionals: ['revoke'] }
 */
export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const values: Record<string, string | true> = {};
  const positionals: string[] = [];
  const set = (name: OptionName, value: string | true) => {
    if (name in values) throw new CliError(EXIT.usage, `--${name} is given more than once`);
    values[name] = value;
  };
  for (let index = 0; index < argv.length; index += 1) {
    const arg = argv[index]!;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    // About one session id in 64 starts with '-': one of those is a value, never an option.
    if (!arg.startsWith('-') || arg === '-' || isSessionIdShaped(arg)) {
      positionals.push(arg);
      continue;
    }
    let name: string;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      name = equals === -1 ? arg.slice(2) : arg.slice(2, equals);
      inline = equals === -1 ? undefined : arg.slice(equals + 1);
    } else {
      const short = SHORT[arg.slice(1)];
      if (short === undefined) throw new CliError(EXIT.usage, `unknown option ${arg}`);
      name = short;
    }
    if (!Object.hasOwn(OPTIONS, name)) throw new CliError(EXIT.usage, `unknown option --${name}`);
    const option = name as OptionName;
    if (OPTIONS[option] === 'flag') {
      if (inline !== undefined) throw new CliError(EXIT.usage, `--${option} takes no value`);
      set(option, true);
      continue;
    }
    if (inline === undefined) {
      if (index + 1 >= argv.length) throw new CliError(EXIT.usage, `--${option} needs a value`);
      index += 1;
      inline = argv[index]!;
    }
    if (inline === '') throw new CliError(EXIT.usage, `--${option} needs a non-empty value`);
    set(option, inline);
  }
  return { values: values as ParsedArgs['values'], positionals };
}
