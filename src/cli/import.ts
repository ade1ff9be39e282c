// `sessionwarden import`: express-session sessions written into a sessionwarden store, so users stay signed in across the switch.
import { parseSessionData, serializeSessionData } from '../core/data.js';
import { SessionDataError, SessionStoreError } from '../core/errors.js';
import { importedSecretHash, importedSessionId } from '../core/imported.js';
import type { SessionData, SessionRecord, SessionStore } from '../core/types.js';
import type { SessionSource, SourceSession } from './import-sources.js';

/** What an import did, session by session. */
export interface ImportSummary {
  /** Written into the store. */
  imported: number;
  /** Already in the store (an earlier run, or upgraded since): left as they are. */
  alreadyImported: number;
  /** Past their expiry: nobody can be signed in by them. */
  expired: number;
  /** Not an express-session session (not JSON, not an object, a bad id, data over 1 MiB). */
  malformed: number;
}

/** Options of `importSessions`. */
export interface ImportOptions {
  /** Where the user id may be in the data, tried in order (`['userId']`, `['passport', 'user']`). */
  userKeys: readonly (readonly string[])[];
  /** The clock (epoch ms). @default Date.now */
  now?: () => number;
  /** How long a session whose source names no expiry lives: express-session stores' default TTL. @default one day */
  defaultLifetimeMs?: number;
  /** Told the running totals after each batch. */
  onProgress?: (summary: Readonly<ImportSummary>) => void;
}

const DAY_MS = 86_400_000;
const MAX_DATA_BYTES = 1_048_576;
const MAX_OLD_ID = 512;

/**
 * Copy every session of an express-session store into a sessionwarden store. Each becomes a record whose id and
 * secret hash derive from the old id (never stored in clear), live until the source's own expiry and only through
 * the old signed cookie, which the app's first request with it upgrades to a sessionwarden token. Running it again
 * imports nothing twice.
 * @example
 * const summary = await importSessions(source, store, { userKeys: [['userId'], ['passport', 'user']] });
 */
export async function importSessions(source: SessionSource, store: SessionStore, options: ImportOptions): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, alreadyImported: 0, expired: 0, malformed: 0 };
  const now = options.now ?? Date.now;
  for await (const batch of source.batches()) {
    for (const session of batch) summary[await importOne(session, store, options, now())] += 1;
    options.onProgress?.(summary);
  }
  return summary;
}

async function importOne(session: SourceSession, store: SessionStore, options: ImportOptions, now: number): Promise<keyof ImportSummary> {
  const { oldId } = session;
  if (typeof oldId !== 'string' || oldId.length === 0 || oldId.length > MAX_OLD_ID) return 'malformed';
  const data = dataOf(session.data);
  if (data === null) return 'malformed';
  const cookieExpiry = cookieExpiryOf(data.cookie);
  const expiresAt = session.expiresAt ?? cookieExpiry ?? now + (options.defaultLifetimeMs ?? DAY_MS);
  if (expiresAt <= now || (cookieExpiry !== null && cookieExpiry <= now)) return 'expired';
  const stored = withCookieLifetime(data);
  try {
    serializeSessionData(stored, MAX_DATA_BYTES);
  } catch (error) {
    if (error instanceof SessionDataError) return 'malformed';
    throw error;
  }
  const id = importedSessionId(oldId);
  if ((await store.get(id)) !== null) return 'alreadyImported';
  const record: SessionRecord = {
    id,
    secretHash: importedSecretHash(oldId),
    userId: userIdOf(stored, options.userKeys),
    createdAt: now,
    // When the user signed in is unknown: an imported session is never "fresh" (requireFreshAuth asks again).
    authenticatedAt: null,
    lastActiveAt: now,
    // Live until the source's expiry whatever the activity: its first request applies the app's own timeouts.
    idleTimeout: Math.max(1000, expiresAt - now),
    expiresAt,
    ip: null,
    userAgent: null,
    data: stored,
    endedAt: null,
    endReason: null,
    replacedBy: null,
  };
  try {
    await store.create({ record, now });
  } catch (error) {
    // Written meanwhile by another run of the import.
    if (error instanceof SessionStoreError && error.code === 'STORE_CONFLICT') return 'alreadyImported';
    throw error;
  }
  return 'imported';
}

/** The session data, parsed without prototype keys; null when it is not a JSON object. */
function dataOf(value: unknown): SessionData | null {
  if (typeof value === 'string') {
    const text = value.trim();
    if (!text.startsWith('{')) return null;
    try {
      JSON.parse(text);
    } catch {
      // Not JSON: not a session express-session wrote.
      return null;
    }
    return parseSessionData(text);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return parseSessionData(JSON.stringify(value));
  return null;
}

/** express-session's `cookie.expires` (an ISO date in the stored JSON), or null. */
function cookieExpiryOf(cookie: unknown): number | null {
  if (cookie === null || typeof cookie !== 'object') return null;
  const expires = (cookie as { expires?: unknown }).expires;
  if (typeof expires !== 'string' && typeof expires !== 'number') return null;
  const at = new Date(expires).getTime();
  return Number.isFinite(at) ? at : null;
}

/**
 * The data as the Express adapter keeps it: express-session's `cookie` reduced to its lifetime (`originalMaxAge`,
 * which keeps a "remember me" cookie persistent), first; nothing of it for a browser-session cookie.
 */
function withCookieLifetime(data: SessionData): SessionData {
  const { cookie, ...rest } = data;
  const lifetime = cookie !== null && typeof cookie === 'object' ? (cookie as { originalMaxAge?: unknown }).originalMaxAge : undefined;
  return typeof lifetime === 'number' && Number.isFinite(lifetime) ? { cookie: { originalMaxAge: lifetime }, ...rest } : rest;
}

/** The first user id found at one of the key paths: a non-empty string, or a number as a string. */
function userIdOf(data: SessionData, paths: readonly (readonly string[])[]): string | null {
  for (const path of paths) {
    let value: unknown = data;
    for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value.length > 0 && value.length <= 256) return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  }
  return null;
}
