// Tests the GeoIP lookup against tiny MaxMind DB files generated at test time from invented data.
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Reader } from 'maxmind';
import { openLocationDatabase, openLocationDatabaseSync, type LocationLookup } from '../src/location/index.js';
import { encodeMmdb, writeMmdb, type MmdbEntry } from './fixtures/make-mmdb.js';

const place = (en: string) => ({ geoname_id: 1, names: { en, de: `${en} (de)` } });

const ENTRIES: MmdbEntry[] = [
  { network: '203.0.113.0/24', data: { city: place('Berlin'), country: { ...place('Germany'), iso_code: 'DE' } } },
  { network: '198.51.100.0/24', data: { country: { ...place('France'), iso_code: 'FR' } } },
  { network: '192.0.2.0/25', data: { registered_country: { ...place('Netherlands'), iso_code: 'NL' } } },
  { network: '192.0.2.128/25', data: { city: place('Lyon'), registered_country: place('France') } },
  { network: '2001:db8::/32', data: { city: place('Tokyo'), country: { ...place('Japan'), iso_code: 'JP' } } },
  // A database maker may file private ranges somewhere; the lookup must not believe it.
  { network: '10.0.0.0/8', data: { city: place('Intranet'), country: place('Nowhere') } },
  { network: '127.0.0.0/8', data: { country: place('Nowhere') } },
  { network: 'fc00::/7', data: { country: place('Nowhere') } },
  { network: '::1/128', data: { country: place('Nowhere') } },
  // Names that are missing, empty or of the wrong type must not leak out as text.
  { network: '203.0.114.0/24', data: { city: { names: { de: 'Nur Deutsch' } }, country: { names: { en: '  ' } } } },
  { network: '203.0.115.0/24', data: { city: { names: { en: 42 } }, country: { names: 'Germany' } } },
];

