// A typical express-session app (test/consumer/typical-app) passes its own tests on express-session, then after its import line is changed to sessionwarden/express-session, on Express 4 and 5.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/index.js';
import { sqliteStore } from '../../src/stores/sqlite/index.js';
import { Browser, listen, parseSetCookie, type TestServer } from '../helpers/http.js';

const source = readFileSync(resolve('test/consumer/typical-app/app.ts'), 'utf8');
const out = resolve('test-output', 'typical-app');
const work = mkdtempSync(join(tmpdir(), 'sw-typical-'));
const home = process.cwd();

/** The app as its author would change it: the one import line (and, for Express 4, the Express it runs on). */
function variant(name: string, replacements: [string, string][]): string {
  let code = source;
  for (const [from, to] of replacements) {
    expect(code).toContain(from);
    code = code.replace(from, to);
  }
  mkdirSync(out, { recursive: true });
  const path = join(out, `${name}.ts`);
  writeFileSync(path, code);
  return path;
}

const SWITCH: [string, string] = ["import session from 'express-session';", "import session from 'sessionwarden/express-session';"];
const EXPRESS4: [string, string] = ["import express from 'express';", "import express from 'express4';"];

beforeAll(() => {
  // sessionwarden's default store is a SQLite file in the working directory: this test's own folder.
  process.chdir(work);
});
afterAll(() => {
  process.chdir(home);
  rmSync(work, { recursive: true, force: true });
});

/** A persistent cookie has an expiry (express-session sends Expires, sessionwarden Max-Age). */
const persistent = (header: string) => {
  const { attributes } = parseSetCookie(header);
  return attributes.expires !== undefined || (attributes['max-age'] !== undefined && attributes['max-age'] !== '0');
};

describe.each([
  ['express-session', 'Express 5', []],
  ['sessionwarden/express-session', 'Express 5', [SWITCH]],
  ['express-session', 'Express 4', [EXPRESS4]],
  ['sessionwarden/express-session', 'Express 4', [SWITCH, EXPRESS4]],
] as const)('the typical app on %s (%s) passes its own tests', (library, expressName, replacements) => {
  let server: TestServer;
  beforeAll(async () => {
    const path = variant(`${library.replace('/', '-')}-${expressName.replace(' ', '')}`, [...replacements]);
    const { createApp } = (await import(pathToFileURL(path).href)) as { createApp(): Express };
    server = await listen(createApp());
  });
  afterAll(async () => {
    await server.close();
  });
  const cookieName = 'connect.sid';
  const sessionOf = (browser: Browser) => browser.cookies.get(cookieName);

  it('counts views across requests', async () => {
    const browser = new Browser(server.url);
    const seen = [];
    for (let i = 0; i < 3; i += 1) seen.push((await browser.get('/')).text);
    expect(seen).toEqual(['hello guest, views 1', 'hello guest, views 2', 'hello guest, views 3']);
  });

  it('logs in with regenerate: a new session id (the old cookie is worth nothing), the user greeted', async () => {
    const browser = new Browser(server.url);
    await browser.post('/cart', { item: 'book' });
    const before = sessionOf(browser)!;
    const login = await browser.post('/login', { username: 'alice', password: 'wonderland' });
    expect(login.status).toBe(302);
    expect(sessionOf(browser)).not.toBe(before);
    expect((await browser.get('/')).text).toBe('hello alice, views 1');
    expect((await browser.get('/cart')).json()).toEqual({ cart: [] });
    const attacker = new Browser(server.url);
    attacker.cookies.set(cookieName, before);
    expect((await attacker.get('/')).text).toBe('hello guest, views 1');
  });

  it('refuses a wrong password', async () => {
    expect((await new Browser(server.url).post('/login', { username: 'alice', password: 'nope' })).status).toBe(401);
  });

  it('remember me makes the cookie persistent; without it the cookie still follows cookie.maxAge', async () => {
    const remembered = new Browser(server.url);
    const withRemember = await remembered.post('/login', { username: 'bob', password: 'builder', remember: 'on' });
    expect(persistent(withRemember.setCookies[0]!)).toBe(true);
    expect((await remembered.get('/')).text).toBe('hello bob, views 1');
  });

  it('logs out with destroy: signed out, and the old cookie is worth nothing', async () => {
    const browser = new Browser(server.url);
    await browser.post('/login', { username: 'alice', password: 'wonderland' });
    const signedIn = sessionOf(browser)!;
    await browser.post('/logout');
    expect((await browser.get('/')).text).toBe('hello guest, views 1');
    const replay = new Browser(server.url);
    replay.cookies.set(cookieName, signedIn);
    expect((await replay.get('/')).text).toBe('hello guest, views 1');
  });

  it('passport 0.7: login regenerates the session and drops what the anonymous session held; logout signs out', async () => {
    const browser = new Browser(server.url);
    await browser.post('/cart', { item: 'pen' });
    const before = sessionOf(browser);
    expect((await browser.post('/passport/login', { username: 'bob', password: 'builder' })).json()).toEqual({ user: 'bob' });
    expect(sessionOf(browser)).not.toBe(before);
    expect((await browser.get('/passport/me')).json()).toEqual({ user: 'bob' });
    expect((await browser.get('/cart')).json()).toEqual({ cart: [] });
    expect((await browser.post('/passport/logout')).json()).toEqual({ user: null });
    expect((await browser.get('/passport/me')).json()).toEqual({ user: null });
  });

  it('passport 0.7 with keepSessionInfo: login and logout keep the session\'s other data', async () => {
    const browser = new Browser(server.url);
    await browser.post('/cart', { item: 'lamp' });
    expect((await browser.post('/passport/login-keep', { username: 'alice', password: 'wonderland' })).json()).toEqual({ user: 'alice' });
    expect((await browser.get('/passport/me')).json()).toEqual({ user: 'alice' });
    expect((await browser.get('/cart')).json()).toEqual({ cart: ['lamp'] });
    expect((await browser.post('/passport/logout-keep')).json()).toEqual({ user: null });
    expect((await browser.get('/passport/me')).json()).toEqual({ user: null });
    expect((await browser.get('/cart')).json()).toEqual({ cart: ['lamp'] });
  });

  it('a wrong passport password is refused', async () => {
    expect((await new Browser(server.url).post('/passport/login', { username: 'bob', password: 'x' })).status).toBe(401);
  });
});

