// One catalogue for every user-visible string, plus locale negotiation and Intl-based formatting of times and counts.
import { messages as ar } from './locales/ar.js';
import { messages as de } from './locales/de.js';
import { messages as en } from './locales/en.js';
import { messages as es } from './locales/es.js';
import { messages as fr } from './locales/fr.js';
import { messages as he } from './locales/he.js';
import { messages as it } from './locales/it.js';
import { messages as nl } from './locales/nl.js';
import { messages as pl } from './locales/pl.js';
import { messages as ptBR } from './locales/pt-BR.js';
import { messages as ru } from './locales/ru.js';
import { messages as zhCN } from './locales/zh-CN.js';

/**
 * A language the product speaks, as a BCP 47 tag.
 * @example
 * const locale: Locale = 'pt-BR';
 */
export type Locale = 'en' | 'de' | 'fr' | 'es' | 'it' | 'nl' | 'pl' | 'pt-BR' | 'ru' | 'zh-CN' | 'ar' | 'he';

/**
 * Every supported locale, English first.
 * @example
 * locales.includes('de'); // true
 */
export const locales: readonly Locale[] = Object.freeze(['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt-BR', 'ru', 'zh-CN', 'ar', 'he']);

/**
 * A message that changes with a `{count}`, one variant per CLDR plural category the language uses; `other` is the fallback.
 * @example
 * const ended: PluralMessage = { one: '{count} other session ended.', other: '{count} other sessions ended.' };
 */
export interface PluralMessage {
  readonly zero?: string;
  readonly one?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
  readonly other: string;
}

/**
 * The shape every locale file must fill completely: a missing key in any language is a type error.
 *
 * Placeholders such as `{seconds}` are replaced by {@link translate}; keep them intact when translating.
 * @example
 * export const messages: Messages = { activeSessions: 'Active Sessions', ... };
 */
export interface Messages {
  // Session list page (the signed-in user's own sessions).
  /** Page title and heading. */
  readonly activeSessions: string;
  /** Column header: "City, Country" of the session's IP. */
  readonly location: string;
  /** Column header: browser and operating system. */
  readonly device: string;
  /** Column header. */
  readonly ipAddress: string;
  /** Column header: when the session was signed in. */
  readonly created: string;
  /** Column header: when the session was last used. */
  readonly lastActivity: string;
  /** Marker next to the session making the request. */
  readonly thisSession: string;
  /** Button on one row. */
  readonly endSession: string;
  /** Button below the list. */
  readonly endAllOtherSessions: string;
  /** Shown when the current session is the only one. */
  readonly noOtherSessions: string;
  /** Confirmation after ending one session. */
  readonly sessionEnded: string;
  /** Confirmation after "end all other sessions"; takes {count}. */
  readonly otherSessionsEnded: PluralMessage;
  /** Shown when the User-Agent was not recognised. */
  readonly unknownDevice: string;
  /** Shown when the IP has no GeoIP location. */
  readonly unknownLocation: string;
  /** Button that ends the current session. */
  readonly signOut: string;
  /** Link back to the application's sign-in page. */
  readonly signIn: string;
  /** Title of the page shown after a session ended. */
  readonly signedOut: string;
  /** Link back to the previous page. */
  readonly back: string;
  /** A device label; {browser} and {os} are product names such as "Chrome" and "Windows 10". */
  readonly deviceOn: string;
  /** Relative time for less than ten seconds ago. */
  readonly justNow: string;
  /** Column header above the row buttons. */
  readonly actions: string;

