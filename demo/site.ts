// The demo's behaviour, framework-neutral: the warden, the mounted session pages, and each demo route as a function from
// a plain request to a plain answer. demo/express.ts, demo/fastify.ts and demo/hono.ts only map their framework onto it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createWarden, safeReturnTo, SessionLimitError, type SessionContext, type SessionEvent, type Warden } from '../src/index.js';
import { csrfFormField } from '../src/http/guards.js';
import { adminRoutes, clientScriptTag, pingRoutes, raw, sessionRoutes, type RouteHandler, type RouteResponse } from '../src/pages/index.js';
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

/** What a demo route sees of a request, whatever the framework. */
export interface DemoRequest {
  session: SessionContext;
  query: URLSearchParams;
  /** The parsed form (empty for GET). */
  body: Record<string, unknown>;
  acceptLanguage: string | undefined;
  /** The raw Cookie header (the sign-in form's pre-session CSRF token reads its cookie). */
  cookie: string | undefined;
  /** This response's CSP nonce (from `securityHeaders()`). */
  nonce: string;
}

/** A demo route's answer (the neutral RouteResponse). */
export type DemoAnswer = RouteResponse;

/** The demo's static files: path, content type, cache lifetime, bytes. */
export interface DemoAsset {
  type: string;
  cacheControl: string;
  body: string | Buffer;
}

// One look for the demo's pages and the library's: the library's stylesheet, then the demo's few additions.
const stylesheet = `${STYLESHEET}\n${readFileSync(new URL('./public/demo.css', import.meta.url), 'utf8')}`;
const favicon = readFileSync(new URL('./public/favicon.svg', import.meta.url));
const icon: DemoAsset = { type: 'image/svg+xml', cacheControl: 'public, max-age=86400', body: favicon };

/** The demo's static files by path. */
export const ASSETS: Readonly<Record<string, DemoAsset>> = {
  '/demo.css': { type: 'text/css; charset=utf-8', cacheControl: 'public, max-age=3600', body: stylesheet },
  '/favicon.svg': icon,
  '/favicon.ico': icon,
};

/** Where the session pages live. */
export const SESSIONS = '/account/sessions';
/** The sign-in page every guard sends signed-out browsers to. */
export const LOGIN = '/login';
/** Largest form the demo reads. */
export const FORM_LIMIT = 4096;

/**
 * The security headers of every demo response, with the nonce the idle script's tag carries (it gives it to its own
 * `<style>`); a route's own Content-Security-Policy (the library's pages) replaces the demo's.
 * @example
 * const { nonce, headers } = securityHeaders();
 */
