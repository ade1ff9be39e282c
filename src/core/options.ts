// createWarden's options: validated once, defaults filled, frozen; nothing downstream reads raw options.
import { resolveBruteForce, type BruteForceOptions, type BruteForcePolicy } from './brute-force.js';
import { resolveCacheOptions, type CacheOptions } from './cache.js';
import { createClientIpResolver, type ClientIpResolver, type TrustedProxies } from './client-ip.js';
import type { CookieSettings } from './cookie.js';
import { toMilliseconds, type Duration } from './duration.js';
import { SessionConfigError } from './errors.js';
import type { SessionData, SessionEvent, SessionStore } from './types.js';

/** A passive-request rule: an exact path, a prefix ending in `*` (`'/api/poll/*'`), or a RegExp. */
export type PassiveRule = string | RegExp;

/** Who a timeout hook is asked about. */
export interface TimeoutContext {
  userId: string | null;
  ip: string | null;
  userAgent: string | null;
}

/**
 * The concurrency policy: at most `max` live sessions per user.
 * @example
 * limit: { max: 1, lockSeconds: 300 } // utsessions: one session, locked for 5 minutes after login
 */
export interface LimitOptions {
  /** Live sessions allowed per user: a number, or a function of the user id (e.g. admins unlimited: `Infinity`). */
  max: number | ((userId: string) => number | Promise<number>);
  /** Sessions younger than this (from when they were opened) cannot be displaced. @default 300 (0 = no lock) */
  lockSeconds?: number;
  /** What a login over the limit does. @default 'evict-oldest' */
  onExceed?: 'evict-oldest' | 'reject';
}

/**
 * Options of `createWarden`. Durations are `'30m'`-style strings, `{ minutes: 30 }`, or plain numbers of
 * MILLISECONDS (`idleTimeout: 1800` is 1.8 seconds, not 30 minutes).
 * @example
 * createWarden({ store: sqliteStore({ path: 'data/sessions.sqlite' }), idleTimeout: '15m' })
 */
