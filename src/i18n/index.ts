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
 * A message that changes with a `{count}`, one variant per CLDR plural category the language uses; `other` is the
 * fallback, and `'=0'` (when given) is used for exactly zero, before the category ("No other session was active.").
 * @example
 * const ended: PluralMessage = { '=0': 'No other session was active.', one: '{count} other session was ended.', other: '{count} other sessions were ended.' };
 */
export interface PluralMessage {
  readonly '=0'?: string;
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
 * Placeholders such as `{device}` are replaced by {@link translate}; keep them intact when translating.
 * @example
 * export const messages: Messages = { activeSessions: 'Active sessions', ... };
 */
export interface Messages {
  // The signed-in user's session list.
  /** Page title and heading; apps use it for their link to the page too. */
  readonly activeSessions: string;
  /** The sentence under the heading: what the page is for. */
  readonly sessionsIntro: string;
  /** Link from the session pages back to the application. */
  readonly backToApp: string;
  /** Badge on the session making the request. */
  readonly thisDevice: string;
  /** Activity line of the current session. */
  readonly activeNow: string;
  /** Activity line of another session; {time} is a relative time ("5 minutes ago") or a date. */
  readonly lastActive: string;
  /** When the session signed in; {time} as in `lastActive`. */
  readonly signedInAt: string;
  /** Label: "City, Country" of the session's IP. */
  readonly location: string;
  /** Label: browser and operating system. */
  readonly device: string;
  /** Label. */
  readonly ipAddress: string;
  /** Button on another session. */
  readonly endSession: string;
  /** Button below the list. */
  readonly endAllOtherSessions: string;
  /** Shown when the current session is the only one. */
  readonly noOtherSessions: string;
  /** Confirmation after ending one session; {device} is its label. */
  readonly sessionEndedOn: string;
  /** Confirmation after "end all other sessions"; takes {count}. */
  readonly otherSessionsEnded: PluralMessage;
  /** Shown when the User-Agent was not recognised. */
  readonly unknownDevice: string;
  /** A crawler whose name is not known. */
  readonly bot: string;
  /** Button that ends the current session. */
  readonly signOut: string;
  /** Sign-in button and page title. */
  readonly signIn: string;
  /** Link back to the previous page. */
  readonly back: string;
  /** Link that leaves a confirmation without doing anything. */
  readonly cancel: string;
  /** Button that goes on to the next step. */
  readonly continue: string;
  /** A device label; {browser} and {os} are product names such as "Chrome" and "Windows 10". */
  readonly deviceOn: string;
  /** Relative time for less than ten seconds ago. */
  readonly justNow: string;
  /** Hidden column header above the row buttons. */
  readonly actions: string;

  // Confirmations before ending sessions.
  /** Title of the confirmation; {device} is the label. */
  readonly confirmEndSession: string;
  /** What ending it does. */
  readonly confirmEndSessionText: string;
  /** Title of the "end all other sessions" confirmation; takes {count}. */
  readonly confirmEndOthers: PluralMessage;
  /** Above the list of devices that will be signed out. */
  readonly confirmEndOthersText: string;
  /** Said when the password step comes first. */
  readonly freshNeeded: string;

  // Admin page (every user's sessions).
  /** Page title and heading. */
  readonly allSessions: string;
  /** Column header: the user id. */
  readonly user: string;
  /** Column header: device, IP and location. */
  readonly session: string;
  /** Column header: when the session signed in. */
  readonly signedIn: string;
  /** Column header: when the session was last used. */
  readonly lastActivity: string;
  /** Column header and filter label. */
  readonly status: string;
  /** Status of one session that is still valid. */
  readonly active: string;
  /** Status of one session that has ended. */
  readonly ended: string;
  /** When an ended session ended; {time} as in `lastActive`. */
  readonly endedAt: string;
  /** Filter option: sessions of any status (plural). */
  readonly filterAll: string;
  /** Filter option: active sessions (plural). */
  readonly filterActive: string;
  /** Filter option: ended sessions (plural). */
  readonly filterEnded: string;
  /** Filter: only the administrator's own sessions. */
  readonly mine: string;
  /** Label of the search field (a noun). */
  readonly searchLabel: string;
  /** Search button (a verb). */
  readonly search: string;
  /** Hint inside the empty search box. */
  readonly searchPlaceholder: string;
  /** Button that signs a user out everywhere. */
  readonly endAllForUser: string;
  /** Title of its confirmation; takes {count} and {user}. */
  readonly confirmEndUser: PluralMessage;
  /** What it does; takes {user}. */
  readonly confirmEndUserText: string;
  /** Confirmation after "end all sessions of this user"; takes {count}. */
  readonly userSessionsEnded: PluralMessage;
  /** Pagination link. */
  readonly nextPage: string;
  /** Pagination link back to the start (the list has no "previous"). */
  readonly firstPage: string;
  /** Shown when the filters match nothing. */
  readonly noSessions: string;
  /** Admin status detail: the user signed out. */
  readonly endReasonLogout: string;
  /** Admin status detail: idle timeout. */
  readonly endReasonIdle: string;
  /** Admin status detail: absolute timeout. */
  readonly endReasonExpired: string;
  /** Admin status detail: pushed out by a newer sign-in over the session limit. */
  readonly endReasonReplaced: string;
  /** Admin status detail: ended from the user's own session list. */
  readonly endReasonRevoked: string;
  /** Admin status detail: ended from the admin page. */
  readonly endReasonRevokedByAdmin: string;