export function securityHeaders(): { nonce: string; headers: Record<string, string> } {
  const nonce = randomBytes(16).toString('base64');
  return {
    nonce,
    headers: {
      'content-security-policy': `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'nonce-${nonce}'; frame-ancestors 'none'; form-action 'self'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'same-origin',
    },
  };
}

/** The demo, built once per app: its warden, the library's routes to mount, and the demo's own routes. */
export interface DemoSite {
  warden: Warden;
  /** The ping and script, the session list, the admin view: mount each with the adapter's routes helper. */
  routes: RouteHandler[];
  loginForm(request: DemoRequest): DemoAnswer;
  login(request: DemoRequest): Promise<DemoAnswer>;
  logout(request: DemoRequest): Promise<DemoAnswer>;
  reauthForm(request: DemoRequest): DemoAnswer;
  reauthenticate(request: DemoRequest): Promise<DemoAnswer>;
  home(request: DemoRequest): DemoAnswer;
  me(request: DemoRequest): DemoAnswer;
}

const htmlAnswer = (status: number, body: string, headers: Record<string, string> = {}): DemoAnswer => ({ status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body });
const redirect = (location: string, headers: Record<string, string> = {}): DemoAnswer => ({ status: 303, headers: { location, ...headers }, body: '' });

/**
 * Build the demo's warden and routes.
 * @example
 * const site = createDemoSite({ config: readDemoConfig(process.env) });
 */
export function createDemoSite(options: DemoOptions): DemoSite {
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
  // The idle warning: POST /session/ping and the script file; every signed-in page loads the script.
  const ping = pingRoutes(warden, { base: '/session' });
  const clientScript = { routes: ping, warnBefore: config.warnBeforeSeconds, expireUrl: LOGIN };
  const routes: RouteHandler[] = [
    ping,
    // The session pages: each user's own sessions, and every session for the admin (others get the usual 404).
    sessionRoutes(warden, { base: SESSIONS, loginUrl: LOGIN, logoutRedirect: LOGIN, reauthUrl: '/reauthenticate', clientScript }),
    adminRoutes(warden, { base: '/admin/sessions', loginUrl: LOGIN, isAdmin: (userId) => findUser(userId)?.admin === true, clientScript }),
  ];

  /** The page's language from Accept-Language (the library's pages choose the same way), and its idle script. */
  function contextOf(request: DemoRequest): { context: PageContext & { texts: Texts }; headers: Record<string, string> } {
    const { locale, tag } = chooseLocale(request.acceptLanguage);
    const texts = bindTexts(locale, tag, 'UTC', now());
    const ctx = request.session;
    const head = ctx.record === null ? '' : raw(clientScriptTag(ctx, ping, { ...clientScript, locale: tag, nonce: request.nonce }));
    return { context: { texts, head }, headers: { 'content-language': tag, vary: 'Accept-Language' } };
  }

  /** The form's CSRF token: the session's, or for a visitor without one the pre-session token and its cookie. */
  function formToken(request: DemoRequest): { token: string; headers: Record<string, string> } {
    const { token, setCookie } = csrfFormField(warden, request.session, request.cookie);
    return { token, headers: setCookie === null ? {} : { 'set-cookie': setCookie } };
  }

  const returnToOf = (value: unknown): string | null => {
    const target = safeReturnTo(value, '');
    // Back to a page, never to the sign-in or sign-out steps themselves.
    return target === '' || /^\/(?:login|logout)(?:[/?#]|$)/.test(target) ? null : target;
  };

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

  /** The password step: what it is for (ending a session when it came from the session list), and where Cancel goes. */
  function reauthOptions(returnTo: string) {
    const forSessions = returnTo === SESSIONS || returnTo.startsWith(`${SESSIONS}/`);
    return { returnTo, forSessions, cancelUrl: forSessions ? SESSIONS : '/' };
  }

  return {
    warden,
    routes,

    loginForm(request) {
      const ctx = request.session;
      const returnTo = returnToOf(request.query.get('returnTo'));
      if (ctx.userId) return redirect(returnTo ?? '/');
      const reason = request.query.get('reason') ?? ctx.endReason;
      const { context, headers } = contextOf(request);
      const form = formToken(request);
      return htmlAnswer(200, loginPage(context, { reason, csrfToken: form.token, returnTo }), { ...headers, ...form.headers });
    },

    async login(request) {
      const ctx = request.session;
      const body = request.body;
      const username = typeof body.username === 'string' ? body.username.slice(0, 64) : '';
      const returnTo = returnToOf(body.returnTo);
      const { context, headers } = contextOf(request);
      const user = checkCredentials(body.username, body.password);
      if (user === null) {
        const form = formToken(request);
        return htmlAnswer(401, loginPage(context, { error: context.texts.t('wrongCredentials'), username, csrfToken: form.token, returnTo }), { ...headers, ...form.headers });
      }
      try {
        // "Sign out the other device and sign in": the password was just checked, and only sessions past their lock go.
        if (body.takeover === '1') await warden.endUnlockedSessions(user.id, { actor: user.id });
        await ctx.login(user.id);
      } catch (error) {
        if (!(error instanceof SessionLimitError)) throw error;
        const retry: Record<string, string> = error.retryAfter === null ? {} : { 'retry-after': String(error.retryAfter) };
        const form = formToken(request);
        return htmlAnswer(409, refusedPage(context, { ...(await refusalOf(user.id)), username, csrfToken: form.token, returnTo }), { ...headers, ...retry, ...form.headers });
      }
      return redirect(returnTo ?? '/');
    },

    async logout(request) {
      await request.session.logout();
      return redirect('/login?reason=logout', { 'clear-site-data': '"cookies"' });
    },

    reauthForm(request) {
      const { context, headers } = contextOf(request);
      return htmlAnswer(200, reauthPage(context, { csrfToken: request.session.csrfToken!, ...reauthOptions(safeReturnTo(request.query.get('returnTo'), '/')) }), { ...headers, 'cache-control': 'no-store' });
    },

    async reauthenticate(request) {
      const ctx = request.session;
      const returnTo = safeReturnTo(request.body.returnTo, '/');
      const { context, headers } = contextOf(request);
      if (checkCredentials(ctx.userId, request.body.password) === null) {
        return htmlAnswer(401, reauthPage(context, { csrfToken: ctx.csrfToken!, error: context.texts.t('wrongPassword'), ...reauthOptions(returnTo) }), headers);
      }
      await ctx.reauthenticate();
      // Back to the confirmation of what the user was doing: it posts the action again, no GET ever acts.
      return redirect(returnTo);
    },

    home(request) {
      const ctx = request.session;
      const { context, headers } = contextOf(request);
      return htmlAnswer(200, homePage(context, { user: findUser(ctx.userId)!, session: ctx.record!, csrfToken: ctx.csrfToken!, now: now() }), { ...headers, 'cache-control': 'no-store' });
    },

    me(request) {
      const ctx = request.session;
      const user = findUser(ctx.userId)!;
      const record = ctx.record!;
      const body = {
        user: { id: user.id, name: user.name, admin: user.admin },
        session: {
          id: record.id,
          createdAt: record.createdAt,
          lastActiveAt: record.lastActiveAt,
          idleDeadline: Math.min(record.lastActiveAt + record.idleTimeout, record.expiresAt),
          absoluteDeadline: record.expiresAt,
        },
      };
      return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }, body: JSON.stringify(body) };
    },
  };
}
