// Turns an untrusted User-Agent header into a short, allow-listed "Browser on OS" label for session lists.
import Bowser from 'bowser';
import { truncateUserAgent } from '../core/user-agent.js';

export { truncateUserAgent };

/**
 * Every browser or HTTP-client name a label can contain; labels never echo User-Agent text.
 * @example
 * const name: ClientLabel = 'Firefox';
 */
export type ClientLabel =
  | 'Chrome'
  | 'Chromium'
  | 'Safari'
  | 'Firefox'
  | 'Firefox Focus'
  | 'Edge'
  | 'Opera'
  | 'Internet Explorer'
  | 'Samsung Internet'
  | 'Vivaldi'
  | 'Yandex Browser'
  | 'UC Browser'
  | 'Brave'
  | 'DuckDuckGo'
  | 'Whale'
  | 'Silk'
  | 'Pale Moon'
  | 'SeaMonkey'
  | 'LibreWolf'
  | 'GNOME Web'
  | 'QQ Browser'
  | 'Electron'
  | 'curl'
  | 'Wget'
  | 'HTTPie'
  | 'Postman'
  | 'Insomnia'
  | 'Python'
  | 'Go'
  | 'Node.js'
  | 'Java'
  | 'PowerShell'
  | 'Googlebot'
  | 'Bingbot'
  | 'Bot';

/**
 * Every operating-system or device name a label can contain.
 * @example
 * const name: OsLabel = 'Windows 10';
 */
export type OsLabel =
  | 'Windows'
  | 'Windows XP'
  | 'Windows Vista'
  | 'Windows 7'
  | 'Windows 8'
  | 'Windows 8.1'
  | 'Windows 10'
  | 'Windows Mobile'
  | 'macOS'
  | 'iPhone'
  | 'iPad'
  | 'iOS'
  | 'Android'
  | 'Linux'
  | 'ChromeOS'
  | 'HarmonyOS'
  | 'BlackBerry'
  | 'Tizen';

/**
 * The two halves of a device label, for pages that localise the "on" between them.
 * @example
 * const info: DeviceInfo = { browser: 'Safari', os: 'iPhone' };
 */
export interface DeviceInfo {
  /** Browser, HTTP client or crawler name, or null when unrecognised. */
  readonly browser: ClientLabel | null;
  /** Operating system or device name, or null when unrecognised (always null for crawlers). */
  readonly os: OsLabel | null;
  /** What kind of device it is, for an icon: 'other' for tools, crawlers and the unrecognised. */
  readonly kind: DeviceKind;
}

/**
 * The shape of a device, for choosing an icon.
 * @example
 * const kind: DeviceKind = parseDevice(userAgent).kind; // 'phone'
 */
export type DeviceKind = 'desktop' | 'phone' | 'tablet' | 'other';

/**
 * Gives a human label such as "Chrome on Windows 10" for a User-Agent, or null when nothing is recognised.
 *
 * Browser alone when the OS is unknown, OS alone when the browser is unknown. HTTP tools get their
 * name ("curl", "Python", "PowerShell on Windows 10") because a session opened from a script is
 * worth seeing; crawlers get "Googlebot", "Bingbot" or "Bot" with no OS. Windows NT 10.0 is labelled
 * "Windows 10" although Windows 11 sends the same token; iPads in desktop mode say "macOS" for the
 * same reason. The label is English; use {@link parseDevice} to localise the "on".
 * @example
 * device('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1'); // 'Safari on iPhone'
 */
export function device(userAgent: string | null | undefined): string | null {
  const { browser, os } = parseDevice(userAgent);
  if (browser !== null && os !== null) return `${browser} on ${os}`;
  return browser ?? os;
}

/**
 * Splits a User-Agent into an allow-listed browser (or client) name and OS name; never throws.
 * @example
 * parseDevice('Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0'); // { browser: 'Firefox', os: 'Linux' }
 */
