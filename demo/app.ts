// The demo app: Express + sessionwarden on SQLite (or the store SESSIONWARDEN_STORE names); sign in as alice, bob or admin.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import { createWarden, safeReturnTo, SessionLimitError, type SessionEvent, type Warden } from '../src/index.js';
import { clientScriptTag, pingRoutes, raw } from '../src/pages/index.js';
import { createExpressMiddleware, expressRoutes, requireUser, verifyCsrf } from '../src/express/index.js';
import { adminRoutes, sessionRoutes } from '../src/pages/index.js';
import { openStore } from '../src/stores/open.js';
import { STYLESHEET } from '../src/http/styles.js';
import { bindTexts, type Texts } from '../src/http/view.js';
import { chooseLocale } from '../src/i18n/index.js';
import type { DemoConfig } from './config.js';
import { homePage, loginPage, reauthPage, refusedPage, type PageContext } from './pages.js';
import { checkCredentials, findUser } from './users.js';

/** What a test or the server needs to run the demo. */
export interface DemoOptions {
  config: DemoConfig;
  /** The clock (tests inject a fake one). */
  now?: () => number;
  /** Where event lines go. @default console.log */
  log?: (line: string) => void;
}

// One look for the demo's pages and the library's: the library's stylesheet, then the demo's few additions.
const stylesheet = `${STYLESHEET}\n${readFileSync(new URL('./public/demo.css', import.meta.url), 'utf8')}`;
const favicon = readFileSync(new URL('./public/favicon.svg', import.meta.url));
const SESSIONS = '/account/sessions';

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
    cache: config.cacheEntries === null ? null : { maxEntries: config.cacheEntries },
    idleTimeout: config.idleTimeoutSeconds * 1000,
    absoluteTimeout: config.absoluteTimeoutSeconds * 1000,
    // Short demo timeouts need frequent activity writes to be visible on the page.
    touchInterval: Math.min(60_000, Math.max(1000, (config.idleTimeoutSeconds * 1000) / 10)),
    limit: config.maxSessions === null ? undefined : { max: config.maxSessions, lockSeconds: config.lockSeconds ?? 300, onExceed: config.onExceed },
    now: options.now,
    onEvent: (event: SessionEvent) => log(JSON.stringify({ event: event.type, at: new Date(event.at).toISOString(), userId: event.userId, session: event.session?.id ?? null, ip: event.ip, reason: event.reason, actor: event.actor, retryAfter: event.retryAfter })),
  });
  const now = () => warden.now();

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
  app.get(['/favicon.svg', '/favicon.ico'], (_req, res) => {
    res.type('image/svg+xml').setHeader('Cache-Control', 'public, max-age=86400');
    res.send(favicon);
  });
  app.use(createExpressMiddleware(warden));
  // The idle warning: POST /session/ping and the script file; every signed-in page loads the script.
  const ping = pingRoutes(warden, { base: '/session' });
  app.use(expressRoutes(ping));
  const clientScript = { routes: ping, warnBefore: config.warnBeforeSeconds, expireUrl: '/login' };
  // The session pages: each user's own sessions, and every session for the admin (others get the usual 404).
  app.use(expressRoutes(sessionRoutes(warden, { base: SESSIONS, loginUrl: '/login', logoutRedirect: '/login', reauthUrl: '/reauthenticate', clientScript })));
  app.use(expressRoutes(adminRoutes(warden, { base: '/admin/sessions', loginUrl: '/login', isAdmin: (userId) => findUser(userId)?.admin === true, clientScript })));
  const form = express.urlencoded({ extended: false, limit: '4kb' });

  /** The page's language from Accept-Language (the library's pages choose the same way), and its idle script. */
  function contextOf(req: Request, res: Response): PageContext & { texts: Texts } {
    const { locale, tag } = chooseLocale(req.get('accept-language'));
    const texts = bindTexts(locale, tag, 'UTC', now());
    const head = req.sessionwarden.record === null ? '' : raw(clientScriptTag(req.sessionwarden, ping, { ...clientScript, locale: tag, nonce: String(res.locals.nonce) }));
    res.setHeader('Content-Language', tag);
    res.setHeader('Vary', 'Accept-Language');
    return { texts, head };
  }

  const returnToOf = (value: unknown): string | null => {
    const target = safeReturnTo(value, '');
    // Back to a page, never to the sign-in or sign-out steps themselves.
    return target === '' || /^\/(?:login|logout)(?:[/?#]|$)/.test(target) ? null : target;
  };

  app.get('/login', (req: Request, res: Response) => {
    const ctx = req.sessionwarden;
    if (ctx.userId) return res.redirect(303, returnToOf(req.query.returnTo) ?? '/');
    const reason = typeof req.query.reason === 'string' ? req.query.reason : ctx.endReason;
    res.type('html').send(loginPage(contextOf(req, res), { reason, csrfToken: ctx.csrfToken, returnTo: returnToOf(req.query.returnTo) }));
  });

  app.post('/login', form, verifyCsrf(warden), async (req: Request, res: Response, next) => {
    const ctx = req.sessionwarden;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
    const returnTo = returnToOf(body.returnTo);
    const context = contextOf(req, res);
    const user = checkCredentials(body.username, body.password);
    if (user === null) {
      res.status(401).type('html').send(loginPage(context, { error: context.texts.t('wrongCredentials'), username, csrfToken: ctx.csrfToken, returnTo }));
      return;
    }
    try {
      // "Sign out the other device and sign in": the password was just checked, and only sessions past their lock go.
      if (body.takeover === '1') await warden.endUnlockedSessions(user.id, { actor: user.id });
      await ctx.login(user.id);
    } catch (error) {
      if (error instanceof SessionLimitError) {
        if (error.retryAfter !== null) res.setHeader('Retry-After', String(error.retryAfter));
        res.status(409).type('html').send(refusedPage(context, { ...(await refusalOf(user.id)), username, csrfToken: ctx.csrfToken, returnTo }));
        return;
      }
      return next(error);
    }
    res.redirect(303, returnTo ?? '/');
  });

  /** What the refusal page says: the session in the way, the limit, and the honest wait. */
  async function refusalOf(userId: string) {
    const sessions = await warden.listUserSessions(userId);
    const blocking = sessions[0] ?? null;
    const lockMs = (config.lockSeconds ?? 300) * 1000;
    const at = now();
    // With evict-oldest, the lock window's end is a promise that holds (the session becomes replaceable then);
    // the idle deadline is not (it moves while that device is used), so it is only ever "or sooner if…".
    const locked = sessions.filter((session) => at - session.createdAt < lockMs);
    const latestAt = config.onExceed === 'evict-oldest' && locked.length > 0 ? Math.min(...locked.map((session) => session.createdAt + lockMs)) : null;
    const canTakeOver = config.onExceed === 'reject' && sessions.some((session) => at - session.createdAt >= lockMs);
    return { blocking, max: config.maxSessions ?? 1, latestAt, canTakeOver, now: at };
  }

  app.post('/logout', form, verifyCsrf(warden), async (req: Request, res: Response, next) => {
    try {
      await req.sessionwarden.logout();
    } catch (error) {
      return next(error);
    }
    res.setHeader('Clear-Site-Data', '"cookies"');
    res.redirect(303, '/login?reason=logout');
  });

  /** The password step: what it is for (ending a session when it came from the session list), and where Cancel goes. */
  function reauthOptions(returnTo: string) {
    const forSessions = returnTo === SESSIONS || returnTo.startsWith(`${SESSIONS}/`);
    return { returnTo, forSessions, cancelUrl: forSessions ? SESSIONS : '/' };
  }

  app.get('/reauthenticate', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(reauthPage(contextOf(req, res), { csrfToken: req.sessionwarden.csrfToken!, ...reauthOptions(safeReturnTo(req.query.returnTo, '/')) }));
  });

  app.post('/reauthenticate', form, requireUser({ loginUrl: '/login' }), verifyCsrf(warden), async (req: Request, res: Response, next) => {
    const ctx = req.sessionwarden;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const returnTo = safeReturnTo(body.returnTo, '/');
    const context = contextOf(req, res);
    if (checkCredentials(ctx.userId, body.password) === null) {
      res.status(401).type('html').send(reauthPage(context, { csrfToken: ctx.csrfToken!, error: context.texts.t('wrongPassword'), ...reauthOptions(returnTo) }));
      return;
    }
    try {
      await ctx.reauthenticate();
    } catch (error) {
      return next(error);
    }
    // Back to the confirmation of what the user was doing: it posts the action again, no GET ever acts.
    res.redirect(303, returnTo);
  });

  app.get('/', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    const ctx = req.sessionwarden;
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(homePage(contextOf(req, res), { user: findUser(ctx.userId)!, session: ctx.record!, csrfToken: ctx.csrfToken!, now: now() }));
  });

  app.get('/api/me', requireUser({ loginUrl: '/login' }), (req: Request, res: Response) => {
    const ctx = req.sessionwarden;
    const user = findUser(ctx.userId)!;
    const record = ctx.record!;
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
