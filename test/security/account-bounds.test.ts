// F5 (SEC-45, SEC-33): every account has a ceiling of live sessions by default (100, the least recently active evicted
// first; the app may lower, raise or remove it), and the user's own session list comes in pages (cursor) in HTML and JSON.
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_SESSIONS } from '../../src/core/options.js';
import { appPerTest, HTML, JSON_ACCEPT, SESSIONS, type RoutesApp } from '../helpers/routes-app.js';
import type { Browser } from '../helpers/http.js';
import { SECOND } from '../helpers/clock.js';

const start = appPerTest('sqlite');

async function signInMany(app: RoutesApp, user: string, count: number): Promise<Browser[]> {
  const browsers: Browser[] = [];
  for (let i = 0; i < count; i += 1) {
    browsers.push(await app.signIn(user));
    // Each login a second later: "least recently active" is well defined.
    app.clock.advance(SECOND);
  }
  return browsers;
}

describe('the default ceiling of live sessions per account (F5)', () => {
  it('SEC-45 without a limit option, 105 logins of one user leave 100 live sessions: the 5 least recently active were replaced', async () => {
    expect(DEFAULT_MAX_SESSIONS).toBe(100);
    const app = await start();
    const browsers = await signInMany(app, 'bob', 105);
    const live = await app.warden.listUserSessions('bob');
    expect(live).toHaveLength(100);
    for (const [index, browser] of browsers.entries()) {
      const status = (await browser.get('/me', JSON_ACCEPT)).status;
      expect([index, status]).toEqual([index, index < 5 ? 401 : 200]);
    }
    const replaced = app.events.filter((event) => event.type === 'replaced' && event.userId === 'bob');
    expect(replaced).toHaveLength(5);
  }, 60_000);

  it('SEC-45 the app may lower the ceiling, raise it, or remove it with Infinity', async () => {
    const lowered = await start({ warden: { limit: { max: 3, lockSeconds: 0 } } });
    await signInMany(lowered, 'carol', 6);
    expect(await lowered.warden.listUserSessions('carol')).toHaveLength(3);
  });

  it('SEC-45 with { max: Infinity } nothing is evicted', async () => {
    const unlimited = await start({ warden: { limit: { max: Infinity } } });
    await signInMany(unlimited, 'dave', 102);
    expect(await unlimited.warden.listUserSessions('dave')).toHaveLength(102);
  }, 60_000);
});

describe('the user\'s own session list is paged (F5)', () => {
  it('SEC-33 JSON: pages of pageSize with a cursor that walks every live session once; HTML: a next-page link', async () => {
    const app = await start({ sessions: { pageSize: 10 } });
    const browsers = await signInMany(app, 'erin', 25);
    const me = browsers.at(-1)!;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await me.get(cursor === null ? SESSIONS : `${SESSIONS}?cursor=${encodeURIComponent(cursor)}`, JSON_ACCEPT);
      const body = response.json<{ sessions: { id: string }[]; nextCursor: string | null }>();
      expect(body.sessions.length).toBeLessThanOrEqual(10);
      seen.push(...body.sessions.map((session) => session.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(25);
    const html = await me.get(SESSIONS, HTML);
    expect((html.text.match(/<li class="session/g) ?? []).length).toBe(10);
    const next = /<a href="([^"]+)" rel="next">/.exec(html.text)?.[1];
    expect(next).toMatch(/^\/account\/sessions\?cursor=/);
    const second = await me.get(next!.replace(/&amp;/g, '&'), HTML);
    expect((second.text.match(/<li class="session/g) ?? []).length).toBe(10);
    expect(second.text).toMatch(/rel="first"/);
  });

  it('SEC-33 the default page holds at most 50 sessions', async () => {
    const app = await start({ warden: { limit: { max: Infinity } } });
    const browsers = await signInMany(app, 'frank', 60);
    const body = (await browsers.at(-1)!.get(SESSIONS, JSON_ACCEPT)).json<{ sessions: unknown[]; nextCursor: string | null }>();
    expect(body.sessions).toHaveLength(50);
    expect(body.nextCursor).not.toBeNull();
  }, 60_000);
});
