// Mounting the framework-neutral routes (session list, admin, ping, client script) on Express.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SessionStoreError } from '../core/errors.js';
import { parseBody } from '../http/body.js';
import { MAX_BODY_BYTES, type RouteHandler, type RouteRequest } from '../http/types.js';
import type { SessionRequest } from './index.js';

/**
 * Turn a route handler into Express middleware; requests the handler does not claim go to `next()`.
 * Mount it after `createExpressMiddleware(warden)`.
 * @example
 * app.use(expressRoutes(sessionRoutes(warden, { base: '/account/sessions' })));
 */
export function expressRoutes(handler: RouteHandler): RequestHandler {
  return async function sessionwardenRoutes(req: Request, res: Response, next: NextFunction) {
    const ctx = (req as SessionRequest).sessionContext;
    if (ctx === undefined) {
      next(new Error('sessionwarden: mount createExpressMiddleware(warden) before the session routes'));
      return;
    }
    try {
      // Concatenated, not resolved: a path starting with // must stay a path, not become a host.
      const url = new URL(`http://route.invalid${req.originalUrl ?? req.url}`);
      const path = url.pathname.replace(/\/{2,}/g, '/');
      // Decide before reading the body: a request for the app's own routes must reach them with its body unread.
      if (!handler.claims(path)) {
        next();
        return;
      }
      let body: Record<string, unknown> | null;
      try {
        body = await bodyOf(req);
      } catch {
        res.status(413).setHeader('Cache-Control', 'no-store');
        res.json({ error: 'body_too_large' });
        return;
      }
      const request: RouteRequest = {
        method: req.method,
        path,
        query: url.searchParams,
        headers: {
          accept: req.headers.accept,
          acceptLanguage: req.headers['accept-language'],
          secFetchSite: single(req.headers['sec-fetch-site']),
          secFetchMode: single(req.headers['sec-fetch-mode']),
          origin: single(req.headers.origin),
          referer: req.headers.referer,
          host: req.headers.host,
          contentType: req.headers['content-type'],
          csrfToken: single(req.headers['x-csrf-token']),
        },
        body,
        session: ctx,
      };
      const response = await handler(request);
      if (response === null) {
        next();
        return;
      }
      res.status(response.status);
      for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
      res.end(response.body);
    } catch (error) {
      if (error instanceof SessionStoreError) {
        res.status(503).setHeader('Retry-After', '5');
        res.setHeader('Cache-Control', 'no-store');
        res.json({ error: 'session_store_unavailable' });
        return;
      }
      next(error);
    }
  };
}

/** The body as the app's parser left it, or read here (bounded) when nothing parsed it. */
async function bodyOf(req: Request): Promise<Record<string, unknown> | null> {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const parsed = (req as { body?: unknown }).body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed as Record<string, unknown>;
  if (req.readableEnded) return null;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(chunk);
  }
  return parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
