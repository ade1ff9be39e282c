// Tests the User-Agent labeller on real-world headers, hostile input and the truncation it shares with the core.
import { describe, expect, it } from 'vitest';
import { device, parseDevice, truncateUserAgent } from '../src/device/index.js';

// Real User-Agent headers as browsers, tools and crawlers send them.
const REAL_WORLD: Array<[label: string | null, userAgent: string]> = [
  // Chrome
  ['Chrome on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
  ['Chrome on Windows 8.1', 'Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36'],
  ['Chrome on Windows 7', 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36'],
  ['Chrome on Windows XP', 'Mozilla/5.0 (Windows NT 5.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/49.0.2623.112 Safari/537.36'],
  ['Chrome on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
  ['Chrome on Linux', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
  ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'],
  ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36'],
  ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36'],
  ['Chrome on ChromeOS', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36'],
  ['Chrome on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1'],
  ['Chrome on iPad', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1'],
  ['Chrome on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36'],
  // Safari
  ['Safari on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15'],
  ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1'],
  ['Safari on iPad', 'Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1 Mobile/15E148 Safari/604.1'],
  ['Safari on iOS', 'Mozilla/5.0 (iPod touch; CPU iPhone OS 12_5_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.1.2 Mobile/15E148 Safari/604.1'],
  ['Safari on Windows 7', 'Mozilla/5.0 (Windows; U; Windows NT 6.1; en-US) AppleWebKit/533.20.25 (KHTML, like Gecko) Version/5.0.4 Safari/533.20.27'],
  // Firefox
  ['Firefox on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ['Firefox on Windows 8', 'Mozilla/5.0 (Windows NT 6.2; WOW64; rv:40.0) Gecko/20100101 Firefox/40.0'],
  ['Firefox on Windows Vista', 'Mozilla/5.0 (Windows NT 6.0; rv:52.0) Gecko/20100101 Firefox/52.0'],
  ['Firefox on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.4; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ['Firefox on Linux', 'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0'],
  ['Firefox on Android', 'Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0'],
  ['Firefox on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/125.0 Mobile/15E148 Safari/605.1.15'],
  // Edge: Chromium (Edg/), EdgeHTML (Edge/), Android (EdgA/), iOS (EdgiOS/)
  ['Edge on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80'],
  ['Edge on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Safari/537.36 Edge/18.19045'],
  ['Edge on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80'],
  ['Edge on ChromeOS', 'Mozilla/5.0 (X11; CrOS aarch64 15633.69.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.6045.212 Safari/537.36 Edg/119.0.0.0'],
  ['Edge on Android', 'Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 EdgA/124.0.2478.64'],
  ['Edge on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/124.2478.71 Mobile/15E148 Safari/605.1.15'],
  ['Edge on Windows Mobile', 'Mozilla/5.0 (Windows Phone 10.0; Android 6.0.1; Microsoft; Lumia 950) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Mobile Safari/537.36 Edge/15.15063'],
  ['Edge on Windows Mobile', 'Mozilla/5.0 (Windows Mobile 10; Android 10.0; Microsoft; Lumia 950XL) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/70.0.3538.102 Mobile Safari/537.36 Edge/40.15254.603'],
  // Opera: Chromium (OPR/), iOS (OPT/), Presto
  ['Opera on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0'],
  ['Opera on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0'],
  ['Opera on Linux', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 OPR/110.0.0.0'],
  ['Opera on Android', 'Mozilla/5.0 (Linux; Android 10; VOG-L29) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36 OPR/81.1.4292.78547'],
  ['Opera on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 14_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.0 Mobile/15E148 Safari/604.1 OPT/2.9.0'],
  ['Opera on Windows 7', 'Opera/9.80 (Windows NT 6.1; WOW64) Presto/2.12.388 Version/12.18'],
  // Internet Explorer: Trident and MSIE
  ['Internet Explorer on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko'],
  ['Internet Explorer on Windows 7', 'Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko'],
  ['Internet Explorer on Windows Vista', 'Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.0; Trident/4.0)'],
  ['Internet Explorer on Windows XP', 'Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)'],
  ['Internet Explorer on Windows', 'Mozilla/4.0 (compatible; MSIE 5.5; Windows 98)'],
  ['Internet Explorer on Windows Mobile', 'Mozilla/5.0 (compatible; MSIE 10.0; Windows Phone 8.0; Trident/6.0; IEMobile/10.0; ARM; Touch; NOKIA; Lumia 920)'],
  [
    'Internet Explorer on Windows Mobile',
    'Mozilla/5.0 (Mobile; Windows Phone 8.1; Android 4.0; ARM; Trident/7.0; Touch; rv:11.0; IEMobile/11.0; NOKIA; Lumia 635) like iPhone OS 7_0_3 Mac OS X AppleWebKit/537 (KHTML, like Gecko) Mobile Safari/537',
  ],
  ['Internet Explorer on Windows Mobile', 'Mozilla/4.0 (compatible; MSIE 6.0; Windows CE; IEMobile 7.11)'],
  // Samsung Internet
  ['Samsung Internet on Android', 'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36'],
  // Other browsers named from bowser's list
  ['Vivaldi on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Vivaldi/6.6.3271.45'],
  ['Yandex Browser on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 YaBrowser/24.4.0.0 Safari/537.36'],
  [
    'UC Browser on Android',
    'Mozilla/5.0 (Linux; U; Android 10; en-US; RMX2030 Build/QKQ1.200209.002) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/78.0.3904.108 UCBrowser/13.4.0.1306 Mobile Safari/537.36',
  ],
  ['DuckDuckGo on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 DuckDuckGo/7 Safari/605.1.15'],
  // Web views and old stock browsers: the OS is known, the browser is not a browser the user chose
  ['iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/430.0.0.36.114]'],
  ['iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 326.0.0.42.90'],
  ['Android', 'Mozilla/5.0 (Linux; U; Android 4.0.3; en-us; GT-I9100 Build/IML74K) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30'],
  // Tools and crawlers
  ['curl', 'curl/8.4.0'],
  ['Wget', 'Wget/1.21.4'],
  ['Python', 'python-requests/2.31.0'],
  ['Python', 'Python/3.11 aiohttp/3.9.1'],
  ['Go', 'Go-http-client/1.1'],
  ['Postman', 'PostmanRuntime/7.36.0'],
  ['HTTPie', 'HTTPie/3.2.2'],
  ['Node.js', 'node'],
  ['Java', 'Java/17.0.9'],
  ['PowerShell on Windows 10', 'Mozilla/5.0 (Windows NT 10.0; Microsoft Windows 10.0.19045; en-US) PowerShell/7.4.1'],
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  [
    'Googlebot',
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  ],
  ['Bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  ['Bot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
  ['Bot', 'facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)'],
  ['Bot', 'Mozilla/5.0 (compatible; ExampleCrawler/1.0)'],
  // Nothing recognisable
  [null, 'hello world'],
  [null, 'Mozilla/5.0'],
  [null, '-'],
];

describe('device()', () => {
  it('has a large real-world table', () => {
    expect(REAL_WORLD.length).toBeGreaterThanOrEqual(45);
  });

  it.each(REAL_WORLD)('labels as %j: %s', (label, userAgent) => {
    expect(device(userAgent)).toBe(label);
  });

  it.each([
    ['null', null],
    ['undefined', undefined],
    ['an empty string', ''],
    ['only spaces', '    '],
    ['only control characters', '\u0000\r\n\t\u007f\u009b'],
  ])('returns null for %s', (_name, userAgent) => {
    expect(device(userAgent)).toBeNull();
  });

  it('returns null rather than throwing for non-strings from untyped callers', () => {
    const untyped = device as (userAgent: unknown) => string | null;
    expect(untyped(42)).toBeNull();
    expect(untyped({ toString: () => 'curl/8.0' })).toBeNull();
    expect(untyped(['curl/8.0'])).toBeNull();
  });

  it('reads through control characters an attacker put in the header', () => {
    expect(device('Mozilla/5.0 (Windows NT 10.0;\r\n Win64; x64)\u0000 AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36')).toBe(
      'Chrome on Windows 10',
    );
  });

  it('never echoes text from the header', () => {
    const hostile = [
      'Mozilla/5.0 (<script>alert(1)</script>; Windows NT 10.0) Chrome/124.0.0.0 Safari/537.36',
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) "><img src=x onerror=alert(1)> Version/17.4 Safari/604.1',
      'EvilBrowser/1.0 (EvilOS 9; <b>bold</b>)',
      'Mozilla/5.0 (Linux; Android 14; ${jndi:ldap://x}) AppleWebKit/537.36 Chrome/124.0.0.0 Mobile Safari/537.36',
    ];
    for (const userAgent of hostile) {
      const label = device(userAgent);
      if (label !== null) expect(label).toMatch(/^[A-Za-z0-9 .]+$/);
    }
  });

  it('labels a 16 KB header quickly, from its first 512 characters', () => {
    const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 ';
    const huge = chrome + 'x'.repeat(16 * 1024 - chrome.length);
    expect(huge.length).toBe(16 * 1024);
    const started = performance.now();
    const label = device(huge);
    expect(performance.now() - started).toBeLessThan(50);
    expect(label).toBe('Chrome on Windows 10');
  });

  it('labels 16 KB of noise quickly', () => {
    const noise = Array.from({ length: 16 * 1024 }, (_, index) => String.fromCharCode(32 + ((index * 7919) % 95))).join('');
    const started = performance.now();
    const label = device(noise);
    expect(performance.now() - started).toBeLessThan(50);
    expect(label === null || typeof label === 'string').toBe(true);
  });

  // Long runs of the tokens the parsers look for, and of what their version patterns repeat, are the classic
  // way to make a backtracking regex take quadratic or exponential time.
  const REPEATED_TOKENS = [
    '1', '1.', '1_', '.1', '0.0.0.0.', 'a1', ' ', '(', ')', ';', '/', ',', '-',
    'Mozilla/5.0 (', 'Windows NT ', 'Windows NT 10.', 'AppleWebKit/', 'Safari/1.', 'Chrome/', 'Version/1', 'Android ',
    'iPhone OS 1_', 'CPU OS 1_', 'Mac OS X 1_', 'OPR/1.', 'Edg/1', 'Firefox/1._', 'MSIE 1', 'rv:1.', 'Build/', 'bot',
    'Trident/', 'SamsungBrowser/', 'CriOS/', 'like Gecko ', 'KHTML, ', 'compatible; ', 'Windows Phone ', 'x'.repeat(64),
  ];
  for (const suffix of ['', '!', '\u0000', ' Safari', 'bot/']) {
    it.each(REPEATED_TOKENS)(`stays fast on a long run of %j ending in ${JSON.stringify(suffix)}`, (token) => {
      const userAgent = token.repeat(Math.ceil((16 * 1024) / token.length)) + suffix;
      const started = performance.now();
      device(userAgent);
      // The same work again on the part the parser sees, to catch anything slow but under one call's noise.
      device(truncateUserAgent(userAgent));
      expect(performance.now() - started).toBeLessThan(50);
    });
  }
});

describe('parseDevice()', () => {
  it('splits the label into browser and OS', () => {
    expect(parseDevice('Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0')).toEqual({ browser: 'Firefox', os: 'Linux', kind: 'desktop' });
  });

  it('tells the kind of device for its icon: desktop, phone, tablet, or other for tools', () => {
    const kind = (userAgent: string) => parseDevice(userAgent).kind;
    expect(kind('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36')).toBe('desktop');
    expect(kind('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toBe('phone');
    expect(kind('Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36')).toBe('phone');
    expect(kind('Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1')).toBe('tablet');
    expect(kind('Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36')).toBe('tablet');
    expect(kind('curl/8.5.0')).toBe('other');
  });

  it('gives crawlers no OS', () => {
    const googlebotPhone =
      'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.201 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
    expect(parseDevice(googlebotPhone)).toEqual({ browser: 'Googlebot', os: null, kind: 'other' });
  });

  it('returns both halves null when nothing is recognised', () => {
    expect(parseDevice(null)).toEqual({ browser: null, os: null, kind: 'other' });
    expect(parseDevice('hello world')).toEqual({ browser: null, os: null, kind: 'other' });
  });
});

describe('truncateUserAgent()', () => {
  it('keeps a normal header unchanged', () => {
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';
    expect(truncateUserAgent(ua)).toBe(ua);
  });

  it('turns CR, LF and TAB into spaces', () => {
    expect(truncateUserAgent('curl/8.4.0\r\nX-Evil: 1\tz')).toBe('curl/8.4.0  X-Evil: 1 z');
  });

  it('turns every C0 and C1 control character and DEL into a space', () => {
    const controls = [...Array.from({ length: 32 }, (_, code) => code), 0x7f, ...Array.from({ length: 32 }, (_, index) => 0x80 + index)];
    const input = controls.map((code) => String.fromCharCode(code)).join('');
    expect(truncateUserAgent(input, 1000)).toBe(' '.repeat(controls.length));
  });

  it('turns bidi overrides and line separators into spaces', () => {
    expect(truncateUserAgent('a\u202Eb\u2066c\u2028d\u2029e\u200Ff')).toBe('a b c d e f');
  });

  it('keeps printable non-ASCII text', () => {
    expect(truncateUserAgent('Mozilla/5.0 (Linux; Android 14; 小米 Ü) é')).toBe('Mozilla/5.0 (Linux; Android 14; 小米 Ü) é');
  });

  it('cuts to 512 characters by default', () => {
    expect(truncateUserAgent('a'.repeat(16 * 1024))).toBe('a'.repeat(512));
  });

  it('cuts to the given length', () => {
    expect(truncateUserAgent('abcdef', 3)).toBe('abc');
    expect(truncateUserAgent('abcdef', 0)).toBe('');
    expect(truncateUserAgent('abcdef', Number.POSITIVE_INFINITY)).toBe('abcdef');
  });

  it('treats a negative or NaN length as zero', () => {
    expect(truncateUserAgent('abcdef', -1)).toBe('');
    expect(truncateUserAgent('abcdef', Number.NaN)).toBe('');
  });

  it('strips after cutting, so the result is never longer than the limit', () => {
    expect(truncateUserAgent('\n'.repeat(600))).toBe(' '.repeat(512));
  });

  it('does not split a surrogate pair at the cut', () => {
    const emoji = '😀';
    expect(truncateUserAgent(`ab${emoji}`, 3)).toBe('ab');
    expect(truncateUserAgent(`ab${emoji}`, 4)).toBe(`ab${emoji}`);
  });

  it('returns an empty string for non-strings from untyped callers', () => {
    expect((truncateUserAgent as (ua: unknown) => string)(null)).toBe('');
  });
});
