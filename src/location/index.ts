// Looks up a human "City, Country" for a client IP in a MaxMind-format GeoIP database (GeoLite2-City, GeoIP2-City).
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { Reader } from 'maxmind';

/**
 * Resolves an IP to "City, Country", "Country" or null; never throws, whatever it is given. With a locale
 * (`'de'`, `'pt-BR'`, `'zh-CN'`…), names come in that language where the database has them (MaxMind carries
 * de, en, es, fr, ja, pt-BR, ru and zh-CN), in English otherwise.
 * @example
 * const lookup: LocationLookup = await openLocationDatabase('GeoLite2-City.mmdb');
 * lookup('203.0.113.7'); // 'Berlin, Germany'
 * lookup('203.0.113.7', 'de'); // 'Berlin, Deutschland'
 */
export type LocationLookup = (ip: string | null | undefined, locale?: string) => string | null;

/**
 * Reads a MaxMind DB file and returns a lookup function; rejects with a `sessionwarden: geoip.database` error when the file is missing or not a MaxMind DB.
 * @example
 * const locate = await openLocationDatabase('/var/lib/geoip/GeoLite2-City.mmdb');
 * locate('::1'); // null: loopback has no location
 */
export async function openLocationDatabase(path: string): Promise<LocationLookup> {
  checkPath(path);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  return createLookup(bytes, path);
}

/**
 * Synchronous twin of {@link openLocationDatabase}, for configuration code that cannot await; throws the same errors.
 * @example
 * const locate = openLocationDatabaseSync('/var/lib/geoip/GeoLite2-City.mmdb');
 */
export function openLocationDatabaseSync(path: string): LocationLookup {
  checkPath(path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  return createLookup(bytes, path);
}

const WHAT_TO_DO = 'point geoip.database at a MaxMind-format .mmdb file (GeoLite2-City or GeoIP2-City)';

function checkPath(path: unknown): asserts path is string {
  if (typeof path !== 'string' || path === '') {
    throw new TypeError(`sessionwarden: geoip.database must be a file path; ${WHAT_TO_DO}`);
  }
}

function unreadable(path: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(`sessionwarden: geoip.database "${path}" could not be read (${reason}); ${WHAT_TO_DO}`, { cause });
}

function invalid(path: string, reason: string, cause?: unknown): Error {
  return new Error(`sessionwarden: geoip.database "${path}" ${reason}; ${WHAT_TO_DO}`, { cause });
}

const METADATA_MARKER = Buffer.from('\xAB\xCD\xEFMaxMind.com', 'latin1');
// Decoded records are small; the cap keeps a scan of many distinct addresses from growing memory without end.
const CACHE_LIMIT = 1000;

function createLookup(bytes: Buffer, path: string): LocationLookup {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    // MaxMind's downloads are .tar.gz archives; pointing at one unextracted is the usual first mistake.
    throw invalid(path, 'is gzip-compressed (extract the .mmdb file from the download first)');
  }
  if (bytes.lastIndexOf(METADATA_MARKER) === -1) {
    throw invalid(path, 'is not a MaxMind DB file (no metadata section found)');
  }
  let reader: Reader<Record<string, unknown>>;
  try {
    reader = new Reader<Record<string, unknown>>(bytes, { cache: boundedCache(CACHE_LIMIT) });
    const { ipVersion, nodeCount, searchTreeSize, binaryFormatMajorVersion } = reader.metadata;
    const sane =
      (ipVersion === 4 || ipVersion === 6) &&
      binaryFormatMajorVersion === 2 &&
      Number.isInteger(nodeCount) &&
      nodeCount > 0 &&
      searchTreeSize + 16 <= bytes.length;
    if (!sane) throw new Error('metadata is inconsistent with the file');
    // Walking the tree once now turns a truncated or corrupt file into a start-up error instead of silent nulls.
    reader.get(ipVersion === 6 ? '2001:db8::1' : '192.0.2.1');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(path, `is not a valid MaxMind DB file (${reason})`, error);
  }
  // An IPv4-only tree would read the first 32 bits of an IPv6 address as some unrelated IPv4 network.
  const ipv4Only = reader.metadata.ipVersion === 4;
  return function lookupLocation(ip, locale) {
    const address = normaliseAddress(ip);
    if (address === null || (ipv4Only && isIP(address) === 6)) return null;
    let record: Record<string, unknown> | null;
    try {
      record = reader.get(address);
    } catch {
      // The file passed validation at start-up, so a throw here means a corrupt branch of the tree; a location
      // is decoration on a session list and must never fail the request that asked for it.
      return null;
    }
    return record === null ? null : describe(record, typeof locale === 'string' ? locale : 'en');
  };
}

