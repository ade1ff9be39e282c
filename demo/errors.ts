// The demo's error handler: a short page with the right status, never a stack; the details go to the server log.
import type { ErrorRequestHandler } from 'express';
import { SessionStoreError } from '../src/index.js';
import { rateLimitedLog } from '../src/core/log-limit.js';

const PAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'Bad request', text: 'The request could not be read.' },
  413: { title: 'Too large', text: 'The request was larger than this site accepts.' },
  415: { title: 'Unsupported', text: 'The request used an encoding this site does not accept.' },
  503: { title: 'Temporarily unavailable', text: 'Sessions cannot be saved right now. Please try again in a few seconds.' },
  500: { title: 'Something went wrong', text: 'The request failed. Please try again.' },
};

/**
 * The last middleware of the demo: 413 for a body too large, 400 (or 415) for a body that cannot be read, 503 with
 * Retry-After when the session store fails, a plain 500 otherwise. The page never carries the error's message or
 * stack; the log gets one line per kind of failure per minute (a full disk must not flood it).
 * @example
 * app.use(demoErrorHandler(console.error));
 */
export function demoErrorHandler(log: (line: string) => void = (line) => console.error(line)): ErrorRequestHandler {
  const limited = rateLimitedLog(log, 60_000);
  return function demoErrors(error: unknown, req, res, next) {
    if (res.headersSent) return next(error);
    const status = statusOf(error);
    const kind = error instanceof SessionStoreError ? error.code : `${status} ${(error as Error)?.name ?? 'Error'}`;
    const message = error instanceof Error ? error.message : String(error);
    limited.write(kind, `${new Date().toISOString()} ${req.method} ${req.path} -> ${status}: ${(error as Error)?.name ?? 'Error'}: ${message}`);
    if (status === 503) res.setHeader('Retry-After', '5');
    res.setHeader('Cache-Control', 'no-store');
    const page = PAGES[status] ?? PAGES[500]!;
    if (req.accepts(['html', 'json']) === 'json') {
      res.status(status).json({ error: page.title.toLowerCase().replace(/ /g, '_') });
      return;
    }
    res.status(status).type('html').send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>${page.title}</title><h1>${page.title}</h1><p>${page.text}</p><p><a href="/">Home</a></p></html>`);
  };
}

/** The status an error calls for: a client error the body parser named (4xx), a store failure (503), else 500. */
function statusOf(error: unknown): number {
  if (error instanceof SessionStoreError) return 503;
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status === 413 || status === 415 ? status : 400;
  return 500;
}