  // Why a session ended, told to the person it signed out.
  readonly reasonLogout: string;
  readonly reasonIdle: string;
  readonly reasonExpired: string;
  readonly reasonReplaced: string;
  readonly reasonRevoked: string;
  readonly reasonRevokedByAdmin: string;

  // A sign-in refused by the session limit.
  /** Title of the refusal. */
  readonly limitTitle: string;
  /** The session in the way; {device} is its label and {time} its last activity. */
  readonly limitDevice: string;
  /** The limit itself; takes {count}. */
  readonly limitMax: PluralMessage;
  /** With a lock window: {clock} is a local time, {idle} a duration such as "5 minutes". */
  readonly limitWaitUntil: string;
  /** Without a lock window: {idle} as above. */
  readonly limitWaitIdle: string;
  /** Offered when the app allows ending the other session. */
  readonly limitTakeOverText: string;
  /** Button that ends the other session and signs in. */
  readonly limitTakeOver: string;
  /** Button that retries the sign-in. */
  readonly tryAgain: string;

  // Sign-in and password confirmation pages an application renders.
  readonly username: string;
  readonly password: string;
  readonly wrongCredentials: string;
  readonly wrongPassword: string;
  /** Title of the password confirmation ("sudo mode"). */
  readonly confirmPasswordTitle: string;
  /** Its button. */
  readonly confirm: string;
  /** Why it is asked when the user came from the session list. */
  readonly reauthForSessions: string;
  /** Shown when an action needs a recent sign-in and no confirmation page is configured. */
  readonly reauthenticationRequired: string;

  // Error pages.
  readonly notFoundTitle: string;
  readonly notFoundText: string;
  readonly methodNotAllowedTitle: string;
  readonly methodNotAllowedText: string;
  /** A state change refused by the CSRF check. */
  readonly csrfTitle: string;
  /** The CSRF token was missing or wrong (the request itself came from this site, or could not be told). */
  readonly csrfText: string;
  /** The request came from another site. */
  readonly csrfCrossSiteText: string;
  /** The session store is unavailable. */
  readonly unavailableTitle: string;
  readonly unavailableText: string;