/** A plain insertion-ordered Map that forgets its oldest entry when full. */
function boundedCache(limit: number): { get(key: number): unknown; set(key: number, value: unknown): void } {
  const entries = new Map<number, unknown>();
  return {
    get: (key) => entries.get(key),
    set(key, value) {
      if (entries.size >= limit) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(key, value);
    },
  };
}

// Addresses that cannot have a real-world location: answering from the database for them would show
// whatever a database maker filed there, or waste a lookup. Documentation ranges (192.0.2.0/24,
// 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) stay out: real databases hold nothing for them.
// BlockList also tests IPv4-mapped IPv6 addresses against the IPv4 rules, whatever their spelling.
const NOT_LOCATABLE = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_LOCATABLE.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['100::', 64],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  NOT_LOCATABLE.addSubnet(network, prefix, 'ipv6');
}

// Node reports IPv4 clients on dual-stack sockets as "::ffff:203.0.113.7"; the IPv4 part is the real address.
const MAPPED_DOTTED = /^::ffff:(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i;
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;
// The longest textual IPv6 address, "ffff:…:255.255.255.255", is 45 characters.
const MAX_ADDRESS_LENGTH = 45;

function normaliseAddress(ip: unknown): string | null {
  if (typeof ip !== 'string' || ip.length > MAX_ADDRESS_LENGTH) return null;
  let address = ip;
  const dotted = MAPPED_DOTTED.exec(address);
  const hex = dotted === null ? MAPPED_HEX.exec(address) : null;
  if (dotted?.[1] !== undefined) address = dotted[1];
  else if (hex?.[1] !== undefined && hex[2] !== undefined) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    address = `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  // A zone id ("fe80::1%eth0") only exists on link-scoped addresses, which have no location.
  if (address.includes('%')) return null;
  const family = isIP(address);
  if (family === 0) return null;
  if (NOT_LOCATABLE.check(address, family === 4 ? 'ipv4' : 'ipv6')) return null;
  return address;
}

function describe(record: Record<string, unknown>, locale: string): string | null {
  const keys = nameKeys(locale);
  const city = nameOf(record['city'], keys);
  const country = nameOf(record['country'], keys) ?? nameOf(record['registered_country'], keys);
  if (city !== null && country !== null) return `${city}${separatorOf(keys[0]!)}${country}`;
  return country ?? city;
}

// MaxMind's name keys: 'pt-BR' and 'zh-CN' are regional, the others bare languages.
function nameKeys(locale: string): string[] {
  const lower = locale.toLowerCase();
  const language = lower.split('-', 1)[0] ?? 'en';
  const regional = language === 'pt' ? 'pt-BR' : language === 'zh' ? 'zh-CN' : language;
  return regional === 'en' ? ['en'] : [regional, 'en'];
}

function separatorOf(key: string): string {
  if (key === 'ar') return '، ';
  if (key === 'zh-CN' || key === 'ja') return '，';
  return ', ';
}

// The file is operator-supplied but still parsed data: every level is checked rather than trusted to match GeoIP2's shape.
function nameOf(place: unknown, keys: readonly string[]): string | null {
  if (typeof place !== 'object' || place === null) return null;
  const names: unknown = (place as { names?: unknown }).names;
  if (typeof names !== 'object' || names === null) return null;
  for (const key of keys) {
    if (!Object.hasOwn(names, key)) continue;
    const name: unknown = (names as Record<string, unknown>)[key];
    if (typeof name === 'string' && name.trim() !== '') return name.trim();
  }
  return null;
}
