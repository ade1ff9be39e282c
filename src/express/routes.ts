// Mounting the framework-neutral routes (session list, admin, ping, client script) on Express.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SessionStoreError } from '../core/errors.js';
import { parseBody } from '../http/body.js';
import { storeUnavailable } from '../http/guards.js';
import { json } from '../http/respond.js';
import { MAX_BODY_BYTES, type RouteHandler } from '../http/types.js';
import { headersOf, policyRequestOf, send } from './index.js';

/**
 * Turn a route group (`sessionRoutes`, `adminRoutes`, `pingRoutes` from `sessionwarden/pages`) into Express
 * middleware; requests it does not claim go to `next()`. Mount it after `createExpressMiddleware(warden)`.
 * @example
 * app.use(expressRoutes(sessionRoutes(warden, { base: '/account/sessions' })));
 */
export function expressRoutes(handler: RouteHandler): RequestHandler {
  return async function sessionwardenRoutes(req: Request, res: Response, next: NextFunction) {
    if (req.sessionwarden === undefined) {
      next(new Error('sessionwarden: mount createExpressMiddleware(warden) before the session routes'));
      return;
    }
    try {
      // Concatenated, not resolved: a path starting with // must stay a path, not become a host.
      const url = new URL(`http://route.invalid${req.originalUrl ?? req.url}`);
      const path = url.pathname.replace(/\/{2,}/g, '/');
      // Decide before reading the body: a request for the app's own routes must reach them with its body unread.
      if (!handler.claims(path)) return next();
      const body = await bodyOf(req);
      if (body === TOO_LARGE) return send(res, json(413, { error: 'body_too_large' }));
      const response = await handler({ ...policyRequestOf(req), path, query: url.searchParams, body });
      if (response === null) return next();
      send(res, response);
    } catch (error) {
      if (error instanceof SessionStoreError) return send(res, storeUnavailable(headersOf(req)));
      next(error);
    }
  };
}

const TOO_LARGE = Symbol('too large');

/** The body as the app's parser left it, or read here (bounded) when nothing parsed it. */
async function bodyOf(req: Request): Promise<Record<string, unknown> | null | typeof TOO_LARGE> {
  if (req.method === 'GET' || req.method === 'HEAD') return null;
  const parsed: unknown = req.body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed as Record<string, unknown>;
  if (req.readableEnded) return null;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return TOO_LARGE;
    chunks.push(chunk);
  }
  const raw = Buffer.concat(chunks).toString('utf8');
  return Buffer.byteLength(raw) > MAX_BODY_BYTES ? TOO_LARGE : parseBody(raw, req.headers['content-type']);
}
