// A CommonJS app as `npm init` makes it: require() every public entry of the installed package, then sign in through the core.
'use strict';
const { createWarden } = require('sessionwarden');
const { memoryStore } = require('sessionwarden/stores/memory');
const { createExpressMiddleware } = require('sessionwarden/express');

async function main() {
  // Every other entry the package offers (the test passes the subpaths whose sources exist) must load too.
  const loaded = {};
  for (const subpath of JSON.parse(process.argv[2] || '[]')) {
    loaded[subpath] = Object.keys(require(subpath === '.' ? 'sessionwarden' : `sessionwarden/${subpath.slice(2)}`)).length;
  }
  const warden = createWarden({ store: memoryStore() });
  const request = { ip: '203.0.113.7', userAgent: 'commonjs-app', method: 'POST', path: '/login' };
  const signIn = await warden.begin({ ...request, cookie: null });
  await signIn.login('alice');
  await signIn.commit();
  const cookie = signIn.cookieHeader.split(';', 1)[0];
  const next = await warden.begin({ ...request, method: 'GET', path: '/', cookie });
  const middleware = createExpressMiddleware(warden);
  process.stdout.write(JSON.stringify({ userId: next.userId, cookieName: cookie.split('=', 1)[0], middleware: typeof middleware, loaded }));
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