  // Idle warning shown by the browser script.
  /** Dialog title. */
  readonly warningTitle: string;
  /** Dialog text; {time} counts down as minutes and seconds ("0:42"). */
  readonly warningMessage: string;
  /** Announced to screen readers as the countdown runs; takes {count} (seconds). */
  readonly warningAnnounce: PluralMessage;
  /** Button that keeps the session alive. */
  readonly staySignedIn: string;
  /** Button that signs out at once. */
  readonly signOutNow: string;
  /** Legacy text of the leave prompt when the page has unsaved form input. */
  readonly unsavedChanges: string;
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
// Portuguese speakers get Brazilian Portuguese, and Chinese readers Simplified Chinese: the closest catalogue we have
// beats falling back to English. "iw" is Hebrew's old code.
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
// Traditional-Chinese readers (Taiwan, Hong Kong, Macau, zh-Hant) can read Simplified Chinese, but many prefer a language
// they listed next: such a range is only a weak match, used when nothing else in the header matches.
const TRADITIONAL_CHINESE = /^zh-(?:hant|tw|hk|mo)(?:-|$)/;

/**
 * A negotiated locale: `locale` picks the catalogue, `tag` is the request's own tag for Intl formatting (dates in
 * en-GB, Arabic-Indic digits in ar-EG), always a tag of the same language.
 * @example
 * const chosen: ChosenLocale = { locale: 'en', tag: 'en-GB' };
 */
export interface ChosenLocale {
  readonly locale: Locale;
  readonly tag: string;
}

/**
 * Picks the best supported locale for an Accept-Language header, honouring q-values; never throws.
 *
 * Each range, best first, matches an exact tag (case-insensitive) and then its language (`de-AT` → `de`,
 * `pt` → `pt-BR`, `zh` → `zh-CN`); `*` means the fallback. A Traditional-Chinese range (zh-TW, zh-HK, zh-Hant) gives
 * Simplified Chinese only when no other range matches. `q=0` refuses a catalogue only when the range names it or its
 * whole language (`en-GB;q=0` still allows `en`). Headers over 1 KB or 32 entries are ignored.
 * @example
 * negotiateLocale('fr-CH, fr;q=0.9, en;q=0.8'); // 'fr'
 */
export function negotiateLocale(acceptLanguage: string | null | undefined, fallback: Locale = 'en'): Locale {
  return chooseLocale(acceptLanguage, fallback).locale;
}

/**
 * Like {@link negotiateLocale}, but also keeps the matched range as the tag for Intl formatting.
 * @example
 * chooseLocale('en-GB,en;q=0.9'); // { locale: 'en', tag: 'en-GB' }
 */
export function chooseLocale(acceptLanguage: string | null | undefined, fallback: Locale = 'en'): ChosenLocale {
  const safeFallback: Locale = isLocale(fallback) ? fallback : 'en';
  const plain = { locale: safeFallback, tag: safeFallback };
  if (typeof acceptLanguage !== 'string' || acceptLanguage.length > MAX_HEADER_LENGTH) return plain;
  const parts = acceptLanguage.split(',', MAX_ENTRIES + 1);
  if (parts.length > MAX_ENTRIES) return plain;

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
  const refused = new Set(ranges.filter((entry) => entry.quality === 0).map((entry) => refusedBy(entry.range)));
  const wanted = ranges.filter((entry) => entry.quality > 0);
  wanted.sort((a, b) => b.quality - a.quality || a.position - b.position);
  let weak: ChosenLocale | null = null;
  for (const { range } of wanted) {
    if (range === '*') {
      if (!refused.has(safeFallback)) return plain;
      const other = locales.find((locale) => !refused.has(locale));
      if (other !== undefined) return { locale: other, tag: other };
      continue;
    }
    const match = matchRange(range);
    if (match === null || refused.has(match)) continue;
    const chosen = { locale: match, tag: intlTag(range, match) };
    if (!TRADITIONAL_CHINESE.test(range.toLowerCase())) return chosen;
    weak ??= { locale: match, tag: match };
  }
  return weak ?? plain;
}

/** The catalogue a q=0 range refuses: only one it names exactly, or by its bare language. */
function refusedBy(range: string): Locale | null {
  const lower = range.toLowerCase();
  return localeByLowerCase.get(lower) ?? (lower.includes('-') ? null : (localeByLanguage.get(lower) ?? null));
}

function matchRange(range: string): Locale | null {
  const lower = range.toLowerCase();
  const exact = localeByLowerCase.get(lower);
  if (exact !== undefined) return exact;
  const language = lower.split('-', 1)[0] ?? '';
  return localeByLanguage.get(language) ?? null;
}

/** The range itself when Intl knows it and it is of the catalogue's language, else the catalogue's tag. */
function intlTag(range: string, locale: Locale): string {
  try {
    const [tag] = Intl.getCanonicalLocales(range);
    if (tag === undefined || tag.split('-', 1)[0] !== locale.split('-', 1)[0]) return locale;
    return tag;
  } catch {
    // A syntactically odd but allowed range (private use, grandfathered tags) formats as its catalogue does.
    return locale;
  }
}

/**
 * The catalogue a BCP 47 tag names (`en-GB` → `en`, `zh-TW` → `zh-CN`), or null when none does.
 * @example
 * matchLocale('de-AT'); // 'de'
 */
export function matchLocale(tag: string): Locale | null {
  return typeof tag === 'string' && tag.length <= 64 && LANGUAGE_RANGE.test(tag) && tag !== '*' ? matchRange(tag) : null;
}

/**
 * The catalogue for a BCP 47 tag (`en-GB` → `en`, `zh-TW` → `zh-CN`), English when none matches.
 * @example
 * catalogueLocale('de-AT'); // 'de'
 */
export function catalogueLocale(tag: string): Locale {
  return (typeof tag === 'string' && LANGUAGE_RANGE.test(tag) ? matchRange(tag) : null) ?? 'en';
}

/**
 * Returns a message in the given locale with `{name}` placeholders filled; a key missing at run time falls back to English.
 *
 * Numbers are formatted for the locale, and a {@link PluralMessage} picks its variant from `params.count` (`'=0'`
 * first for exactly zero). Placeholders without a value stay visible as `{name}`. The result is plain text: escape
 * it for HTML. A regional tag (`en-GB`, `ar-EG`) uses its language's catalogue and its own number format.
 * @example
 * translate('de', 'otherSessionsEnded', { count: 3 }); // '3 andere Sitzungen wurden beendet.'
 */
export function translate(locale: Locale | string, key: MessageKey, params?: Record<string, string | number>): string {
  const resolved: Locale = isLocale(locale) ? locale : catalogueLocale(locale);
  const tag = isLocale(locale) || typeof locale !== 'string' ? resolved : intlTag(locale, resolved);
  // hasOwn, not `in` or `??`: an untyped caller's key such as "toString" must not find Object.prototype.
  const catalogue = Object.hasOwn(catalogues[resolved], key) ? catalogues[resolved] : catalogues.en;
  if (!Object.hasOwn(catalogue, key)) return String(key);
  const message: string | PluralMessage = catalogue[key];
  const text = typeof message === 'string' ? message : choosePlural(resolved, message, params?.count);
  if (params === undefined) return text;
  return text.replace(PLACEHOLDER, (placeholder, name: string) => {
    if (!Object.hasOwn(params, name)) return placeholder;
    const value = params[name];
    return typeof value === 'number' ? numberFormat(tag).format(value) : String(value);
  });
}

/**
 * The plural variants of a message, for the browser script that picks one itself with `Intl.PluralRules`.
 * @example
 * pluralForms('en', 'warningAnnounce'); // { one: 'You will be signed out in {count} second.', other: '…' }
 */
export function pluralForms(locale: Locale | string, key: MessageKey): PluralMessage {
  const resolved: Locale = isLocale(locale) ? locale : catalogueLocale(locale);
  const message: string | PluralMessage = catalogues[resolved][key] ?? catalogues.en[key];
  return typeof message === 'string' ? { other: message } : message;
}

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

function choosePlural(locale: Locale, message: PluralMessage, count: string | number | undefined): string {
  const value = typeof count === 'number' ? count : Number(count);
  if (count === undefined || !Number.isFinite(value)) return message.other;
  if (value === 0 && message['=0'] !== undefined) return message['=0'];
  return message[pluralRules(locale).select(value)] ?? message.other;
}

/**
 * Gives the writing direction of a locale, for the `dir` attribute of pages.
 * @example
 * direction('ar'); // 'rtl'
 */
export function direction(locale: Locale | string): 'ltr' | 'rtl' {
  const resolved = isLocale(locale) ? locale : catalogueLocale(locale);
  return resolved === 'ar' || resolved === 'he' ? 'rtl' : 'ltr';
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Describes `fromMs` relative to `nowMs` ("5 minutes ago", "in 2 hours", "3 days ago"); under ten seconds either way
 * reads "just now", and a week or more away gives a date ("Jan 12", with the year when it is not this year's).
 *
 * The magnitude is rounded down so that the text never overstates an age; days are counted, not named ("1 day ago",
 * never "yesterday", which would be wrong across midnight). Throws a RangeError for non-finite times.
 * @example
 * formatRelativeTime(Date.now() - 5 * 60_000, Date.now(), 'en'); // '5 minutes ago'
 */
export function formatRelativeTime(fromMs: number, nowMs: number, locale: Locale | string, timeZone: string = 'UTC'): string {
  const elapsed = fromMs - nowMs;
  if (!Number.isFinite(elapsed)) throw new RangeError('sessionwarden: formatRelativeTime needs finite millisecond times');
  const tag = formatTag(locale);
  const size = Math.abs(elapsed);
  if (size < 10 * SECOND) return translate(catalogueLocale(tag), 'justNow');
  if (size >= 7 * DAY) return formatDate(fromMs, tag, timeZone, new Date(fromMs).getUTCFullYear() !== new Date(nowMs).getUTCFullYear());
  const sign = Math.sign(elapsed);
  const format = relativeTimeFormat(tag);
  const unit = size < MINUTE ? (['second', SECOND] as const) : size < HOUR ? (['minute', MINUTE] as const) : size < DAY ? (['hour', HOUR] as const) : (['day', DAY] as const);
  const text = format.format(sign * Math.floor(size / unit[1]), unit[0]);
  // ICU's Hebrew adds the number in brackets after a spelled-out one ("לפני דקה (1)"): the word already says it.
  return catalogueLocale(tag) === 'he' ? text.replace(/ \(\d+\)$/, '') : text;
}

/**
 * Formats an instant as a localized date and time with its zone ("May 5, 2024, 2:30 PM UTC").
 *
 * Throws a RangeError for an invalid time or an unknown IANA time zone.
 * @example
 * formatDateTime(Date.UTC(2024, 4, 5, 14, 30), 'de', 'Europe/Berlin'); // '5. Mai 2024, 16:30 MESZ'
 */
export function formatDateTime(ms: number, locale: Locale | string, timeZone: string = 'UTC'): string {
  return dateTimeFormat(formatTag(locale), timeZone, 'full').format(ms);
}

/**
 * Formats the time of day of an instant with its zone ("2:30 PM UTC"), for "at 2:30 PM" within the next day.
 * @example
 * formatClock(Date.UTC(2024, 4, 5, 14, 30), 'en-GB'); // '14:30 UTC'
 */
export function formatClock(ms: number, locale: Locale | string, timeZone: string = 'UTC'): string {
  return dateTimeFormat(formatTag(locale), timeZone, 'clock').format(ms);
}

function formatDate(ms: number, tag: string, timeZone: string, withYear: boolean): string {
  return dateTimeFormat(tag, timeZone, withYear ? 'date-year' : 'date').format(ms);
}

/** A tag Intl accepts: a supported catalogue locale as is, a regional tag canonicalised, anything else English. */
function formatTag(locale: string): string {
  if (isLocale(locale)) return locale;
  return intlTag(String(locale), catalogueLocale(String(locale)));
}

/**
 * Spells out a wait such as a retry delay ("30 seconds", "4 minutes", "1 hour, 5 minutes"), rounding up so that it is never too short.
 *
 * Negative and non-finite input reads as zero seconds.
 * @example
 * formatDuration(240, 'en'); // '4 minutes'
 */
export function formatDuration(seconds: number, locale: Locale | string): string {
  const resolved = formatTag(locale);
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

function joinUnits(locale: string, first: string, second: string | null): string {
  return second === null ? first : listFormat(locale).format([first, second]);
}

// Intl constructors are slow next to a lookup, so each formatter is built once per tag and kept. Tags come from
// Accept-Language (bounded ranges, canonicalised), so each cache is bounded too: past 64 entries it starts over.
const MAX_CACHED = 64;
function memoise<T>(create: (tag: string) => T): (tag: string) => T {
  const cache = new Map<string, T>();
  return (tag) => {
    let value = cache.get(tag);
    if (value === undefined) {
      value = create(tag);
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(tag, value);
    }
    return value;
  };
}

const pluralRules = memoise((locale) => new Intl.PluralRules(locale));
const numberFormat = memoise((locale) => new Intl.NumberFormat(locale));
const relativeTimeFormat = memoise((locale) => new Intl.RelativeTimeFormat(locale, { numeric: 'always' }));
const listFormat = memoise((locale) => new Intl.ListFormat(locale, { type: 'unit', style: 'long' }));
const unitFormats = {
  second: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'second', unitDisplay: 'long' })),
  minute: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' })),
  hour: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'hour', unitDisplay: 'long' })),
  day: memoise((locale) => new Intl.NumberFormat(locale, { style: 'unit', unit: 'day', unitDisplay: 'long' })),
};

function unitFormat(locale: string, unit: keyof typeof unitFormats): Intl.NumberFormat {
  return unitFormats[unit](locale);
}

// The time zone may come from a browser (a cookie or form field), so this cache is bounded: a stream of
// distinct bogus zones must not grow memory. Invalid zones throw before they are cached.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const DATE_STYLES = {
  full: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  clock: { hour: 'numeric', minute: '2-digit', timeZoneName: 'short' },
  date: { month: 'short', day: 'numeric' },
  'date-year': { year: 'numeric', month: 'short', day: 'numeric' },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;

function dateTimeFormat(locale: string, timeZone: string, style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  const cacheKey = `${locale}\u0000${timeZone}\u0000${style}`;
  let format = dateTimeFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { ...DATE_STYLES[style], timeZone });
    if (dateTimeFormats.size >= MAX_CACHED) dateTimeFormats.clear();
    dateTimeFormats.set(cacheKey, format);
  }
  return format;
}
