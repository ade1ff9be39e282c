// F3 (SEC-40): a state-changing request without a session fails closed. It is accepted only with positive evidence of
// this origin (Sec-Fetch-Site same-origin, or a trusted Origin or Referer) or a valid pre-session CSRF token, which the
// demo's sign-in form carries. The refusal says what happened (a missing or wrong token is not "another site").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import type { SessionEvent } from '../../src/index.js';
import { listen, parseSetCookie, type TestServer } from '../helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-login-csrf-'));
let server: TestServer;
const events: SessionEvent['type'][] = [];
const lines: string[] = [];

beforeAll(async () => {
  const { app } = createDemo({ config: readDemoConfig({ SESSIONWARDEN_STORE: join(dir, 'demo.sqlite') }), log: (line) => lines.push(line) });
  server = await listen(app);
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };

/** A sign-in form as a browser gets it: the pre-session cookie and the hidden field. */
async function loginForm(): Promise<{ cookie: string; token: string }> {
  const page = await fetch(`${server.url}/login`, { headers: { accept: 'text/html' } });
  const html = await page.text();
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const set = page.headers.getSetCookie().map(parseSetCookie).find((cookie) => cookie.name.endsWith('sw-csrf'));
  expect(token, 'the sign-in form carries a CSRF field').toBeDefined();
  expect(set, 'and its cookie').toBeDefined();
  expect(set!.name).toBe('__Host-sw-csrf');
  expect(set!.attributes).toMatchObject({ path: '/', httponly: true, secure: true, samesite: 'Lax' });
  expect(set!.value).not.toBe(token);
  return { cookie: `${set!.name}=${set!.value}`, token: token! };
}

async function postLogin(headers: Record<string, string>, fields: Record<string, string> = {}) {
  const response = await fetch(`${server.url}/login`, { method: 'POST', redirect: 'manual', headers: { ...FORM, ...headers }, body: new URLSearchParams({ username: 'alice', password: 'demo', ...fields }).toString() });
  const signedIn = response.headers.getSetCookie().some((cookie) => cookie.startsWith('__Host-sid=') && !cookie.startsWith('__Host-sid=;'));
  return { status: response.status, text: await response.text(), signedIn };
}

describe('login CSRF fails closed (F3)', () => {
  it('SEC-40 no Origin, no Fetch Metadata, no Referer and no token: 403 that says the token was missing, no session', async () => {
    const result = await postLogin({});
    expect(result.status).toBe(403);
    expect(result.signedIn).toBe(false);
    expect(result.text).toMatch(/security token was missing or did not match/);
    expect(result.text).not.toMatch(/another site/);
    expect(lines.some((line) => line.includes('"csrf-rejected"') && line.includes('missing-token'))).toBe(true);
  });

  it('SEC-40 the sign-in form\'s pre-session token lets a header-less client sign in; a wrong or foreign token does not', async () => {
    const form = await loginForm();
    const other = await loginForm();
    const wrong = await postLogin({ cookie: form.cookie }, { _csrf: other.token });
    expect(wrong.status).toBe(403);
    expect(wrong.signedIn).toBe(false);
    expect(wrong.text).toMatch(/security token was missing or did not match/);
    expect(lines.some((line) => line.includes('"csrf-rejected"') && line.includes('bad-token'))).toBe(true);
    // The token without its cookie (an attacker's own form token) proves nothing.
    expect((await postLogin({}, { _csrf: form.token })).status).toBe(403);
    const ok = await postLogin({ cookie: form.cookie }, { _csrf: form.token });
    expect(ok.status).toBe(303);
    expect(ok.signedIn).toBe(true);
  });

  it('SEC-40 positive evidence of this origin is enough without a token; cross-site is refused even with a valid token, and says so', async () => {
    expect((await postLogin({ 'sec-fetch-site': 'same-origin' })).status).toBe(303);
    expect((await postLogin({ origin: server.url })).status).toBe(303);
    expect((await postLogin({ referer: `${server.url}/login` })).status).toBe(303);
    const form = await loginForm();
    const foreign: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { origin: 'null' }, { origin: 'https://evil.example' }, { referer: 'https://evil.example/x' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of foreign) {
      const refused = await postLogin({ ...headers, cookie: form.cookie }, { _csrf: form.token });
      expect(refused.status, JSON.stringify(headers)).toBe(403);
      expect(refused.signedIn).toBe(false);
      expect(refused.text).toMatch(/came from another site/);
    }
  });

  it('SEC-40 JSON refusals carry the reason', async () => {
    const response = await fetch(`${server.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: 'username=alice&password=demo' });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'csrf', reason: 'missing-token' });
  });
});
