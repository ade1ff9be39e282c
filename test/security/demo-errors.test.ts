// F4: the demo never answers with a stack trace or a file path; body errors get their own status, the rest a plain 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDemo } from '../../demo/app.js';
import { readDemoConfig } from '../../demo/config.js';
import { listen, type TestServer } from '../helpers/http.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-demo-errors-'));
let server: TestServer;
const errorLines: string[] = [];
const originalError = console.error;

beforeAll(async () => {
  // The details go to the server log (console.error); collected here to check they were written and not sent.
  console.error = (...args: unknown[]) => errorLines.push(args.join(' '));
  const { app } = createDemo({ config: readDemoConfig({ SESSIONWARDEN_STORE: join(dir, 'demo.sqlite') }), log: () => {} });
  server = await listen(app);
});
afterAll(async () => {
  console.error = originalError;
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const STACK = /\bat \S+ \(|node_modules|[\\/]src[\\/]|Error:|<pre>/;

describe('demo error handler (F4)', () => {
  it('a 5 KB form is 413, a bad charset 415, a bad gzip body 400: short pages without a stack, details logged', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' };
    const cases: Array<[RequestInit, number]> = [
      [{ method: 'POST', headers: form, body: `username=${'a'.repeat(5000)}` }, 413],
      [{ method: 'POST', headers: { ...form, 'content-type': 'application/x-www-form-urlencoded; charset=x-evil' }, body: 'username=a' }, 415],
      [{ method: 'POST', headers: { ...form, 'content-encoding': 'gzip' }, body: 'garbage' }, 400],
    ];
    for (const [init, status] of cases) {
      const response = await fetch(`${server.url}/login`, init);
      const text = await response.text();
      expect(response.status, text).toBe(status);
      expect(text).not.toMatch(STACK);
      expect(text).not.toContain(process.cwd());
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    }
    expect(errorLines.join('\n')).toMatch(/413/);
  });
});