export interface WardenOptions {
  /** Where sessions live. @default sqliteStore({ path: 'sessionwarden.sqlite' }) outside production; required in production */
  store?: SessionStore;
  /** The session cookie. Its name must start with `__Host-` (it is always Secure, HttpOnly, Path=/, no Domain). */
  cookie?: {
    /** @default '__Host-sid' */
    name?: string;
    /** @default 'lax' */
    sameSite?: 'lax' | 'strict';
    /** Give the cookie a Max-Age equal to the remaining absolute lifetime instead of ending with the browser. @default false */
    persistent?: boolean;
    /**
     * A persistent cookie with this Max-Age ("remember me"), never beyond the session's absolute deadline; a session's
     * data can set its own (`cookie.originalMaxAge`, as express-session keeps it). @default none (a browser-session cookie)
     */
    maxAge?: Duration;
    /**
     * Require the `__Host-` prefix. `false` allows another name (such as express-session's `connect.sid`, to keep
     * users signed in across a switch); the cookie stays Secure, HttpOnly, Path=/ and host-only. @default true
     */
    requireHostPrefix?: boolean;
    /** Add the `Partitioned` attribute (CHIPS: a cookie keyed to the top-level site, for embedded apps). @default false */
    partitioned?: boolean;
    /** The `Priority` attribute (Chrome). @default none */
    priority?: 'low' | 'medium' | 'high';
  };
  /**
   * The user a session's data names (`(data) => data.userId ?? data.passport?.user`): every session whose data names a
   * user becomes a record of that user (listed, limited, revocable), and a change of that user when the data is saved
   * counts as a login (new id and secret, the limit, events) or, to nobody, as a logout. Return a string, a number,
   * or null/undefined for none. @default none (only `login()` signs users in)
   */
  userOf?: (data: SessionData) => unknown;
  /**
   * The express-session `secret` (or secrets, newest first) of sessions brought in by `sessionwarden import`: a
   * request with such a signed cookie (`s:<id>.<signature>`) is upgraded to a sessionwarden token on first use.
   * @default none (old cookies are not recognised)
   */
  importSecret?: string | Buffer | readonly (string | Buffer)[];
  /** Sign out after this long without activity. @default '30m' */
  idleTimeout?: Duration;
  /** Sign out this long after the session opened, whatever the activity. @default '12h' */
  absoluteTimeout?: Duration;
  /** Write `lastActiveAt` at most this often per session. @default '60s' */
  touchInterval?: Duration;
  /** Per-user/per-request timeouts, asked when a session is created (login or first write). */
  timeouts?: (context: TimeoutContext) => { idleTimeout?: Duration; absoluteTimeout?: Duration } | undefined | Promise<{ idleTimeout?: Duration; absoluteTimeout?: Duration } | undefined>;
  /** Requests that neither count as activity nor write (polling endpoints). @default [] */
  passive?: readonly PassiveRule[] | ((path: string, method: string) => boolean);
  /** Proxies whose X-Forwarded-For is believed: CIDRs/addresses or a hop count. @default none (socket address only) */
  trustedProxies?: TrustedProxies;
  /** User agents are cut to this many characters before parsing or storage. @default 512 */
  userAgentMaxLength?: number;
  /** Store the client IP with each session. @default true */
  storeIp?: boolean;
  /** Store the user agent with each session. @default true */
  storeUserAgent?: boolean;
  /** Serialised session data above this many bytes is refused. @default 8192 */
  dataMaxBytes?: number;
  /** Which anonymous-session keys survive login; a different user's data never does. @default 'all' */
  keepOnLogin?: 'all' | readonly string[];
  /**
   * At most N live sessions per user. Without this option every account still has a ceiling of
   * `DEFAULT_MAX_SESSIONS` (100) live sessions, the least recently active evicted first (`replaced`), so a script
   * signing in over and over cannot grow one account without bound; `{ max: Infinity }` removes it.
   * @default { max: 100, lockSeconds: 0, onExceed: 'evict-oldest' }
   */
  limit?: LimitOptions;
  /** How long ended and expired records are kept as tombstones (to tell a browser why). @default '7d' */
  tombstoneRetention?: Duration;
  /** A store call slower than this fails closed (503). @default '2s' */
  storeTimeout?: Duration;
  /**
   * The read cache: live records kept in process (at most `maxEntries`, least recently used out first), forgotten as
   * soon as the store reports a change from any process; while its channel is down the cache is empty and bypassed.
   * The store needs `watch()` (every store of sessionwarden/stores has it). @default off
   */
  cache?: CacheOptions | null;
  /** Origins trusted for state-changing requests without Fetch Metadata, e.g. `['https://app.example']`. @default the request's own Host */
  origins?: readonly string[];
  /** Lifecycle and security events (audit logs, "new sign-in" mails). */
  onEvent?: (event: SessionEvent) => void;
  /** The clock, in epoch milliseconds. @default Date.now */
  now?: () => number;
  /** Refuse timeouts beyond NIST 800-63B-4's limits: 'aal2' (idle ≤ 1 h, absolute ≤ 24 h) or 'aal3' (idle ≤ 15 min, absolute ≤ 12 h). @default none */
  profile?: 'aal2' | 'aal3';
  /**
   * Invalid session tokens counted per client: past `threshold` within `window` a `bruteforce-suspected` event is
   * emitted, and with `blockFor` that client's requests carrying a session cookie get 429 for that long. false: off.
   * @default { threshold: 20, window: '1m', blockFor: 0 }
   */
  bruteForce?: BruteForceOptions | false;
  /** Allow a cookie without `__Host-`/Secure for plain-HTTP development on a non-localhost host; refused in production. @default false */
  insecureDevelopmentMode?: boolean;
}

/** The validated, frozen configuration every part of the library reads. */
export interface ResolvedOptions {
  readonly storeGiven: SessionStore | undefined;
  readonly cookie: Readonly<CookieSettings>;
  readonly idleTimeout: number;
  readonly absoluteTimeout: number;
  readonly touchInterval: number;
  readonly timeouts: WardenOptions['timeouts'];
  readonly isPassive: (path: string, method: string) => boolean;
  readonly clientIp: ClientIpResolver;
  readonly userAgentMaxLength: number;
  readonly storeIp: boolean;
  readonly storeUserAgent: boolean;
  readonly dataMaxBytes: number;
  readonly keepOnLogin: 'all' | ReadonlySet<string>;
  readonly limit: Readonly<{ max: LimitOptions['max']; lockMs: number; onExceed: 'evict-oldest' | 'reject' }> | null;
  readonly tombstoneRetention: number;
  readonly storeTimeout: number;
  readonly cache: Readonly<CacheOptions> | null;
  readonly origins: ReadonlySet<string> | null;
  readonly onEvent: ((event: SessionEvent) => void) | null;
  readonly now: () => number;
  readonly userOf: ((data: SessionData) => unknown) | null;
  readonly importSecrets: readonly (string | Buffer)[] | null;
  readonly bruteForce: BruteForcePolicy | null;
}