  // Admin page (every user's sessions).
  /** Page title and heading. */
  readonly allSessions: string;
  /** Column header: the user id. */
  readonly user: string;
  /** Column header and filter label. */
  readonly status: string;
  /** Status of a session that is still valid. */
  readonly active: string;
  /** Status of a session that has ended. */
  readonly ended: string;
  /** Filter option: sessions of any status. */
  readonly all: string;
  /** Filter option: only the administrator's own sessions. */
  readonly mine: string;
  /** Search button. */
  readonly search: string;
  /** Hint inside the empty search box. */
  readonly searchPlaceholder: string;
  /** Button that signs a user out everywhere. */
  readonly endAllForUser: string;
  /** Confirmation after "end all sessions of this user"; takes {count}. */
  readonly userSessionsEnded: PluralMessage;
  /** Pagination link. */
  readonly nextPage: string;
  /** Pagination link back to the start (the list has no "previous"). */
  readonly firstPage: string;
  /** Shown when the filters match nothing. */
  readonly noSessions: string;
  /** Column header. */
  readonly endReason: string;
  /** Admin column value: the user signed out. */
  readonly endReasonLogout: string;
  /** Admin column value: idle timeout. */
  readonly endReasonIdle: string;
  /** Admin column value: absolute timeout. */
  readonly endReasonExpired: string;
  /** Admin column value: pushed out by a newer sign-in over the session limit. */
  readonly endReasonReplaced: string;
  /** Admin column value: ended from the user's own session list. */
  readonly endReasonRevoked: string;
  /** Admin column value: ended from the admin page. */
  readonly endReasonRevokedByAdmin: string;

  // Why a session ended, told to the person it signed out.
  readonly reasonLogout: string;
  readonly reasonIdle: string;
  readonly reasonExpired: string;
  readonly reasonReplaced: string;
  readonly reasonRevoked: string;
  readonly reasonRevokedByAdmin: string;

  /** Sign-in refused by the session limit; {time} is a duration from formatDuration, such as "4 minutes". */
  readonly limitRefused: string;

  // Idle warning shown by the browser script.
  /** Dialog title. */
  readonly warningTitle: string;
  /** Dialog text; {seconds} counts down. */
  readonly warningMessage: string;
  /** Button that keeps the session alive. */
  readonly staySignedIn: string;
  /** Extra line when the page has unsaved form input. */
  readonly unsavedChanges: string;

  /** Shown before a sensitive action when the sign-in is not recent enough. */
  readonly reauthenticationRequired: string;
}

/**
 * The name of one message in the catalogue.
 * @example
 * const key: MessageKey = 'signOut';
 */
export type MessageKey = keyof Messages;

const catalogues: { readonly [L in Locale]: Messages } = {
  en,
  de,
  fr,
  es,
  it,
  nl,
  pl,
  'pt-BR': ptBR,
  ru,
  'zh-CN': zhCN,
  ar,
  he,
};

/**
 * Tells whether a string is one of the supported locale tags (exact spelling).
 * @example
 * isLocale('de'); // true
 */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && Object.hasOwn(catalogues, value);
}

