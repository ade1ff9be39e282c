// `--store` for the CLI: the shared store table (stores/open.ts), its failures turned into the CLI's exit codes.
import { SessionConfigError, SessionStoreError } from '../core/errors.js';
import { openStore, parseStoreUrl, type OpenedSessionStore, type StoreTarget } from '../stores/open.js';
import { CliError, EXIT, messageOf } from './cli-error.js';

export type { StoreTarget } from '../stores/open.js';

/** A store the CLI can run every command on (admin counts, migration and a way to release it). */
export type CliStore = OpenedSessionStore;

/** An opened store and how messages name it (a path, or a URL without its password). */
export interface OpenedStore {
  store: CliStore;
  label: string;
}

/**
 * Options of `openStoreFromUrl`.
 * @example
 * await openStoreFromUrl('data/sessions.sqlite', { create: false })
 */
export interface OpenStoreOptions {
  /** Create the store when it does not exist: only `migrate` does, so a mistyped path is an error, not an empty store. */
  create: boolean;
}

/**
 * Read a `--store` value (see `parseStoreUrl`); a value that names no store is a usage error.
 * @example
 * parseStoreArg('sqlite:///var/lib/app/sessions.sqlite').address // '/var/lib/app/sessions.sqlite'
 */
export function parseStoreArg(value: string): StoreTarget {
  try {
    return parseStoreUrl(value);
  } catch (error) {
    throw new CliError(EXIT.usage, `--store: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Open the store a `--store` value (path or URL) names; a missing store is an error unless `create` is set.
 * Throws a CliError: usage (bad URL, store kind not in this version) or store unavailable (missing, unopenable).
 * @example
 * const { store, label } = await openStoreFromUrl(process.env.SESSIONWARDEN_STORE ?? 'sessionwarden.sqlite', { create: false });
 */
export async function openStoreFromUrl(value: string, options: OpenStoreOptions): Promise<OpenedStore> {
  const target = parseStoreArg(value);
  try {
    const { store, label } = openStore(target, options);
    // A Redis server that does not answer is reported now (exit 3), not after the command's first call timed out.
    const probe = (store as { probe?: (timeoutMs: number) => Promise<void> }).probe;
    if (typeof probe === 'function') {
      await probe.call(store, 5000).catch(async (error: unknown) => {
        await store.close();
        throw new SessionStoreError('STORE_UNAVAILABLE', `${label}: ${messageOf(error)}`, { cause: error });
      });
    }
    return { store, label };
  } catch (error) {
    if (error instanceof SessionConfigError) throw new CliError(EXIT.usage, messageOf(error), { cause: error });
    if (error instanceof SessionStoreError) throw new CliError(EXIT.storeUnavailable, messageOf(error), { cause: error });
    throw error;
  }
}
