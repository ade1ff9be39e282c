// The client IP: the socket address, or X-Forwarded-For walked right to left through proxies the operator trusts.
import { BlockList, isIP } from 'node:net';
import { SessionConfigError } from './errors.js';

/**
 * Proxies to trust: addresses, CIDRs and the names `loopback`, `linklocal` and `uniquelocal` (as Express's
 * `trust proxy` and proxy-addr take them), as an array or one comma-separated string; or a hop count. None by default.
 * @example
 * trustedProxies: 'loopback, 10.0.0.0/8'
 */
export type TrustedProxies = readonly string[] | string | number;

/** The named ranges proxy-addr knows, with the same meaning. */
const NAMED_RANGES: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** Longer X-Forwarded-For values are ignored: no honest chain of proxies needs more. */
const MAX_FORWARDED_LENGTH = 1024;
const MAX_FORWARDED_ENTRIES = 16;

/** Resolves the client IP of a request from its socket address and X-Forwarded-For header. */
export type ClientIpResolver = (socketAddress: string | null | undefined, forwardedFor: string | null | undefined) => string | null;

/**
 * Normalise an IP: IPv4-mapped IPv6 becomes IPv4, IPv6 is lower-cased; anything that is not an IP gives null.
 * @example
 * normalizeIp('::ffff:192.0.2.1') // '192.0.2.1'
 */
export function normalizeIp(value: string | null | undefined): string | null {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return null;
  let ip = value.trim();
  // An IPv6 zone id (fe80::1%eth0) is local routing detail, not part of the address.
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  const version = isIP(ip);
  if (version === 4) return ip;
  if (version !== 6) return null;
  ip = ip.toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped && isIP(mapped[1]!) === 4) return mapped[1]!;
  return ip;
}

/**
 * Build the resolver once from configuration; request data never changes which proxies are trusted.
 * @example
 * const clientIp = createClientIpResolver(['10.0.0.0/8']); clientIp('10.0.0.5', '6.6.6.6, 203.0.113.9') // '203.0.113.9'
 */
export function createClientIpResolver(option: TrustedProxies | undefined): ClientIpResolver {
  const trusted = typeof option === 'string' ? option.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0) : option;
  if (trusted === undefined || (Array.isArray(trusted) && trusted.length === 0) || trusted === 0) {
    return (socketAddress) => normalizeIp(socketAddress);
  }
  if (typeof trusted === 'number') {
    if (!Number.isInteger(trusted) || trusted < 0 || trusted > MAX_FORWARDED_ENTRIES) {
      throw new SessionConfigError(`trustedProxies as a hop count must be an integer from 0 to ${MAX_FORWARDED_ENTRIES}`);
    }
    return (socketAddress, forwardedFor) => {
      const chain = forwardedChain(forwardedFor);
      const socket = normalizeIp(socketAddress);
      if (chain === null) return socket;
      // The socket peer is hop 1; each further trusted hop appended one entry on the right.
      const index = chain.length - trusted;
      if (index < 0) return chain[0] ?? socket;
      return chain[index] ?? socket;
    };
  }
  if (!Array.isArray(trusted)) {
    throw new SessionConfigError("trustedProxies must be addresses/CIDRs/'loopback'/'linklocal'/'uniquelocal' (an array or a comma-separated string) or a hop count");
  }
  const list = new BlockList();
  for (const entry of trusted as readonly string[]) {
    for (const range of NAMED_RANGES[entry as string] ?? [entry]) addTrusted(list, range);
  }
  const isTrusted = (ip: string) => list.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4');
  return (socketAddress, forwardedFor) => {
    const socket = normalizeIp(socketAddress);
    if (socket === null || !isTrusted(socket)) return socket;
    const chain = forwardedChain(forwardedFor);
    if (chain === null) return socket;
    for (let i = chain.length - 1; i >= 0; i -= 1) {
      const hop = chain[i]!;
      if (!isTrusted(hop)) return hop;
    }
    return chain[0] ?? socket;
  };
}

/** The X-Forwarded-For entries as normalised IPs, or null when the header is absent, oversized or not all IPs. */
function forwardedChain(header: string | null | undefined): string[] | null {
  if (typeof header !== 'string' || header.length === 0 || header.length > MAX_FORWARDED_LENGTH) return null;
  const parts = header.split(',');
  if (parts.length > MAX_FORWARDED_ENTRIES) return null;
  const chain: string[] = [];
  for (const part of parts) {
    const ip = normalizeIp(part);
    // One garbage entry makes the whole header untrustworthy: fall back to the socket.
    if (ip === null) return null;
    chain.push(ip);
  }
  return chain;
}

function addTrusted(list: BlockList, entry: string): void {
  if (typeof entry !== 'string') throw new SessionConfigError('trustedProxies entries must be strings (an IP or a CIDR)');
  if (entry === '*' || entry === '0.0.0.0/0' || entry === '::/0') {
    throw new SessionConfigError(`trustedProxies must not trust every address (${entry}): list your proxies' addresses or CIDRs`);
  }
  const [address, prefixText] = entry.split('/');
  const ip = normalizeIp(address);
  if (ip === null) throw new SessionConfigError(`trustedProxies entry ${JSON.stringify(entry)} is not an IP, a CIDR or one of loopback, linklocal, uniquelocal`);
  const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  if (prefixText === undefined) {
    list.addAddress(ip, type);
    return;
  }
  const prefix = Number(prefixText);
  const maxPrefix = type === 'ipv6' ? 128 : 32;
  if (!/^\d{1,3}$/.test(prefixText) || prefix < 1 || prefix > maxPrefix) {
    throw new SessionConfigError(`trustedProxies entry ${JSON.stringify(entry)} has a bad prefix length`);
  }
  list.addSubnet(ip, prefix, type);
}