// Accept-Language is attacker-controlled and parsed on every page view: past these bounds it is ignored whole.
const MAX_HEADER_LENGTH = 1024;
const MAX_ENTRIES = 32;
const LANGUAGE_RANGE = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/i;
const QUALITY = /^q=(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/i;

const localeByLowerCase = new Map<string, Locale>(locales.map((locale) => [locale.toLowerCase(), locale]));
// Portuguese speakers get Brazilian Portuguese and every Chinese variant (zh-TW, zh-Hant, zh-HK included) gets
// Simplified Chinese: the closest catalogue we have beats falling back to English. "iw" is Hebrew's old code.
const localeByLanguage = new Map<string, Locale>([
  ['en', 'en'],
  ['de', 'de'],
  ['fr', 'fr'],
  ['es', 'es'],
  ['it', 'it'],
  ['nl', 'nl'],
  ['pl', 'pl'],
  ['pt', 'pt-BR'],
  ['ru', 'ru'],
  ['zh', 'zh-CN'],
  ['ar', 'ar'],
  ['he', 'he'],
  ['iw', 'he'],
]);

/**
 * Picks the best supported locale for an Accept-Language header, honouring q-values; never throws.
 *
 * Each range, best first, matches an exact tag (case-insensitive) and then its language (`de-AT` → `de`,
 * `pt` → `pt-BR`, any `zh-*` → `zh-CN`); `*` means the fallback. Headers over 1 KB or 32 entries are ignored.
 * @example
 * negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8'); // 'fr'
 */
export function negotiateLocale(acceptLanguage: string | null | undefined, fallback: Locale = 'en'): Locale {
  const safeFallback: Locale = isLocale(fallback) ? fallback : 'en';
  if (typeof acceptLanguage !== 'string' || acceptLanguage.length > MAX_HEADER_LENGTH) return safeFallback;
  const parts = acceptLanguage.split(',', MAX_ENTRIES + 1);
  if (parts.length > MAX_ENTRIES) return safeFallback;

  const ranges: Array<{ range: string; quality: number; position: number }> = [];
  parts.forEach((part, position) => {
    const [rangeText = '', ...parameters] = part.split(';');
    const range = rangeText.trim();
    if (!LANGUAGE_RANGE.test(range)) return;
    let quality = 1;
    for (const parameter of parameters) {
      const text = parameter.trim();
      if (text.slice(0, 2).toLowerCase() !== 'q=') continue;
      // A malformed weight makes the whole entry unusable (RFC 9110), not "weight 1".
      if (!QUALITY.test(text)) return;
      quality = Number(text.slice(2));
    }
    ranges.push({ range, quality, position });
  });

  // q=0 means "not this one", which matters when a "*" would otherwise pick it.
  const refused = new Set(ranges.filter((entry) => entry.quality === 0).map((entry) => matchRange(entry.range)));
  const wanted = ranges.filter((entry) => entry.quality > 0);
  wanted.sort((a, b) => b.quality - a.quality || a.position - b.position);
  for (const { range } of wanted) {
    if (range === '*') {
      if (!refused.has(safeFallback)) return safeFallback;
      const other = locales.find((locale) => !refused.has(locale));
      if (other !== undefined) return other;
      continue;
    }
    const match = matchRange(range);
    if (match !== null) return match;
  }
  return safeFallback;
}

function matchRange(range: string): Locale | null {
  const lower = range.toLowerCase();
  const exact = localeByLowerCase.get(lower);
  if (exact !== undefined) return exact;
  const language = lower.split('-', 1)[0] ?? '';
  return localeByLanguage.get(language) ?? null;
}

/**
 * Returns a message in the given locale with `{name}` placeholders filled; a key missing at run time falls back to English.
 *
 * Numbers are formatted for the locale, and a {@link PluralMessage} picks its variant from `params.count`.
 * Placeholders without a value stay visible as `{name}`. The result is plain text: escape it for HTML.
 * @example
 * translate('de', 'otherSessionsEnded', { count: 3 }); // '3 andere Sitzungen beendet.'
 */
export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const resolved: Locale = isLocale(locale) ? locale : 'en';
  // hasOwn, not `in` or `??`: an untyped caller's key such as "toString" must not find Object.prototype.
  const catalogue = Object.hasOwn(catalogues[resolved], key) ? catalogues[resolved] : catalogues.en;
  if (!Object.hasOwn(catalogue, key)) return String(key);
  const message: string | PluralMessage = catalogue[key];
  const text = typeof message === 'string' ? message : choosePlural(resolved, message, params?.count);
  if (params === undefined) return text;
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (!Object.hasOwn(params, name)) return placeholder;
    const value = params[name];
    return typeof value === 'number' ? numberFormat(resolved).format(value) : String(value);
  });
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function choosePlural(locale: Locale, message: PluralMessage, count: string | number | undefined): string {
  const value = typeof count === 'number' ? count : Number(count);
  if (count === undefined || !Number.isFinite(value)) return message.other;
  return message[pluralRules(locale).select(value)] ?? message.other;
}

/**
 * Gives the writing direction of a locale, for the `dir` attribute of pages.
 * @example
 * direction('ar'); // 'rtl'
 */
