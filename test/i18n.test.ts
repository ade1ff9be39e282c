// Tests the message catalogue (completeness, placeholders, plurals), locale negotiation and Intl formatting.
import { describe, expect, it } from 'vitest';
import {
  direction,
  formatDateTime,
  formatDuration,
  formatRelativeTime,
  isLocale,
  locales,
  negotiateLocale,
  pluralForms,
  chooseLocale,
  translate,
  type Locale,
  type MessageKey,
  type Messages,
  type PluralMessage,
} from '../src/i18n/index.js';
import { messages as ar } from '../src/i18n/locales/ar.js';
import { messages as de } from '../src/i18n/locales/de.js';
import { messages as en } from '../src/i18n/locales/en.js';
import { messages as es } from '../src/i18n/locales/es.js';
import { messages as fr } from '../src/i18n/locales/fr.js';
import { messages as he } from '../src/i18n/locales/he.js';
import { messages as it_ } from '../src/i18n/locales/it.js';
import { messages as nl } from '../src/i18n/locales/nl.js';
import { messages as pl } from '../src/i18n/locales/pl.js';
import { messages as ptBR } from '../src/i18n/locales/pt-BR.js';
import { messages as ru } from '../src/i18n/locales/ru.js';
import { messages as zhCN } from '../src/i18n/locales/zh-CN.js';

const catalogues: Record<Locale, Messages> = {
  en,
  de,
  fr,
  es,
  it: it_,
  nl,
  pl,
  'pt-BR': ptBR,
  ru,
  'zh-CN': zhCN,
  ar,
  he,
};
const keys = Object.keys(en) as MessageKey[];
const translated = locales.filter((locale) => locale !== 'en');

const placeholders = (text: string): string[] => [...text.matchAll(/\{([A-Za-z][A-Za-z0-9]*)\}/g)].map((match) => match[1] ?? '').sort();
const variants = (message: string | PluralMessage): Array<[string, string]> =>
  typeof message === 'string' ? [['text', message]] : Object.entries(message).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
const englishPlaceholders = (key: MessageKey): string[] => [...new Set(variants(en[key]).flatMap(([, text]) => placeholders(text)))].sort();