export function parseDevice(userAgent: string | null | undefined): DeviceInfo {
  if (typeof userAgent !== 'string') return UNKNOWN;
  const ua = truncateUserAgent(userAgent).trim();
  if (ua === '') return UNKNOWN;

  const tool = matchTool(ua);
  const parsed = parseWithBowser(ua);
  if (tool === null) {
    const bot = matchBot(ua, parsed);
    if (bot !== null) return { browser: bot, os: null, kind: 'other' };
  }
  const browser = tool ?? matchBrowser(ua, parsed);
  const os = matchOs(ua, parsed);
  return { browser, os, kind: tool === null ? kindOf(os, parsed) : 'other' };
}

const UNKNOWN: DeviceInfo = Object.freeze({ browser: null, os: null, kind: 'other' });

// The OS names the shape where it can (an iPad in desktop mode still says "macOS", so it reads as a desktop);
// otherwise bowser's platform type decides (Android tablets send no "Mobile" token).
function kindOf(os: OsLabel | null, parsed: BowserResult): DeviceKind {
  if (os === 'iPhone' || os === 'Windows Mobile' || os === 'BlackBerry') return 'phone';
  if (os === 'iPad') return 'tablet';
  if (parsed.platform === 'mobile') return 'phone';
  if (parsed.platform === 'tablet') return 'tablet';
  if (parsed.platform === 'desktop' || os !== null) return 'desktop';
  return 'other';
}

interface BowserResult {
  readonly browser: string;
  readonly os: string;
  readonly platform: string;
}

const NOTHING_PARSED: BowserResult = { browser: '', os: '', platform: '' };

function parseWithBowser(ua: string): BowserResult {
  try {
    const result = Bowser.parse(ua);
    return {
      browser: result.browser.name ?? '',
      os: result.os.name ?? '',
      platform: result.platform.type ?? '',
    };
  } catch {
    // Bowser is third-party code fed hostile input: a parser bug must cost the label, never the request.
    // Our own rules below still run, so the label degrades instead of disappearing.
    return NOTHING_PARSED;
  }
}