export function direction(locale: Locale): 'ltr' | 'rtl' {
  return locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr';
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Describes `fromMs` relative to `nowMs` ("5 minutes ago", "in 2 hours", "yesterday"); under ten seconds either way reads "just now".
 *
 * The magnitude is rounded down so that the text never overstates an age. Throws a RangeError for non-finite times.
 * @example
 * formatRelativeTime(Date.now() - 5 * 60_000, Date.now(), 'en'); // '5 minutes ago'
 */
export function formatRelativeTime(fromMs: number, nowMs: number, locale: Locale): string {
  const elapsed = fromMs - nowMs;
  if (!Number.isFinite(elapsed)) throw new RangeError('sessionwarden: formatRelativeTime needs finite millisecond times');
  const size = Math.abs(elapsed);
  if (size < 10 * SECOND) return translate(locale, 'justNow');
  const sign = Math.sign(elapsed);
  const format = relativeTimeFormat(isLocale(locale) ? locale : 'en');
  if (size < MINUTE) return format.format(sign * Math.floor(size / SECOND), 'second');
  if (size < HOUR) return format.format(sign * Math.floor(size / MINUTE), 'minute');
  if (size < DAY) return format.format(sign * Math.floor(size / HOUR), 'hour');
  return format.format(sign * Math.floor(size / DAY), 'day');
}

/**
 * Formats an instant as a localized date and time with its zone ("May 5, 2024, 2:30 PM UTC").
 *
 * Throws a RangeError for an invalid time or an unknown IANA time zone.
 * @example
 * formatDateTime(Date.UTC(2024, 4, 5, 14, 30), 'de', 'Europe/Berlin'); // '5. Mai 2024, 16:30 MESZ'
 */
export function formatDateTime(ms: number, locale: Locale, timeZone: string = 'UTC'): string {
  return dateTimeFormat(isLocale(locale) ? locale : 'en', timeZone).format(ms);
}

/**
 * Spells out a wait such as a retry delay ("30 seconds", "4 minutes", "1 hour, 5 minutes"), rounding up so that it is never too short.
 *
 * Negative and non-finite input reads as zero seconds.
 * @example
 * formatDuration(240, 'en'); // '4 minutes'
 */
export function formatDuration(seconds: number, locale: Locale): string {
  const resolved: Locale = isLocale(locale) ? locale : 'en';
  const total = Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 0;
  const unit = (value: number, name: 'second' | 'minute' | 'hour' | 'day'): string => unitFormat(resolved, name).format(value);
  if (total < 60) return unit(total, 'second');
  const minutes = Math.ceil(total / 60);
  if (minutes < 60) return unit(minutes, 'minute');
  // From an hour on, show two units: "2 hours" alone would round 61 minutes up by 59.
  if (minutes < 24 * 60) {
    return joinUnits(resolved, unit(Math.floor(minutes / 60), 'hour'), minutes % 60 === 0 ? null : unit(minutes % 60, 'minute'));
  }
  const hours = Math.ceil(minutes / 60);
  return joinUnits(resolved, unit(Math.floor(hours / 24), 'day'), hours % 24 === 0 ? null : unit(hours % 24, 'hour'));
}

function joinUnits(locale: Locale, first: string, second: string | null): string {
  return second === null ? first : listFormat(locale).format([first, second]);
}

// Intl constructors are slow next to a lookup, so each formatter is built once per locale and kept.
function memoise<T>(create: (locale: Locale) => T): (locale: Locale) => T {
  const cache = new Map<Locale, T>();
  return (locale) => {
    let value = cache.get(locale);
    if (value === undefined) {
      value = create(locale);
      cache.set(locale, value);
    }
    return value;
  };
}

const pluralRules = memoise((locale) => new Intl.PluralRules(locale));
const numberFormat = memoise((locale) => new Intl.NumberFormat(locale));
const relativeTimeFormat = memoise((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
const listFormat = memoise((locale) => new Intl.ListFormat(locale, { type: 'unit', style: 'long' }));
const unitFormats = {
  second: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' })),
  minute: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' })),
  hour: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' })),
  day: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long' })),
};

function unitFormat(locale: Locale, unit: keyof typeof unitFormats): Intl.NumberFormat {
  return unitFormats[unit](locale);
}

// The time zone may come from a browser (a cookie or form field), so this cache is bounded: a stream of
// distinct bogus zones must not grow memory. Invalid zones throw before they are cached.
const MAX_DATE_FORMATS = 64;
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(locale: Locale, timeZone: string): Intl.DateTimeFormat {
  const cacheKey = `${locale}\u0000${timeZone}`;
  let format = dateTimeFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    if (dateTimeFormats.size >= MAX_DATE_FORMATS) dateTimeFormats.clear();
    dateTimeFormats.set(cacheKey, format);
  }
  return format;
}
