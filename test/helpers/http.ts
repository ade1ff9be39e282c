// HTTP test helpers: a real server on an ephemeral port, and a client that keeps the session cookie like a browser.
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';

/** A running test server. */
export interface TestServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Listen on 127.0.0.1 with an ephemeral port.
 * @example
 * const srv = await listen(app); … await srv.close();
 */
export async function listen(handler: RequestListener): Promise<TestServer> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One parsed Set-Cookie header. */
export interface ParsedSetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/**
 * Parse a Set-Cookie value strictly into name, value and lower-cased attributes.
 * @example
 * parseSetCookie('__Host-sid=abc; Path=/; HttpOnly').attributes.httponly // true
 */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair, ...rest] = header.split(';');
  const eq = pair!.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of rest) {
    const [key, ...value] = part.trim().split('=');
    attributes[key!.toLowerCase()] = value.length ? value.join('=') : true;
  }
  return { name: pair!.slice(0, eq).trim(), value: pair!.slice(eq + 1).trim(), attributes };
}

/** A response plus its body text, for assertions. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
  setCookies: string[];
}

/**
 * A cookie-keeping client for one "browser". Origin headers are same-origin by default (like a browser form post).
 * @example
 * const alice = new Browser(srv.url); await alice.post('/login', { username: 'alice', password: 'demo' });
 */
export class Browser {
  cookies = new Map<string, string>();
  /** Every Set-Cookie and body seen, so tests can scan them for leaked tokens. */
  readonly seen: string[] = [];

  constructor(readonly baseUrl: string, readonly defaults: Record<string, string> = {}) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  /** The session cookie value, or undefined. */
  get session(): string | undefined {
    return this.cookies.get('__Host-sid');
  }

  async request(method: string, path: string, options: { headers?: Record<string, string>; body?: string | Record<string, string>; json?: unknown } = {}): Promise<TestResponse> {
    const headers: Record<string, string> = { ...this.defaults, ...options.headers };
    if (this.cookies.size > 0 && headers.cookie === undefined) headers.cookie = this.cookieHeader;
    let body: string | undefined;
    if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] ??= 'application/json';
    } else if (typeof options.body === 'string') body = options.body;
    else if (options.body) {
      body = new URLSearchParams(options.body).toString();
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
    }
    // An absolute URL reaches another server (another app process) with the same cookies, like a load balancer would.
    const url = /^https?:\/\//.test(path) ? path : this.baseUrl + path;
    if (method !== 'GET' && method !== 'HEAD') {
      headers['sec-fetch-site'] ??= 'same-origin';
      headers.origin ??= new URL(url).origin;
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    const text = await response.text();
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) {
      const cookie = parseSetCookie(header);
      if (cookie.attributes['max-age'] === '0' || cookie.value === '') this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    this.seen.push(text, ...[...response.headers].filter(([name]) => name !== 'set-cookie').map(([name, value]) => `${name}: ${value}`));
    return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T, setCookies };
  }

  get(path: string, headers?: Record<string, string>): Promise<TestResponse> {
    return this.request('GET', path, { headers });
  }

  post(path: string, body?: Record<string, string>, headers?: Record<string, string>): Promise<TestResponse> {
    return this.request('POST', path, { body, headers });
  }
}