describe('the typical app with userOf added: its regenerate and passport logins become first-class', () => {
  let server: TestServer;
  const events: SessionEvent[] = [];
  const storePath = join(work, 'first-class.sqlite');
  beforeAll(async () => {
    (globalThis as { swEvents?: SessionEvent[] }).swEvents = events;
    const path = variant('sessionwarden-userof', [
      SWITCH,
      [
        'saveUninitialized: false,',
        `saveUninitialized: false,
      store: (await import('${pathToFileURL(resolve(home, 'src/stores/sqlite/index.ts')).href}')).sqliteStore({ path: ${JSON.stringify(storePath)} }),
      userOf: (data) => (data.userId as string | undefined) ?? (data.passport as { user?: string } | undefined)?.user,
      limit: { max: 1, lockSeconds: 300, onExceed: 'reject' },
      onEvent: (event) => (globalThis as { swEvents?: unknown[] }).swEvents?.push(event),`,
      ],
      ['export function createApp(): express.Express {', 'export async function createApp(): Promise<express.Express> {'],
    ]);
    const { createApp } = (await import(pathToFileURL(path).href)) as { createApp(): Promise<Express> };
    server = await listen(await createApp());
  });
  afterAll(async () => {
    await server.close();
  });

  it('a regenerate-then-set-user login is a login: listed, limited, revocable', async () => {
    const laptop = new Browser(server.url);
    await laptop.post('/login', { username: 'alice', password: 'wonderland' });
    const store = sqliteStore({ path: storePath });
    const listed = await store.listByUser('alice', Date.now());
    expect(listed).toHaveLength(1);
    expect(events.filter((event) => event.type === 'login').map((event) => event.userId)).toEqual(['alice']);
    // The limit applies: a second device is refused (SessionLimitError answers 409 through Express).
    const phone = new Browser(server.url);
    const refused = await phone.post('/login', { username: 'alice', password: 'wonderland' });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('retry-after')).not.toBeNull();
    // Revoked from elsewhere (the CLI, an admin): the laptop is signed out on its next request.
    await store.endByUser('alice', 'revoked-by-admin', Date.now());
    expect((await laptop.get('/')).text).toBe('hello guest, views 1');
    await store.close?.();
  });

  it('a passport login is a login of that user, and passport\'s logout a logout', async () => {
    const browser = new Browser(server.url);
    await browser.post('/passport/login', { username: 'bob', password: 'builder' });
    const store = sqliteStore({ path: storePath });
    expect((await store.listByUser('bob', Date.now())).map((record) => record.userId)).toEqual(['bob']);
    await browser.post('/passport/logout');
    expect(await store.listByUser('bob', Date.now())).toEqual([]);
    expect(events.some((event) => event.type === 'logout' && event.userId === 'bob')).toBe(true);
    await store.close?.();
  });
});