const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,64}$/;
const KNOWN = new Set<string>([
  'store', 'cookie', 'idleTimeout', 'absoluteTimeout', 'touchInterval', 'timeouts', 'passive', 'trustedProxies',
  'userAgentMaxLength', 'storeIp', 'storeUserAgent', 'dataMaxBytes', 'keepOnLogin', 'limit', 'tombstoneRetention',
  'storeTimeout', 'cache', 'origins', 'onEvent', 'now', 'insecureDevelopmentMode', 'profile', 'userOf', 'importSecret',
  'bruteForce',
]);
const COOKIE_KEYS = new Set(['name', 'sameSite', 'persistent', 'maxAge', 'requireHostPrefix', 'partitioned', 'priority']);

/**
 * Validate options and fill defaults; every mistake throws a SessionConfigError naming the option.
 * @example
 * const resolved = resolveOptions({ idleTimeout: '15m' });
 */
export function resolveOptions(options: WardenOptions = {}): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new SessionConfigError('createWarden() takes an options object');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new SessionConfigError(`unknown option ${JSON.stringify(key)}`);
  }
  const production = process.env.NODE_ENV === 'production';
  const insecure = options.insecureDevelopmentMode === true;
  if (insecure && production) {
    throw new SessionConfigError('insecureDevelopmentMode is refused when NODE_ENV=production: serve over HTTPS and keep the __Host- cookie');
  }
  if (options.store === undefined && production) {
    throw new SessionConfigError('store is required when NODE_ENV=production: pass sqliteStore(), postgresStore() or redisStore() explicitly');
  }
  if (options.store !== undefined) assertStore(options.store);

  const cookieOptions = options.cookie ?? {};
  for (const key of Object.keys(cookieOptions)) {
    if (!COOKIE_KEYS.has(key)) {
      throw new SessionConfigError(`cookie.${key} is not supported: the session cookie is always Secure, HttpOnly, Path=/ with no Domain`);
    }
  }
  const name = cookieOptions.name ?? (insecure ? 'sid' : '__Host-sid');
  if (typeof name !== 'string' || !COOKIE_NAME.test(name)) {
    throw new SessionConfigError('cookie.name must be 1-64 cookie-token characters (no spaces, ";", "=" or control characters)');
  }
  if (!insecure && cookieOptions.requireHostPrefix !== false && !name.startsWith('__Host-')) {
    throw new SessionConfigError('cookie.name must start with "__Host-" (or set insecureDevelopmentMode for plain-HTTP development)');
  }
  const sameSite = cookieOptions.sameSite ?? 'lax';
  if (sameSite !== 'lax' && sameSite !== 'strict') {
    throw new SessionConfigError("cookie.sameSite must be 'lax' or 'strict' ('none' would send the session cookie on cross-site requests)");
  }

  const idleTimeout = toMilliseconds(options.idleTimeout ?? '30m', 'idleTimeout');
  if ('absoluteTimeout' in options && (options.absoluteTimeout === undefined || options.absoluteTimeout === null)) throw new SessionConfigError('absoluteTimeout is required: every session needs a maximum lifetime');
  const absoluteTimeout = toMilliseconds(options.absoluteTimeout ?? '12h', 'absoluteTimeout');
  if (idleTimeout < 1000) throw new SessionConfigError('idleTimeout must be at least 1 second');
  if (absoluteTimeout < 1000) throw new SessionConfigError('absoluteTimeout must be at least 1 second');
  if (idleTimeout > absoluteTimeout) {
    throw new SessionConfigError(`idleTimeout (${idleTimeout} ms) is longer than absoluteTimeout (${absoluteTimeout} ms): a session can never be idle that long; shorten idleTimeout or lengthen absoluteTimeout (plain numbers are milliseconds)`);
  }
  checkProfile(options.profile, idleTimeout, absoluteTimeout);
  const cookieMaxAge = resolveCookieMaxAge(cookieOptions, absoluteTimeout);
  if (cookieOptions.priority !== undefined && !['low', 'medium', 'high'].includes(cookieOptions.priority)) {
    throw new SessionConfigError("cookie.priority must be 'low', 'medium' or 'high'");
  }
  if (options.userOf !== undefined && typeof options.userOf !== 'function') {
    throw new SessionConfigError('userOf must be a function (data) => user id, such as (data) => data.userId ?? data.passport?.user');
  }
  const touchInterval = toMilliseconds(options.touchInterval ?? '60s', 'touchInterval');

  const userAgentMaxLength = options.userAgentMaxLength ?? 512;
  if (!Number.isInteger(userAgentMaxLength) || userAgentMaxLength < 16 || userAgentMaxLength > 4096) {
    throw new SessionConfigError('userAgentMaxLength must be an integer from 16 to 4096');
  }
  const dataMaxBytes = options.dataMaxBytes ?? 8192;
  if (!Number.isInteger(dataMaxBytes) || dataMaxBytes < 2 || dataMaxBytes > 1_048_576) {
    throw new SessionConfigError('dataMaxBytes must be an integer from 2 to 1048576');
  }
  if (options.timeouts !== undefined && typeof options.timeouts !== 'function') {
    throw new SessionConfigError('timeouts must be a function (context) => ({ idleTimeout?, absoluteTimeout? })');
  }
  if (options.onEvent !== undefined && typeof options.onEvent !== 'function') throw new SessionConfigError('onEvent must be a function');
  if (options.now !== undefined && typeof options.now !== 'function') throw new SessionConfigError('now must be a function returning epoch milliseconds');

  const keepOnLogin = options.keepOnLogin ?? 'all';
  if (keepOnLogin !== 'all' && !Array.isArray(keepOnLogin)) throw new SessionConfigError("keepOnLogin must be 'all' or an array of data keys");

  return Object.freeze({
    storeGiven: options.store,
    cookie: Object.freeze({
      name,
      sameSite: sameSite === 'strict' ? 'Strict' : 'Lax',
      secure: !insecure,
      path: '/',
      persistent: cookieMaxAge !== null,
      maxAge: cookieMaxAge,
      partitioned: cookieOptions.partitioned === true,
      priority: cookieOptions.priority ?? null,
    } as const),
    idleTimeout,
    absoluteTimeout,
    touchInterval,
    timeouts: options.timeouts,
    isPassive: passiveMatcher(options.passive),
    clientIp: createClientIpResolver(options.trustedProxies),
    userAgentMaxLength,
    storeIp: options.storeIp !== false,
    storeUserAgent: options.storeUserAgent !== false,
    dataMaxBytes,
    keepOnLogin: keepOnLogin === 'all' ? 'all' : new Set(keepOnLogin),
    limit: resolveLimit(options.limit),
    tombstoneRetention: toMilliseconds(options.tombstoneRetention ?? '7d', 'tombstoneRetention'),
    storeTimeout: toMilliseconds(options.storeTimeout ?? '2s', 'storeTimeout'),
    cache: resolveCacheOptions(options.cache),
    origins: resolveOrigins(options.origins),
    onEvent: options.onEvent ?? null,
    now: options.now ?? Date.now,
    userOf: options.userOf ?? null,
    importSecrets: resolveImportSecrets(options.importSecret),
    bruteForce: resolveBruteForce(options.bruteForce),
  });
}

