// The demo app: Express + sessionwarden on SQLite (or the store SESSIONWARDEN_STORE names); sign in as alice, bob or admin.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { createWarden, safeReturnTo, SessionLimitError, toPublicSession, type SessionEvent, type Warden } from '../src/index.js';
import { clientScriptTag, pingRoutes, raw } from '../src/pages/index.js';
import { createExpressMiddleware, expressRoutes, requireUser, verifyCsrf } from '../src/express/index.js';
import { adminRoutes, sessionRoutes } from '../src/pages/index.js';
import { openStore } from '../src/stores/open.js';
import type { DemoConfig } from './config.js';
import { homePage, loginPage, messagePage, reauthPage, sessionLinks } from './pages.js';
import { checkCredentials, findUser } from './users.js';

/** What a test or the server needs to run the demo. */
export interface DemoOptions {
  config: DemoConfig;
  /** The clock (tests inject a fake one). */
  now?: () => number;
  /** Where event lines go. @default console.log */
  log?: (line: string) => void;
}

const stylesheet = readFileSync(new URL('./public/demo.css', import.meta.url));

/** Human wording for a refusal's wait. */
function waitText(seconds: number | null): string {
  if (seconds === null) return 'later';
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/**
 * Build the demo app and its warden.
 * @example
 * const { app } = createDemo({ config: readDemoConfig(process.env) }); app.listen(3000);
 */
export function createDemo(options: DemoOptions): { app: express.Express; warden: Warden } {
  const { config } = options;
  const log = options.log ?? ((line: string) => console.log(line));
  const warden = createWarden({
    store: openStore(config.store).store,
    idleTimeout: config.idleTimeoutSeconds * 1000,
    absoluteTimeout: config.absoluteTimeoutSeconds * 1000,
    // Short demo timeouts need frequent activity writes to be visible on the page.
    touchInterval: Math.min(60_000, Math.max(1000, (config.idleTimeoutSeconds * 1000) / 10)),
    limit: config.maxSessions === null ? undefined : { max: config.maxSessions, lockSeconds: config.lockSeconds ?? 300, onExceed: config.onExceed },
    now: options.now,
    onEvent: (event: SessionEvent) => log(JSON.stringify({ event: event.type, at: new Date(event.at).toISOString(), userId: event.userId, session: event.session?.id ?? null, ip: event.ip, reason: event.reason, actor: event.actor, retryAfter: event.retryAfter })),
  });

  const app = express();
  app.disable('x-powered-by');
  app.use(function demoSecurityHeaders(_req, res, next) {
    // One nonce per response: the idle script's tag carries it, and the script gives it to its own <style>.
    const nonce = randomBytes(16).toString('base64');
    res.locals.nonce = nonce;
    res.setHeader('Content-Security-Policy', `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; frame-ancestors 'none'; form-action 'self'`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    next();
  });
  app.get('/demo.css', (_req, res) => {
    res.type('text/css').setHeader('Cache-Control', 'public, max-age=3600');
    res.send(stylesheet);
  });
  app.use(createExpressMiddleware(warden));
  // The idle warning: POST /session/ping and the script file; every signed-in page loads the script.
  const ping = pingRoutes(warden, { base: '/session' });
  app.use(expressRoutes(ping));
  const clientScript = { routes: ping, warnBefore: config.warnBeforeSeconds, expireUrl: '/login' };
  const scriptTag = (req: Request, res: Response) => raw(clientScriptTag(req.sessionwarden, ping, { ...clientScript, nonce: String(res.locals.nonce) }));
  // The session pages: each user's own sessions, and every session for the admin (others get the usual 404).
  app.use(expressRoutes(sessionRoutes(warden, { base: '/account/sessions', loginUrl: '/login', logoutRedirect: '/login', reauthUrl: '/reauthenticate', clientScript })));
  app.use(expressRoutes(adminRoutes(warden, { base: '/admin/sessions', loginUrl: '/login', isAdmin: (userId) => findUser(userId)?.admin === true, clientScript })));
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  app.get('/login', (req: Request, res: Response) => {
    const { sessionwarden: session } = req;
    if (session.userId) return res.redirect(303, '/');
    const reason = typeof req.query.reason === 'string' ? req.query.reason : session.endReason;
    res.type('html').send(loginPage({ reason, csrfToken: session.csrfToken }));
  });

  app.post('/login', form, verifyCsrf(warden), async (req: Request, res: Response, next) => {
    const { sessionwarden: session } = req;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = checkCredentials(body.username, body.password);
    if (user === null) {
      res.status(401).type('html').send(loginPage({ error: 'Wrong username or password.', username: typeof body.username === 'string' ? body.username.slice(0, 64) : '', csrfToken: session.csrfToken }));
      return;
    }
    try {
      await session.login(user.id);
    } catch (error) {
      if (error instanceof SessionLimitError) {
        if (error.retryAfter !== null) res.setHeader('Retry-After', String(error.retryAfter));
        res.status(409).type('html').send(messagePage('Already signed in', `This account is already signed in on another device. Try again in ${waitText(error.retryAfter)}.`));
        return;
      }
      return next(error);
    }
    res.redirect(303, '/');
  });

  app.post('/logout', form, verifyCsrf(warden), async (req: Request, res: Response, next) => {
    try {
      await req.sessionwarden.logout();
    } catch (error) {
      return next(error);
    }
    res.setHeader('Clear-Site-Data', '"cookies"');
    res.redirect(303, '/login');
  });

  app.get('/reauthenticate', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    const { sessionwarden: session } = req;
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(reauthPage({ user: findUser(session.userId)!, csrfToken: session.csrfToken!, returnTo: safeReturnTo(req.query.returnTo, '/'), head: scriptTag(req, res) }));
  });

  app.post('/reauthenticate', form, requireUser({ loginUrl: '/login' }), verifyCsrf(warden), async (req: Request, res: Response, next) => {
    const { sessionwarden: session } = req;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const user = findUser(session.userId)!;
    const returnTo = safeReturnTo(body.returnTo, '/');
    if (checkCredentials(user.id, body.password) === null) {
      res.status(401).type('html').send(reauthPage({ user, csrfToken: session.csrfToken!, returnTo, error: 'Wrong password.', head: scriptTag(req, res) }));
      return;
    }
    try {
      await session.reauthenticate();
    } catch (error) {
      return next(error);
    }
    res.redirect(303, returnTo);
  });

  app.get('/', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    const { sessionwarden: session } = req;
    const user = findUser(session.userId)!;
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(homePage({ user, session: toPublicSession(session.record!), csrfToken: session.csrfToken!, links: sessionLinks(user.admin), head: scriptTag(req, res) }));
  });

  app.get('/api/me', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    const { sessionwarden: session } = req;
    const user = findUser(session.userId)!;
    const record = toPublicSession(session.record!);
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      user: { id: user.id, name: user.name, admin: user.admin },
      session: {
        id: record.id,
        createdAt: record.createdAt,
        lastActiveAt: record.lastActiveAt,
        idleDeadline: Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt),
        absoluteDeadline: record.expiresAt,
      },
    });
  });

  return { app, warden };
}