// Command-line and library HTTP clients put their product token first, so every rule is anchored or a plain
// literal: no rule can backtrack, whatever the header holds.
const TOOL_RULES: ReadonlyArray<readonly [RegExp, ClientLabel]> = [
  [/^curl\//i, 'curl'],
  [/^wget\//i, 'Wget'],
  [/^httpie\//i, 'HTTPie'],
  [/^postmanruntime\//i, 'Postman'],
  [/^insomnia\//i, 'Insomnia'],
  [/^(?:python-requests|python-urllib|python-httpx|python)\//i, 'Python'],
  [/^go-http-client\//i, 'Go'],
  [/^(?:node-fetch|undici|axios|got)\/|^node$/i, 'Node.js'],
  [/^(?:java|apache-httpclient)\//i, 'Java'],
  [/ powershell\//i, 'PowerShell'],
];

function matchTool(ua: string): ClientLabel | null {
  for (const [pattern, label] of TOOL_RULES) if (pattern.test(ua)) return label;
  return null;
}

// Crawlers bowser does not know still mostly follow "SomethingBot/1.0" or "(compatible; xyzbot;"; requiring the
// delimiter keeps phone models such as "CUBOT X19" from being taken for bots.
const GENERIC_BOT = /(?:bot|spider|crawler)[/;)-]/i;

function matchBot(ua: string, parsed: BowserResult): ClientLabel | null {
  if (parsed.browser === 'Googlebot') return 'Googlebot';
  if (parsed.browser === 'BingCrawler') return 'Bingbot';
  if (parsed.platform === 'bot' || GENERIC_BOT.test(ua)) return 'Bot';
  return null;
}

const BROWSERS_FROM_BOWSER: ReadonlyMap<string, ClientLabel> = new Map<string, ClientLabel>([
  ['Chrome', 'Chrome'],
  ['Chromium', 'Chromium'],
  ['Safari', 'Safari'],
  ['Firefox', 'Firefox'],
  ['Focus', 'Firefox Focus'],
  ['Microsoft Edge', 'Edge'],
  ['Opera', 'Opera'],
  ['Opera Touch', 'Opera'],
  ['Opera Coast', 'Opera'],
  ['Internet Explorer', 'Internet Explorer'],
  ['Samsung Internet for Android', 'Samsung Internet'],
  ['Vivaldi', 'Vivaldi'],
  ['Yandex Browser', 'Yandex Browser'],
  ['UC Browser', 'UC Browser'],
  ['Brave', 'Brave'],
  ['DuckDuckGo', 'DuckDuckGo'],
  ['NAVER Whale Browser', 'Whale'],
  ['Amazon Silk', 'Silk'],
  ['Pale Moon', 'Pale Moon'],
  ['SeaMonkey', 'SeaMonkey'],
  ['LibreWolf', 'LibreWolf'],
  ['Epiphany', 'GNOME Web'],
  ['QQ Browser', 'QQ Browser'],
  ['Electron', 'Electron'],
]);

// Bowser reads DuckDuckGo's iOS app as Safari because it checks for Safari first.
const DUCKDUCKGO = /DuckDuckGo\/|Ddg\//;
// Safari itself always sends "Safari/"; an iOS WebKit view inside an app (Instagram, Facebook, mail clients)
// does not, and calling it Safari would tell the user they used a browser they never opened.
const SAFARI_TOKEN = /Safari\//;

function matchBrowser(ua: string, parsed: BowserResult): ClientLabel | null {
  if (DUCKDUCKGO.test(ua)) return 'DuckDuckGo';
  const label = BROWSERS_FROM_BOWSER.get(parsed.browser) ?? null;
  if (label === 'Safari' && !SAFARI_TOKEN.test(ua)) return null;
  return label;
}

// Windows phones claim to be Android and iPhone for site compatibility, so they must be recognised before
// anything else; bowser calls Windows 10 Mobile and Windows CE plain "Windows".
const WINDOWS_MOBILE = /Windows (?:Phone|Mobile|CE)|IEMobile/i;
const WINDOWS_NT = /Windows NT (\d{1,2}\.\d{1,2})/;
const WINDOWS_VERSIONS: ReadonlyMap<string, OsLabel> = new Map<string, OsLabel>([
  ['5.1', 'Windows XP'],
  // 5.2 is XP Professional x64 (and Server 2003, which nobody browses from).
  ['5.2', 'Windows XP'],
  ['6.0', 'Windows Vista'],
  ['6.1', 'Windows 7'],
  ['6.2', 'Windows 8'],
  ['6.3', 'Windows 8.1'],
  // Windows 11 still sends NT 10.0 (only client hints tell them apart), so both read "Windows 10".
  ['10.0', 'Windows 10'],
]);
// The device comes first in the parentheses ("(iPhone; CPU iPhone OS ..."); an iPod also says "iPhone OS".
const APPLE_DEVICE = /\((iPhone|iPad|iPod)/;

function matchOs(ua: string, parsed: BowserResult): OsLabel | null {
  if (WINDOWS_MOBILE.test(ua)) return 'Windows Mobile';
  switch (parsed.os) {
    case 'Windows': {
      const version = WINDOWS_NT.exec(ua)?.[1];
      return (version === undefined ? undefined : WINDOWS_VERSIONS.get(version)) ?? 'Windows';
    }
    case 'Windows Phone':
      return 'Windows Mobile';
    case 'iOS': {
      const model = APPLE_DEVICE.exec(ua)?.[1];
      if (model === 'iPhone') return 'iPhone';
      if (model === 'iPad') return 'iPad';
      return 'iOS';
    }
    case 'macOS':
      return 'macOS';
    case 'Android':
      return 'Android';
    case 'Linux':
      return 'Linux';
    case 'Chrome OS':
      return 'ChromeOS';
    case 'HarmonyOS':
      return 'HarmonyOS';
    case 'BlackBerry':
      return 'BlackBerry';
    case 'Tizen':
      return 'Tizen';
    default:
      return null;
  }
}