describe('the catalogue', () => {
  it('lists the twelve locales, English first', () => {
    expect(locales).toEqual(['en', 'de', 'fr', 'es', 'it', 'nl', 'pl', 'pt-BR', 'ru', 'zh-CN', 'ar', 'he']);
    expect(Object.isFrozen(locales)).toBe(true);
  });

  it('has the message keys the pages and scripts use', () => {
    for (const key of [
      'activeSessions', 'otherSessionsEnded', 'allSessions', 'firstPage', 'reasonRevokedByAdmin',
      'limitWaitIdle', 'warningMessage', 'warningAnnounce', 'signOutNow', 'unsavedChanges', 'reauthenticationRequired', 'justNow',
      'thisDevice', 'confirmEndSession', 'filterActive', 'searchLabel', 'notFoundTitle', 'csrfText',
    ]) {
      expect(keys).toContain(key);
    }
  });

  it.each(translated)('%s has exactly the keys of English, each of the same kind', (locale) => {
    const catalogue = catalogues[locale];
    expect(Object.keys(catalogue).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(typeof catalogue[key], key).toBe(typeof en[key]);
  });

  it.each(locales)('%s has no empty or untrimmed text and no stray braces', (locale) => {
    for (const key of keys) {
      for (const [variant, text] of variants(catalogues[locale][key])) {
        const where = `${locale}.${key}.${variant}`;
        expect(text.trim(), where).not.toBe('');
        expect(text, where).toBe(text.trim());
        expect(text.replace(/\{[A-Za-z][A-Za-z0-9]*\}/g, ''), where).not.toMatch(/[{}]/);
      }
    }
  });

  it.each(translated)('%s keeps every placeholder of the English text and invents none', (locale) => {
    for (const key of keys) {
      const expected = englishPlaceholders(key);
      const message = catalogues[locale][key];
      if (typeof message === 'string') {
        expect(placeholders(message), `${locale}.${key}`).toEqual(expected);
      } else {
        expect(placeholders(message.other), `${locale}.${key}.other`).toEqual(expected);
        for (const [variant, text] of variants(message)) {
          for (const name of placeholders(text)) expect(expected, `${locale}.${key}.${variant}`).toContain(name);
        }
      }
    }
  });

  it.each(locales)('%s gives every plural message the forms its language needs', (locale) => {
    const rules = new Intl.PluralRules(locale);
    const numbersByCategory = new Map<string, number[]>();
    for (let count = 0; count <= 1000; count++) {
      const category = rules.select(count);
      numbersByCategory.set(category, [...(numbersByCategory.get(category) ?? []), count]);
    }
    for (const key of keys) {
      const message = catalogues[locale][key];
      if (typeof message === 'string') continue;
      for (const category of numbersByCategory.keys()) {
        expect(message[category as keyof PluralMessage], `${locale}.${key} needs "${category}"`).toBeTypeOf('string');
      }
      for (const [category, text] of variants(message)) {
        // '=0' is the exact-zero form, checked before the categories.
        if (category === '=0') continue;
        expect(rules.resolvedOptions().pluralCategories, `${locale}.${key}.${category}`).toContain(category);
        // A form may spell its number out ("two sessions") only when it stands for a single number.
        const covers = numbersByCategory.get(category) ?? [];
        if (covers.length !== 1) expect(placeholders(text), `${locale}.${key}.${category}`).toContain('count');
      }
    }
  });
});

describe('translate()', () => {
  it('returns plain messages', () => {
    expect(translate('en', 'signOut')).toBe('Sign out');
    expect(translate('de', 'activeSessions')).toBe('Aktive Sitzungen');
    expect(translate('zh-CN', 'back')).toBe('返回');
  });

  it('fills placeholders and formats numbers for the locale', () => {
    expect(translate('en', 'warningMessage', { time: '0:30' })).toBe('You will be signed out in 0:30 because you have been inactive.');
    expect(translate('en', 'deviceOn', { browser: 'Safari', os: 'iPhone' })).toBe('Safari on iPhone');
    expect(translate('de', 'deviceOn', { browser: 'Safari', os: 'iPhone' })).toBe('Safari auf iPhone');
    expect(translate('de', 'otherSessionsEnded', { count: 1234 })).toBe('1.234 andere Sitzungen wurden beendet.');
  });

  it('puts a formatted duration into the limit refusal', () => {
    expect(translate('en', 'limitWaitIdle', { idle: formatDuration(240, 'en') })).toBe(
      'You can sign in here once that session is signed out or left idle for 4 minutes.',
    );
  });

  it('formats numbers with the requested regional tag and strings from its language', () => {
    expect(translate('ar-EG', 'otherSessionsEnded', { count: 12 })).toBe('تم إنهاء ١٢ جلسة أخرى.');
    expect(translate('ar', 'otherSessionsEnded', { count: 12 })).toBe('تم إنهاء 12 جلسة أخرى.');
    expect(translate('en-GB', 'signOut')).toBe('Sign out');
  });

  it('uses the exact-zero form before the plural category', () => {
    expect(translate('en', 'otherSessionsEnded', { count: 0 })).toBe('No other session was active.');
    // CLDR puts 0 in "one" for Portuguese: without the exact-zero form this would read "0 outra sessão".
    expect(translate('pt-BR', 'otherSessionsEnded', { count: 0 })).toBe('Nenhuma outra sessão estava ativa.');
    expect(translate('pt-BR', 'otherSessionsEnded', { count: 1 })).toBe('1 outra sessão foi encerrada.');
  });

  it('gives the browser script the plural forms of a message', () => {
    expect(pluralForms('ru', 'warningAnnounce')).toEqual({ one: 'Выход через {count} секунду.', few: 'Выход через {count} секунды.', many: 'Выход через {count} секунд.', other: 'Выход через {count} секунды.' });
    expect(pluralForms('en-GB', 'signOut')).toEqual({ other: 'Sign out' });
  });

  it('picks the English plural by count', () => {
    expect(translate('en', 'otherSessionsEnded', { count: 1 })).toBe('1 other session was ended.');
    expect(translate('en', 'otherSessionsEnded', { count: 2 })).toBe('2 other sessions were ended.');
    expect(translate('en', 'userSessionsEnded', { count: 1 })).toBe('1 session of this user was ended.');
    expect(translate('en', 'warningAnnounce', { count: 1 })).toBe('You will be signed out in 1 second.');
    expect(translate('en', 'warningAnnounce', { count: 42 })).toBe('You will be signed out in 42 seconds.');
  });

  it.each([
    [1, 'Завершён 1 другой сеанс.'],
    [3, 'Завершено 3 других сеанса.'],
    [5, 'Завершено 5 других сеансов.'],
    [11, 'Завершено 11 других сеансов.'],
    [21, 'Завершён 21 другой сеанс.'],
    [22, 'Завершено 22 других сеанса.'],
  ])('picks the Russian plural for %i', (count, expected) => {
    expect(translate('ru', 'otherSessionsEnded', { count })).toBe(expected);
  });

  it('picks the Polish and Arabic plurals', () => {
    expect(translate('pl', 'otherSessionsEnded', { count: 2 })).toBe('Zakończono 2 inne sesje.');
    expect(translate('pl', 'otherSessionsEnded', { count: 5 })).toBe('Zakończono 5 innych sesji.');
    expect(translate('ar', 'otherSessionsEnded', { count: 2 })).toBe('تم إنهاء جلستين أخريين.');
    expect(translate('ar', 'otherSessionsEnded', { count: 7 })).toBe('تم إنهاء 7 جلسات أخرى.');
  });

  it('uses the "other" form when no count is given', () => {
    expect(translate('en', 'otherSessionsEnded')).toBe('{count} other sessions were ended.');
    expect(translate('en', 'otherSessionsEnded', { count: 'many' })).toBe('many other sessions were ended.');
  });

  it('leaves a placeholder without a value visible instead of blank', () => {
    expect(translate('en', 'deviceOn', { browser: 'Chrome' })).toBe('Chrome on {os}');
  });

  it('does not read placeholder values from the prototype', () => {
    expect(translate('en', 'deviceOn', {})).toBe('{browser} on {os}');
  });

  it('inserts values literally, leaving escaping to the page', () => {
    expect(translate('en', 'deviceOn', { browser: '<b>', os: '$&' })).toBe('<b> on $&');
  });

  it('falls back to English for an unknown locale or a key missing at run time', () => {
    expect(translate('xx' as Locale, 'signOut')).toBe('Sign out');
    expect(translate('de', 'noSuchKey' as MessageKey)).toBe('noSuchKey');
    expect(translate('de', 'toString' as MessageKey)).toBe('toString');
  });
});

describe('negotiateLocale()', () => {
  const tenKilobytes = `de,${'x'.repeat(10 * 1024)}`;
  it.each<[string | null | undefined, Locale]>([
    [null, 'en'],
    [undefined, 'en'],
    ['', 'en'],
    ['de', 'de'],
    ['DE', 'de'],
    ['de-AT', 'de'],
    ['de-at, en;q=0.5', 'de'],
    ['en-US,en;q=0.9', 'en'],
    ['pt', 'pt-BR'],
    ['pt-PT', 'pt-BR'],
    ['PT-br', 'pt-BR'],
    ['zh', 'zh-CN'],
    ['zh-cn', 'zh-CN'],
    ['zh-TW', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-Hant-HK;q=0.9', 'zh-CN'],
    ['he-IL', 'he'],
    ['iw', 'he'],
    ['ar-EG,ar;q=0.9', 'ar'],
    ['nl-BE', 'nl'],
    ['pl-PL', 'pl'],
    ['ru-RU,ru;q=0.9,en-US;q=0.8', 'ru'],
    ['es-419', 'es'],
    ['it-CH', 'it'],
    ['fr-CA,fr;q=0.9', 'fr'],
    ['fr;q=0.5, de;q=0.8', 'de'],
    ['fr, de', 'fr'],
    ['de ; q=0.8 , fr', 'fr'],
    ['ja, ko;q=0.9, it;q=0.1', 'it'],
    ['ja', 'en'],
    ['de;q=1.0', 'de'],
    ['de;q=0.001', 'de'],
    ['de;level=1;q=0.5, fr;q=0.4', 'de'],
    ['de;q=0', 'en'],
    ['de;q=1.5, fr;q=0.1', 'fr'],
    ['de;q=abc, fr;q=0.1', 'fr'],
    ['de;q=, fr;q=0.1', 'fr'],
    ['de;q=0.0001, fr;q=0.1', 'fr'],
    ['*', 'en'],
    ['*;q=0.5, fr;q=0.4', 'en'],
    ['fr;q=0.4, *;q=0.5', 'en'],
    ['en;q=0, *', 'de'],
    // Refusing one regional English does not refuse English: "*" is the fallback, English.
    ['en-GB;q=0, *', 'en'],
    ['en;q=0, en-GB, *;q=0.1', 'de'],
    // A Traditional-Chinese reader who lists English next gets English, not Simplified Chinese.
    ['zh-TW,en;q=0.9', 'en'],
    ['zh-HK, zh;q=0.9, en;q=0.8', 'zh-CN'],
    ['zh-Hant, fr;q=0.2', 'fr'],
    ['pt;q=0, *', 'en'],
    ['ja, *;q=0.1', 'en'],
    ['de_DE', 'en'],
    ['<script>alert(1)</script>', 'en'],
    [';;;,,,', 'en'],
    ['!!!', 'en'],
    ['q=1', 'en'],
    ['-de', 'en'],
    ['de-', 'en'],
    ['toolongtag-de', 'en'],
    ['d\u0000e', 'en'],
    [tenKilobytes, 'en'],
    [`${'ja,'.repeat(32)}de`, 'en'],
    [`${'ja,'.repeat(31)}de`, 'de'],
  ])('maps %j to %s', (header, expected) => {
    expect(negotiateLocale(header)).toBe(expected);
  });

  it('returns the given fallback when nothing matches', () => {
    expect(negotiateLocale('ja', 'de')).toBe('de');
    expect(negotiateLocale(null, 'he')).toBe('he');
    expect(negotiateLocale('*', 'fr')).toBe('fr');
  });

  it('falls back to English when the fallback itself is not a locale', () => {
    expect(negotiateLocale('ja', 'xx' as Locale)).toBe('en');
  });

  it('stays fast on hostile headers', () => {
    const hostile = ['a-'.repeat(500), `${'a'.repeat(8)}-`.repeat(100), ';q=0.5'.repeat(150), 'x,'.repeat(500), `de;${'q=1;'.repeat(250)}`];
    for (const header of hostile) {
      const started = performance.now();
      for (let round = 0; round < 100; round++) negotiateLocale(header);
      expect(performance.now() - started).toBeLessThan(50);
    }
  });
});

describe('direction()', () => {
  it.each(locales)('%s has the right writing direction', (locale) => {
    expect(direction(locale)).toBe(locale === 'ar' || locale === 'he' ? 'rtl' : 'ltr');
  });
});

describe('isLocale()', () => {
  it('accepts exact tags only', () => {
    expect(isLocale('pt-BR')).toBe(true);
    expect(isLocale('pt-br')).toBe(false);
    expect(isLocale('toString')).toBe(false);
    expect(isLocale(7)).toBe(false);
  });
});

describe('formatRelativeTime()', () => {
  const now = Date.UTC(2024, 4, 5, 12, 0, 0);
  const second = 1000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;

  it.each<[number, string, string]>([
    [0, 'just now', 'gerade eben'],
    [-5 * second, 'just now', 'gerade eben'],
    [-9_999, 'just now', 'gerade eben'],
    [5 * second, 'just now', 'gerade eben'],
    [-10 * second, '10 seconds ago', 'vor 10 Sekunden'],
    [-59 * second, '59 seconds ago', 'vor 59 Sekunden'],
    [-minute, '1 minute ago', 'vor 1 Minute'],
    [-5 * minute, '5 minutes ago', 'vor 5 Minuten'],
    [-(hour - 1), '59 minutes ago', 'vor 59 Minuten'],
    [-hour, '1 hour ago', 'vor 1 Stunde'],
    [-23 * hour, '23 hours ago', 'vor 23 Stunden'],
    // Days are counted, never named: "yesterday" would be wrong for 30 hours ago across two midnights.
    [-day, '1 day ago', 'vor 1 Tag'],
    [-30 * hour, '1 day ago', 'vor 1 Tag'],
    [-3 * day, '3 days ago', 'vor 3 Tagen'],
    [-6 * day, '6 days ago', 'vor 6 Tagen'],
    [-7 * day, 'Apr 28', '28. Apr.'],
    [-400 * day, 'Apr 1, 2023', '1. Apr. 2023'],
    [2 * hour, 'in 2 hours', 'in 2 Stunden'],
    [minute, 'in 1 minute', 'in 1 Minute'],
  ])('reads %i ms as "%s" / "%s"', (offset, english, german) => {
    expect(formatRelativeTime(now + offset, now, 'en')).toBe(english);
    expect(formatRelativeTime(now + offset, now, 'de')).toBe(german);
  });

  it('reads a minute ago in Hebrew without ICU\'s bracketed number', () => {
    expect(formatRelativeTime(now - minute, now, 'he')).toBe('לפני דקה');
    expect(formatRelativeTime(now - 2 * hour, now, 'he')).toBe('לפני שעתיים');
  });

  it('formats dates with the requested regional tag', () => {
    expect(formatRelativeTime(now - 40 * day, now, 'en-GB')).toBe('26 Mar');
    expect(formatDateTime(Date.UTC(2024, 4, 5, 14, 30), 'en-GB')).toBe('5 May 2024, 14:30 UTC');
  });

  it('uses the catalogue for "just now" in every locale', () => {
    for (const locale of locales) expect(formatRelativeTime(now, now, locale)).toBe(translate(locale, 'justNow'));
  });

  it('rejects times that are not finite', () => {
    expect(() => formatRelativeTime(Number.NaN, now, 'en')).toThrow(RangeError);
    expect(() => formatRelativeTime(now, Number.POSITIVE_INFINITY, 'en')).toThrow(RangeError);
  });
});

describe('formatDuration()', () => {
  it.each<[number, string]>([
    [0, '0 seconds'],
    [1, '1 second'],
    [0.2, '1 second'],
    [30, '30 seconds'],
    [59, '59 seconds'],
    [60, '1 minute'],
    [61, '2 minutes'],
    [240, '4 minutes'],
    [3599, '1 hour'],
    [3600, '1 hour'],
    [3660, '1 hour, 1 minute'],
    [7200, '2 hours'],
    [86_400, '1 day'],
    [90_000, '1 day, 1 hour'],
    [-5, '0 seconds'],
    [Number.NaN, '0 seconds'],
  ])('spells %d seconds as "%s" in English', (seconds, expected) => {
    expect(formatDuration(seconds, 'en')).toBe(expected);
  });

  it('uses the locale’s unit names and plurals', () => {
    expect(formatDuration(240, 'de')).toBe('4 Minuten');
    expect(formatDuration(1, 'de')).toBe('1 Sekunde');
    // French separates number and unit with a no-break space.
    expect(formatDuration(3600, 'fr')).toMatch(/^1\sheure$/);
    expect(formatDuration(120, 'ru')).toBe('2 минуты');
    expect(formatDuration(300, 'ru')).toBe('5 минут');
    expect(formatDuration(240, 'zh-CN')).toBe('4分钟');
  });

  it('never rounds a wait down', () => {
    for (const seconds of [1, 59, 61, 119, 3601, 86_399, 86_401]) {
      const text = formatDuration(seconds, 'en');
      const [amount = '0', unit = ''] = text.split(', ')[0]?.split(' ') ?? [];
      const unitSeconds = unit.startsWith('second') ? 1 : unit.startsWith('minute') ? 60 : unit.startsWith('hour') ? 3600 : 86_400;
      const rest = text.split(', ')[1];
      const restSeconds = rest === undefined ? 0 : Number(rest.split(' ')[0]) * (rest.includes('minute') ? 60 : 3600);
      expect(Number(amount) * unitSeconds + restSeconds, text).toBeGreaterThanOrEqual(seconds);
    }
  });
});

describe('formatDateTime()', () => {
  const instant = Date.UTC(2024, 4, 5, 14, 30);

  it('formats in UTC by default, naming the zone', () => {
    expect(formatDateTime(instant, 'en')).toBe('May 5, 2024, 2:30 PM UTC');
  });

  it('formats in the given time zone and locale', () => {
    expect(formatDateTime(instant, 'de', 'Europe/Berlin')).toBe('5. Mai 2024, 16:30 MESZ');
    expect(formatDateTime(instant, 'en', 'America/New_York')).toBe('May 5, 2024, 10:30 AM EDT');
  });

  it('throws a RangeError for an unknown time zone', () => {
    expect(() => formatDateTime(instant, 'en', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('formats in every locale', () => {
    for (const locale of locales) expect(formatDateTime(instant, locale)).toMatch(/2024/);
  });
});

describe('chooseLocale()', () => {
  it('keeps the requested regional tag for Intl and the catalogue for strings', () => {
    expect(chooseLocale('en-GB,en;q=0.9')).toEqual({ locale: 'en', tag: 'en-GB' });
    expect(chooseLocale('ar-EG')).toEqual({ locale: 'ar', tag: 'ar-EG' });
    expect(chooseLocale('pt-PT')).toEqual({ locale: 'pt-BR', tag: 'pt-PT' });
    expect(chooseLocale('de')).toEqual({ locale: 'de', tag: 'de' });
    expect(chooseLocale('ja', 'fr')).toEqual({ locale: 'fr', tag: 'fr' });
    // A Simplified-Chinese catalogue must not format with Traditional conventions it does not speak.
    expect(chooseLocale('zh-TW')).toEqual({ locale: 'zh-CN', tag: 'zh-CN' });
  });
});
