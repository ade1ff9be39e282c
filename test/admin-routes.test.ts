// The admin session pages over real HTTP (memory and SQLite stores): hidden from non-admins, search, filters, pages, ending.
import { describe, expect, it } from 'vitest';
import { createWarden } from '../src/index.js';
import { adminRoutes } from '../src/http/admin/routes.js';
import { issueToken } from '../src/core/token.js';
import { memoryStore } from '../src/stores/memory/index.js';
import { HOUR, MINUTE, SECOND } from './helpers/clock.js';
import { FailingStore } from './helpers/failing-store.js';
import type { Browser } from './helpers/http.js';
import { ADMIN, APP_NOT_FOUND, HTML, JSON_ACCEPT, idOf, shapeOf, appPerTest, tokenOf, type RoutesApp, type RoutesAppOptions } from './helpers/routes-app.js';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const BERLIN = '203.0.113.7';

interface Listed {
  sessions: { id: string; userId: string | null; status: string; endReason: string | null }[];
  nextCursor: string | null;
}

describe.each(['memory', 'sqlite'] as const)('admin routes (%s store)', (store) => {
  const startApp = appPerTest(store);
  let app: RoutesApp;
  const start = async (options: Omit<RoutesAppOptions, 'store'> = {}) => (app = await startApp(options));

  /** One session each second: admin (Mac, Berlin), alice twice, bob, bob's ended one; plus carol's, idle for hours. */
  async function population() {
    const signIn = async (user: string, headers: Record<string, string> = {}) => {
      const browser = await app.signIn(user, headers);
      app.clock.advance(SECOND);
      return browser;
    };
    const carol = await app.insert({ userId: 'carol', createdAt: app.clock.now() - 3 * HOUR, ip: '192.0.2.1' });
    const admin = await signIn('admin', { 'user-agent': CHROME_MAC, 'x-forwarded-for': BERLIN });
    const alice1 = await signIn('alice', { 'x-forwarded-for': '203.0.113.8' });
    const alice2 = await signIn('alice', { 'x-forwarded-for': '198.51.100.5' });
    const bob = await signIn('bob', { 'x-forwarded-for': '198.51.100.9' });
    const bobEnded = await signIn('bob');
    await app.warden.revokeSession(idOf(bobEnded));
    app.clock.advance(MINUTE);
    const ids = { carol: carol.id, admin: idOf(admin), alice1: idOf(alice1), alice2: idOf(alice2), bob: idOf(bob), bobEnded: idOf(bobEnded) };
    return { admin, alice1, alice2, bob, ids, token: await tokenOf(admin) };
  }

  async function listed(browser: Browser, query = ''): Promise<Listed> {
    const response = await browser.get(`${ADMIN}${query}`, JSON_ACCEPT);
    expect(response.status).toBe(200);
    return response.json<Listed>();
  }

  async function statusOf(browser: Browser): Promise<unknown> {
    return (await browser.get('/me', JSON_ACCEPT)).json();
  }

  it('anonymous visitors and non-admins get exactly the app\'s own 404 on every admin route, and nothing changes', async () => {
    await start();
    const { alice1, bob, ids } = await population();
    const requests = [
      ['GET', ADMIN], ['GET', `${ADMIN}?q=bob&status=active`], ['GET', `${ADMIN}/${ids.bob}/revoke`], ['POST', `${ADMIN}/${ids.bob}/revoke`],
      ['DELETE', `${ADMIN}/${ids.bob}`], ['POST', `${ADMIN}/users/bob/revoke`], ['DELETE', `${ADMIN}/users/bob`],
    ] as const;
    for (const browser of [app.browser(), alice1]) {
      const token = browser === alice1 ? await tokenOf(alice1) : '';
      for (const accept of [HTML, JSON_ACCEPT]) {
        for (const [method, path] of requests) {
          const body = method === 'GET' ? undefined : { _csrf: token };
          const answer = await browser.request(method, path, { headers: accept, body });
          const unknown = await browser.request(method, '/no/such/page', { headers: accept, body });
          expect(shapeOf(answer)).toEqual(shapeOf(unknown));
          expect([answer.status, answer.text]).toEqual([404, APP_NOT_FOUND]);
        }
      }
    }
    expect(await statusOf(bob)).toEqual({ user: 'bob' });
    expect(app.events.filter((event) => event.type === 'revoked')).toHaveLength(1);
  });

  it('the JSON listing shows every session newest first, with user, labels, status and end reason', async () => {
    await start();
    const { admin, ids } = await population();
    const { sessions, nextCursor } = await listed(admin);
    expect(sessions.map((session) => session.id)).toEqual([ids.bobEnded, ids.bob, ids.alice2, ids.alice1, ids.admin, ids.carol]);
    expect(nextCursor).toBeNull();
    expect(sessions[4]).toEqual({
      id: ids.admin, userId: 'admin', device: 'Chrome on macOS', location: 'Berlin, Germany', ip: BERLIN,
      createdAt: expect.any(Number), lastActiveAt: expect.any(Number), current: true, status: 'active', endedAt: null, endReason: null,
    });
    expect(sessions[0]).toMatchObject({ userId: 'bob', status: 'ended', endReason: 'revoked', endedAt: expect.any(Number), current: false });
    // A session that lapsed without a write ended at its idle deadline, which the listing reports as its end.
    expect(sessions[5]).toMatchObject({ userId: 'carol', status: 'ended', endReason: 'idle', endedAt: expect.any(Number) });
  });

  it('searches by user id or IP and filters by status and "mine"', async () => {
    await start();
    const { admin, ids } = await population();
    const cases: [string, string[]][] = [
      ['?q=alice', [ids.alice2, ids.alice1]],
      ['?q=203.0.113.8', [ids.alice1]],
      ['?q=%20bob%20', [ids.bobEnded, ids.bob]],
      ['?status=active', [ids.bob, ids.alice2, ids.alice1, ids.admin]],
      ['?status=ended', [ids.bobEnded, ids.carol]],
      ['?status=ended&q=bob', [ids.bobEnded]],
      ['?mine=1', [ids.admin]],
      ['?mine=1&q=alice', []],
      ['?mine=1&q=203.0.113.7', [ids.admin]],
      ['?q=nobody', []],
      ['?status=bogus&cursor=', [ids.bobEnded, ids.bob, ids.alice2, ids.alice1, ids.admin, ids.carol]],
    ];
    for (const [query, expected] of cases) {
      expect([query, (await listed(admin, query)).sessions.map((session) => session.id)]).toEqual([query, expected]);
    }
  });

  it('the HTML page has a search form, a real table, escaped values, and end buttons only on live rows', async () => {
    await start();
    const { admin } = await population();
    await app.insert({ userId: '<b>mallory</b>', ip: '"><script>alert(1)</script>', userAgent: '<img src=x onerror=alert(1)>' });
    const response = await admin.get(ADMIN, HTML);
    const page = response.text;
    expect(response.status).toBe(200);
    expect(page).toContain('<h1 id="title">All sessions</h1>');
    expect(page).toContain(`<form class="filters" method="get" action="${ADMIN}" role="search">`);
    // The field's label is a noun, the button a verb; the filter options are plural ("Active" sessions).
    expect(page).toContain('<label>User or IP address <input type="search" name="q" value=""');
    expect(page).toContain('<button type="submit" class="primary">Search</button>');
    expect(page).toContain('<option value="active">Active</option>');
    expect(page).toContain('<input type="checkbox" name="mine" value="1">');
    for (const header of ['User', 'Session', 'Signed in', 'Last activity', 'Status']) expect(page).toContain(`<th scope="col">${header}</th>`);
    expect(page).toContain('<th scope="col"><span class="sr">Actions</span></th>');
    // Ended rows say why and when: the reason, then the end time.
    expect(page).toMatch(/<span class="badge off">Ended<\/span><span class="reason">Ended by the user<\/span><span class="reason"><time datetime="[^"]+" title="[^"]+">1 minute ago<\/time><\/span>/);
    expect(page).toContain('Inactivity');
    // Four live sessions of others get "End session"; the admin's own reads "Sign out"; ended rows get nothing.
    expect(page.match(/>End session<\/button>/g)).toHaveLength(4);
    expect(page.match(/class="quiet"[^>]*>Sign out<\/button>/g)).toHaveLength(1);
    expect(page).toContain('&lt;b&gt;mallory&lt;/b&gt;');
    expect(page).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toMatch(/<script|<img|<b>|onerror=|\sstyle=/i);
    expect(page).not.toContain('End all sessions of this user');
    const nonce = /<style nonce="([^"]+)">/.exec(page)?.[1];
    expect(response.headers.get('content-security-policy')).toContain(`style-src 'nonce-${nonce}'`);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const filtered = (await admin.get(`${ADMIN}?q=alice&status=active`, HTML)).text;
    expect(filtered).toContain('<input type="search" name="q" value="alice"');
    expect(filtered).toContain('<option value="active" selected>');
    // "End all" goes through a confirmation that lists the user's sessions and keeps the filters.
    expect(filtered).toContain(`<a class="button danger" href="${ADMIN}/users/alice/end?q=alice&amp;status=active">End all sessions of this user</a>`);
    const confirmation = (await admin.get(`${ADMIN}/users/alice/end?q=alice&status=active`, HTML)).text;
    expect(confirmation).toContain('<h1 id="title">End all 2 sessions of alice?</h1>');
    expect(confirmation).toContain(`<form method="post" action="${ADMIN}/users/alice/revoke?q=alice&amp;status=active" class="actions">`);
    expect(confirmation).toContain(`<a class="button" href="${ADMIN}?q=alice&amp;status=active">Cancel</a>`);
    // No "end all" for a user without live sessions, whatever the filters show.
    expect((await admin.get(`${ADMIN}?q=nobody`, HTML)).text).not.toContain('End all sessions of this user');
    expect((await admin.get(`${ADMIN}?q=carol`, HTML)).text).not.toContain('End all sessions of this user');
    expect((await admin.get(`${ADMIN}/users/nobody/end`, HTML)).headers.get('location')).toBe(ADMIN);
    const arabic = await admin.get(ADMIN, { ...HTML, 'accept-language': 'ar' });
    expect(arabic.text).toContain('<html lang="ar" dir="rtl">');
  });

  it('pages by cursor, 50 at a time, without repeats or gaps when a session is created between pages', async () => {
    await start();
    const admin = await app.signIn('admin');
    const start0 = app.clock.now() - HOUR;
    const inserted: string[] = [];
    // Rows 40 to 69 share one creation time, so the first page boundary falls inside a tie.
    for (let i = 0; i < 120; i += 1) inserted.push((await app.insert({ userId: `user${i % 7}`, createdAt: start0 - (i < 40 ? i : i < 70 ? 40 : i) * SECOND })).id);
    const first = await listed(admin);
    expect(first.sessions).toHaveLength(50);
    expect(first.nextCursor).not.toBeNull();
    const pageOne = (await admin.get(`${ADMIN}?status=all`, HTML)).text;
    const next = /<a href="([^"]+)" rel="next">Next page<\/a>/.exec(pageOne)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toBe(`${ADMIN}?cursor=${first.nextCursor}`);
    const newcomer = await app.signIn('alice');
    const second = await listed(admin, `?cursor=${first.nextCursor}`);
    const third = await listed(admin, `?cursor=${second.nextCursor}`);
    expect([second.sessions.length, third.sessions.length, third.nextCursor]).toEqual([50, 21, null]);
    const seen = [...first.sessions, ...second.sessions, ...third.sessions].map((session) => session.id);
    expect(new Set(seen).size).toBe(121);
    expect(seen.sort()).toEqual([idOf(admin), ...inserted].sort());
    expect(seen).not.toContain(idOf(newcomer));
    const pageTwo = (await admin.get(next!, HTML)).text;
    expect(pageTwo).toContain(`<a href="${ADMIN}" rel="first">First page</a>`);
    expect(pageTwo).toContain(second.sessions[0]!.id);
  });

  it('pageSize sets the page length', async () => {
    await start({ admin: { pageSize: 2 } });
    const { admin } = await population();
    const page = await listed(admin);
    expect(page.sessions).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
  });

  it('ending one session: 303 back to the same filters with a confirmation, reason revoked-by-admin, an event with the actor', async () => {
    await start();
    const { admin, bob, ids, token } = await population();
    const response = await admin.post(`${ADMIN}/${ids.bob}/revoke?q=bob&status=active`, { _csrf: token }, HTML);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`${ADMIN}?q=bob&status=active`);
    const page = (await admin.get(response.headers.get('location')!, HTML)).text;
    expect(page).toContain('<p class="notice" role="status" tabindex="-1" autofocus>');
    expect(page).toMatch(/The session on .+ was ended./);
    expect((await admin.get(response.headers.get('location')!, HTML)).text).not.toContain('was ended.');
    expect(await statusOf(bob)).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
    expect(app.events.filter((event) => event.type === 'revoked').at(-1)).toMatchObject({ userId: 'bob', reason: 'revoked-by-admin', actor: 'admin', session: { id: ids.bob } });
  });

  it('DELETE <id> with JSON ends any user\'s session; ended and unknown ids give identical 404s', async () => {
    await start();
    const { admin, alice1, ids, token } = await population();
    const remove = (id: string) => admin.request('DELETE', `${ADMIN}/${id}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
    const response = await remove(ids.alice1);
    expect([response.status, response.json()]).toEqual([200, { ended: [ids.alice1] }]);
    expect(await statusOf(alice1)).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
    const again = await remove(ids.alice1);
    const unknown = await remove(issueToken().id);
    expect(again.status).toBe(404);
    expect(shapeOf(again)).toEqual(shapeOf(unknown));
  });

  it('ending all of a user\'s sessions (HTML and JSON, any user id), each with an event naming the admin', async () => {
    await start();
    const { admin, alice1, alice2, bob, token } = await population();
    const response = await admin.post(`${ADMIN}/users/alice/revoke`, { _csrf: token }, HTML);
    expect(response.headers.get('location')).toBe(ADMIN);
    expect((await admin.get(ADMIN, HTML)).text).toContain('2 sessions of this user were ended.');
    for (const browser of [alice1, alice2]) expect(await statusOf(browser)).toEqual({ error: 'session_ended', reason: 'revoked-by-admin' });
    expect(await statusOf(bob)).toEqual({ user: 'bob' });
    expect(app.events.filter((event) => event.type === 'revoked' && event.userId === 'alice').map((event) => [event.reason, event.actor])).toEqual([['revoked-by-admin', 'admin'], ['revoked-by-admin', 'admin']]);
    const odd = 'carol smith/ü?';
    const owned = [await app.insert({ userId: odd }), await app.insert({ userId: odd })].map((record) => record.id);
    const json = await admin.request('DELETE', `${ADMIN}/users/${encodeURIComponent(odd)}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
    expect(json.json<{ ended: string[] }>().ended.sort()).toEqual(owned.sort());
    const malformed = await admin.request('DELETE', `${ADMIN}/users/%E0%A4%A`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': token } });
    expect(malformed.status).toBe(404);
  });

  it('state changes need the CSRF token and a same-origin request; GET and HEAD on them give 405 and change nothing', async () => {
    await start();
    const { admin, bob, ids, token } = await population();
    const before = JSON.stringify(await app.store.get(ids.bob));
    const refused = [
      await admin.post(`${ADMIN}/${ids.bob}/revoke`, {}, HTML),
      await admin.post(`${ADMIN}/${ids.bob}/revoke`, { _csrf: token }, { ...HTML, 'sec-fetch-site': 'cross-site' }),
      await admin.post(`${ADMIN}/users/bob/revoke`, { _csrf: token }, { ...HTML, 'sec-fetch-site': '', origin: 'null' }),
      await admin.request('DELETE', `${ADMIN}/${ids.bob}`, { headers: { ...JSON_ACCEPT, 'x-csrf-token': await tokenOf(bob) } }),
    ];
    expect(refused.map((response) => response.status)).toEqual([403, 403, 403, 403]);
    for (const [path, allow] of [[`${ADMIN}/${ids.bob}/revoke`, 'POST'], [`${ADMIN}/${ids.bob}`, 'DELETE'], [`${ADMIN}/users/bob/revoke`, 'POST'], [`${ADMIN}/users/bob`, 'DELETE']]) {
      for (const method of ['GET', 'HEAD']) {
        const response = await admin.request(method, path!, { headers: HTML });
        expect([method, path, response.status, response.headers.get('allow')]).toEqual([method, path, 405, allow]);
      }
    }
    expect((await admin.request('POST', ADMIN, { body: { _csrf: token }, headers: HTML })).headers.get('allow')).toBe('GET, HEAD');
    expect(JSON.stringify(await app.store.get(ids.bob))).toBe(before);
  });

  it('with the privacy switch on, rows show "—" and "unknown" for IP, device and location', async () => {
    await start({ warden: { storeIp: false, storeUserAgent: false } });
    const { admin } = await population();
    const { sessions } = await listed(admin, '?status=active');
    for (const session of sessions) expect(session).toMatchObject({ ip: null, device: null, location: null });
    const page = (await admin.get(`${ADMIN}?status=active`, HTML)).text;
    expect(page).toContain('Unknown device');
    expect(page).not.toContain('location');
  });
});

describe('adminRoutes() options', () => {
  const warden = createWarden({ store: memoryStore() });
  const isAdmin = () => false;

  it('misconfiguration throws at construction with a message naming the option', () => {
    expect(() => adminRoutes(createWarden({ store: new FailingStore() }), { base: '/admin/sessions', isAdmin })).toThrow(/^sessionwarden: adminRoutes needs a store with the optional list\(\) method/);
    expect(() => adminRoutes(warden, { base: '/admin/sessions' } as never)).toThrow(/isAdmin must be a function/);
    for (const pageSize of [0, 501, 2.5]) expect(() => adminRoutes(warden, { base: '/a', isAdmin, pageSize })).toThrow(/pageSize must be a whole number from 1 to 500/);
    expect(() => adminRoutes(warden, { base: '//evil.example', isAdmin })).toThrow(/adminRoutes: base must be a same-origin path/);
    expect(() => adminRoutes(warden, { base: '/a', isAdmin, freshAge: '1m' } as never)).toThrow(/unknown option "freshAge"/);
  });
});