let dir: string;
let lookup: LocationLookup;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sessionwarden-geoip-'));
  writeMmdb(join(dir, 'city.mmdb'), ENTRIES);
  lookup = await openLocationDatabase(join(dir, 'city.mmdb'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('openLocationDatabase() lookups', () => {
  it.each([
    ['an IPv4 address with city and country', '203.0.113.7', 'Berlin, Germany'],
    ['the last address of the network', '203.0.113.255', 'Berlin, Germany'],
    ['an IPv4 address with a country only', '198.51.100.20', 'France'],
    ['registered_country when country is absent', '192.0.2.1', 'Netherlands'],
    ['a city with registered_country', '192.0.2.200', 'Lyon, France'],
    ['an IPv6 address', '2001:db8::1', 'Tokyo, Japan'],
    ['an IPv6 address deep in the network', '2001:db8:ffff:1::abcd', 'Tokyo, Japan'],
    ['an IPv4-mapped IPv6 address, dotted', '::ffff:203.0.113.7', 'Berlin, Germany'],
    ['an IPv4-mapped IPv6 address, upper case', '::FFFF:198.51.100.1', 'France'],
    ['an IPv4-mapped IPv6 address, hex', '::ffff:cb00:7107', 'Berlin, Germany'],
  ])('resolves %s', (_name, ip, expected) => {
    expect(lookup(ip)).toBe(expected);
  });

  it.each([
    ['an IPv4 address not in the database', '8.8.8.8'],
    ['an IPv4 address next to a known network', '203.0.112.255'],
    ['an IPv6 address not in the database', '2001:db9::1'],
    ['private 10.x', '10.1.2.3'],
    ['private 192.168.x', '192.168.1.10'],
    ['private 172.16.x', '172.16.0.1'],
    ['loopback 127.0.0.1', '127.0.0.1'],
    ['loopback ::1', '::1'],
    ['a mapped private address', '::ffff:10.0.0.1'],
    ['a mapped loopback address in full form', '0:0:0:0:0:ffff:7f00:1'],
    ['unique-local IPv6', 'fd12:3456::1'],
    ['link-local IPv6 with a zone id', 'fe80::1%eth0'],
    ['the unspecified address', '::'],
    ['0.0.0.0', '0.0.0.0'],
    ['a garbage string', 'not an ip'],
    ['an address with a port', '203.0.113.7:443'],
    ['an address with spaces', ' 203.0.113.7'],
    ['a leading-zero IPv4', '203.0.113.007'],
    ['an out-of-range octet', '203.0.113.256'],
    ['a very long string', '1'.repeat(10_000)],
    ['an empty string', ''],
    ['names missing in English', '203.0.114.1'],
    ['names of the wrong type', '203.0.115.1'],
  ])('returns null for %s', (_name, ip) => {
    expect(lookup(ip)).toBeNull();
  });

  it('returns null for null and undefined', () => {
    expect(lookup(null)).toBeNull();
    expect(lookup(undefined)).toBeNull();
  });

  it('returns null rather than throwing for non-string input from untyped callers', () => {
    const untyped = lookup as (ip: unknown) => string | null;
    expect(untyped(42)).toBeNull();
    expect(untyped({ toString: () => '203.0.113.7' })).toBeNull();
  });
});

describe('openLocationDatabase() errors', () => {
  const message = /^sessionwarden: geoip\.database .*point geoip\.database at a MaxMind-format \.mmdb file \(GeoLite2-City or GeoIP2-City\)/;

  it('rejects a missing file with a message that says what to do', async () => {
    const missing = join(dir, 'missing.mmdb');
    await expect(openLocationDatabase(missing)).rejects.toThrow(message);
    await expect(openLocationDatabase(missing)).rejects.toThrow(/could not be read/);
  });

  it('keeps the file-system error as the cause', async () => {
    const error = await openLocationDatabase(join(dir, 'missing.mmdb')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('rejects a directory', async () => {
    mkdirSync(join(dir, 'a-directory'));
    await expect(openLocationDatabase(join(dir, 'a-directory'))).rejects.toThrow(message);
  });

  it('rejects a file that is not a MaxMind DB', async () => {
    writeFileSync(join(dir, 'notes.mmdb'), 'this is a text file, not a database\n');
    await expect(openLocationDatabase(join(dir, 'notes.mmdb'))).rejects.toThrow(message);
    await expect(openLocationDatabase(join(dir, 'notes.mmdb'))).rejects.toThrow(/not a MaxMind DB file/);
  });

  it('rejects an empty file', async () => {
    writeFileSync(join(dir, 'empty.mmdb'), '');
    await expect(openLocationDatabase(join(dir, 'empty.mmdb'))).rejects.toThrow(message);
  });

  it('rejects a gzip download that was not extracted, and says so', async () => {
    writeFileSync(join(dir, 'city.mmdb.gz'), gzipSync(readFileSync(join(dir, 'city.mmdb'))));
    await expect(openLocationDatabase(join(dir, 'city.mmdb.gz'))).rejects.toThrow(/gzip-compressed/);
  });

  it('rejects a file with the metadata marker but nonsense after it', async () => {
    writeFileSync(join(dir, 'marker.mmdb'), Buffer.concat([Buffer.from('\xAB\xCD\xEFMaxMind.com', 'latin1'), Buffer.from([0xff, 0x00, 0x13])]));
    await expect(openLocationDatabase(join(dir, 'marker.mmdb'))).rejects.toThrow(message);
  });

  it('rejects a database whose search tree was cut off', async () => {
    const whole = readFileSync(join(dir, 'city.mmdb'));
    const markerAt = whole.lastIndexOf(Buffer.from('\xAB\xCD\xEFMaxMind.com', 'latin1'));
    // Keep the metadata but drop most of the tree and data, as an interrupted copy would.
    writeFileSync(join(dir, 'cut.mmdb'), Buffer.concat([whole.subarray(0, 30), whole.subarray(markerAt)]));
    await expect(openLocationDatabase(join(dir, 'cut.mmdb'))).rejects.toThrow(message);
  });

  it('rejects an empty path with a TypeError', async () => {
    await expect(openLocationDatabase('')).rejects.toThrow(TypeError);
    await expect(openLocationDatabase('')).rejects.toThrow(/^sessionwarden: geoip\.database/);
  });
});

describe('openLocationDatabaseSync()', () => {
  it('resolves the same addresses as the async variant', () => {
    const sync = openLocationDatabaseSync(join(dir, 'city.mmdb'));
    for (const ip of ['203.0.113.7', '198.51.100.20', '2001:db8::1', '8.8.8.8', '10.0.0.1']) {
      expect(sync(ip)).toBe(lookup(ip));
    }
  });

  it('throws the same clear error for a missing file', () => {
    expect(() => openLocationDatabaseSync(join(dir, 'missing.mmdb'))).toThrow(/^sessionwarden: geoip\.database/);
  });
});

describe('an IPv4-only database', () => {
  it('resolves IPv4 and refuses IPv6 instead of misreading its first 32 bits', async () => {
    const path = join(dir, 'v4.mmdb');
    // 0x20010db8 is 32.1.13.184: a naive IPv6 walk of an IPv4 tree would land in this network.
    writeMmdb(path, [
      { network: '198.51.100.0/24', data: { country: place('France') } },
      { network: '32.0.0.0/8', data: { country: place('Wrong') } },
    ], { ipVersion: 4 });
    const v4 = await openLocationDatabase(path);
    expect(v4('198.51.100.9')).toBe('France');
    expect(v4('2001:db8::1')).toBeNull();
  });
});

describe('localised names', () => {
  it('names places in the page\'s language where the database has it, in English otherwise', async () => {
    const path = join(dir, 'names.mmdb');
    writeMmdb(path, [
      { network: '203.0.113.0/24', data: { city: { names: { en: 'Munich', de: 'München', 'zh-CN': '慕尼黑' } }, country: { names: { en: 'Germany', de: 'Deutschland', 'pt-BR': 'Alemanha', 'zh-CN': '德国' } } } },
    ]);
    const lookup = await openLocationDatabase(path);
    expect(lookup('203.0.113.7')).toBe('Munich, Germany');
    expect(lookup('203.0.113.7', 'de')).toBe('München, Deutschland');
    expect(lookup('203.0.113.7', 'de-AT')).toBe('München, Deutschland');
    expect(lookup('203.0.113.7', 'pt-BR')).toBe('Munich, Alemanha');
    expect(lookup('203.0.113.7', 'zh-CN')).toBe('慕尼黑，德国');
    expect(lookup('203.0.113.7', 'ar')).toBe('Munich، Germany');
    expect(lookup('203.0.113.7', 'toString')).toBe('Munich, Germany');
  });
});

describe('the make-mmdb fixture writer', () => {
  it('writes metadata that maxmind reads back', () => {
    const reader = new Reader(encodeMmdb(ENTRIES, { databaseType: 'Test-City', buildEpoch: 1_234_567_890 }));
    expect(reader.metadata.ipVersion).toBe(6);
    expect(reader.metadata.recordSize).toBe(24);
    expect(reader.metadata.binaryFormatMajorVersion).toBe(2);
    expect(reader.metadata.databaseType).toBe('Test-City');
    expect(reader.metadata.languages).toEqual(['en']);
    expect(reader.metadata.buildEpoch.getTime()).toBe(1_234_567_890_000);
  });

  it('round-trips every supported value type', () => {
    const data = {
      text: 'Zürich – 東京',
      long: 'x'.repeat(70_000),
      small: 7,
      zero: 0,
      large: 4_000_000_000,
      huge: 2n ** 40n,
      real: 52.52,
      yes: true,
      no: false,
      list: ['a', 1, { nested: ['b'] }],
    };
    const reader = new Reader<Record<string, unknown>>(encodeMmdb([{ network: '203.0.113.0/24', data }]));
    const record = reader.get('203.0.113.1');
    expect(record).toEqual(data);
  });

  it('lets a longer prefix override part of a shorter one, in any order', () => {
    const entries: MmdbEntry[] = [
      { network: '203.0.113.128/25', data: { v: 'inner' } },
      { network: '203.0.113.0/24', data: { v: 'outer' } },
    ];
    const reader = new Reader<Record<string, unknown>>(encodeMmdb(entries));
    expect(reader.get('203.0.113.1')).toEqual({ v: 'outer' });
    expect(reader.get('203.0.113.200')).toEqual({ v: 'inner' });
  });
});