/** The default Max-Age of the session cookie in ms (null: a browser-session cookie); `persistent` means the absolute timeout. */
function resolveCookieMaxAge(cookie: NonNullable<WardenOptions['cookie']>, absoluteTimeout: number): number | null {
  if (cookie.maxAge === undefined || cookie.maxAge === null) return cookie.persistent === true ? absoluteTimeout : null;
  if (cookie.persistent !== undefined) throw new SessionConfigError('cookie.persistent and cookie.maxAge say the same thing: give one of them');
  return toMilliseconds(cookie.maxAge, 'cookie.maxAge');
}

function resolveImportSecrets(secret: WardenOptions['importSecret']): readonly (string | Buffer)[] | null {
  if (secret === undefined) return null;
  const list = Array.isArray(secret) ? secret : [secret];
  if (list.length === 0 || !list.every((item) => (typeof item === 'string' && item.length > 0) || (Buffer.isBuffer(item) && item.length > 0))) {
    throw new SessionConfigError('importSecret must be the express-session secret: a non-empty string or Buffer, or an array of them (newest first)');
  }
  return Object.freeze([...list]);
}

const PROFILES = { aal2: { idle: 3_600_000, absolute: 86_400_000 }, aal3: { idle: 900_000, absolute: 43_200_000 } } as const;

