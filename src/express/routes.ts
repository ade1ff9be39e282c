// Mounting the framework-neutral routes (session list, admin, ping, client script) on Express.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { answerRoute, readNodeBody, type RouteBody } from '../http/lifecycle.js';
import type { RouteHandler } from '../http/types.js';
import { headersOf, send } from './index.js';

/**
 * Turn a route group (`sessionRoutes`, `adminRoutes`, `pingRoutes` from `sessionwarden/pages`) into Express
 * middleware; requests it does not claim go to `next()`. Mount it after `createExpressMiddleware(warden)`.
 * @example
 * app.use(expressRoutes(sessionRoutes(warden, { base: '/account/sessions' })));
 */
export function expressRoutes(handler: RouteHandler): RequestHandler {
  return async function sessionwardenRoutes(req: Request, res: Response, next: NextFunction) {
    const session = req.sessionwarden;
    if (session === undefined) {
      next(new Error('sessionwarden: mount createExpressMiddleware(warden) before the session routes'));
      return;
    }
    try {
      const response = await answerRoute(handler, { method: req.method, url: req.originalUrl ?? req.url, headers: headersOf(req), session, body: () => bodyOf(req) });
      if (response === null) return next();
      send(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** The body as the app's parser left it, or read here (bounded) when nothing parsed it. */
async function bodyOf(req: Request): Promise<RouteBody> {
  const parsed: unknown = req.body;
  if (parsed !== undefined && parsed !== null && typeof parsed === 'object' && !Buffer.isBuffer(parsed)) return parsed as Record<string, unknown>;
  if (req.readableEnded) return null;
  return readNodeBody(req as AsyncIterable<Buffer>, req.headers['content-type']);
}