function checkProfile(profile: WardenOptions['profile'], idle: number, absolute: number): void {
  if (profile === undefined) return;
  const limits = PROFILES[profile];
  if (limits === undefined) throw new SessionConfigError("profile must be 'aal2' or 'aal3'");
  if (idle > limits.idle) throw new SessionConfigError(`idleTimeout exceeds the ${profile} profile's limit of ${limits.idle / 60_000} minutes`);
  if (absolute > limits.absolute) throw new SessionConfigError(`absoluteTimeout exceeds the ${profile} profile's limit of ${limits.absolute / 3_600_000} hours`);
}

function assertStore(store: SessionStore): void {
  const required = ['get', 'create', 'update', 'touch', 'end', 'endByUser', 'listByUser', 'deleteExpired'] as const;
  const missing = required.filter((method) => typeof (store as unknown as Record<string, unknown>)[method] !== 'function');
  if (missing.length > 0) throw new SessionConfigError(`store is missing required methods: ${missing.join(', ')}`);
}

/** The ceiling of live sessions per account when the app sets no `limit`. */
export const DEFAULT_MAX_SESSIONS = 100;

const DEFAULT_LIMIT = Object.freeze({ max: DEFAULT_MAX_SESSIONS, lockMs: 0, onExceed: 'evict-oldest' as const });

function resolveLimit(limit: LimitOptions | undefined): ResolvedOptions['limit'] {
  if (limit === undefined || limit === null) return DEFAULT_LIMIT;
  const { max, lockSeconds = 300, onExceed = 'evict-oldest' } = limit;
  if (typeof max !== 'function' && !(typeof max === 'number' && (max === Infinity || (Number.isInteger(max) && max >= 1)))) {
    throw new SessionConfigError('limit.max must be a whole number >= 1, Infinity, or a function of the user id');
  }
  if (typeof lockSeconds !== 'number' || !Number.isFinite(lockSeconds) || lockSeconds < 0) {
    throw new SessionConfigError('limit.lockSeconds must be a number of seconds >= 0 (0 = no lock)');
  }
  if (onExceed !== 'evict-oldest' && onExceed !== 'reject') throw new SessionConfigError("limit.onExceed must be 'evict-oldest' or 'reject'");
  return Object.freeze({ max, lockMs: Math.round(lockSeconds * 1000), onExceed });
}

function resolveOrigins(origins: readonly string[] | undefined): ReadonlySet<string> | null {
  if (origins === undefined) return null;
  if (!Array.isArray(origins)) throw new SessionConfigError("origins must be an array such as ['https://app.example']");
  const set = new Set<string>();
  for (const origin of origins) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch (error) {
      throw new SessionConfigError(`origins entry ${JSON.stringify(origin)} is not a URL (${(error as Error).message})`);
    }
    if (parsed.origin === 'null' || parsed.origin !== origin.replace(/\/$/, '')) {
      throw new SessionConfigError(`origins entry ${JSON.stringify(origin)} must be a bare origin such as https://app.example`);
    }
    set.add(parsed.origin);
  }
  return set;
}

function passiveMatcher(passive: WardenOptions['passive']): (path: string, method: string) => boolean {
  if (passive === undefined) return () => false;
  if (typeof passive === 'function') return passive;
  if (!Array.isArray(passive)) throw new SessionConfigError('passive must be an array of paths/RegExps or a predicate (path, method) => boolean');
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const patterns: RegExp[] = [];
  for (const rule of passive) {
    if (rule instanceof RegExp) patterns.push(rule);
    else if (typeof rule === 'string' && rule.startsWith('/')) {
      if (rule.endsWith('*')) prefixes.push(rule.slice(0, -1));
      else exact.add(rule);
    } else throw new SessionConfigError(`passive entry ${JSON.stringify(rule)} must be a path starting with "/" or a RegExp`);
  }
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix)) || patterns.some((pattern) => pattern.test(path));
}
