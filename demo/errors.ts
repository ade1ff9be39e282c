// The demo's error answer, on every framework: a short page with the right status, never a stack; the details go to
// the server log.
import type { ErrorRequestHandler } from 'express';
import { SessionStoreError } from '../src/index.js';
import { rateLimitedLog } from '../src/core/log-limit.js';
import type { DemoAnswer } from './site.js';

const PAGES: Record<number, { title: string; text: string }> = {
  400: { title: 'Bad request', text: 'The request could not be read.' },
  413: { title: 'Too large', text: 'The request was larger than this site accepts.' },
  415: { title: 'Unsupported', text: 'The request used an encoding this site does not accept.' },
  503: { title: 'Temporarily unavailable', text: 'Sessions cannot be saved right now. Please try again in a few seconds.' },
  500: { title: 'Something went wrong', text: 'The request failed. Please try again.' },
};

/** What the error answer needs of the failed request. */
export interface FailedRequest {
  method: string;
  path: string;
  /** The client asked for JSON rather than a page. */
  wantsJson: boolean;
}

/**
 * The demo's last resort: 413 for a body too large, 400 (or 415) for a body that cannot be read, 503 with
 * Retry-After when the session store fails, a plain 500 otherwise. The answer never carries the error's message or
 * stack; the log gets one line per kind of failure per minute (a full disk must not flood it).
 * @example
 * const answerError = demoErrors(console.error); const answer = answerError(error, { method, path, wantsJson: false });
 */
export function demoErrors(log: (line: string) => void = (line) => console.error(line)): (error: unknown, request: FailedRequest) => DemoAnswer {
  const limited = rateLimitedLog(log, 60_000);
  return function answerError(error, request) {
    const status = statusOf(error);
    const name = (error as Error | null)?.name ?? 'Error';
    const kind = error instanceof SessionStoreError ? error.code : `${status} ${name}`;
    const message = error instanceof Error ? error.message : String(error);
    limited.write(kind, `${new Date().toISOString()} ${request.method} ${request.path} -> ${status}: ${name}: ${message}`);
    const headers: Record<string, string> = { 'cache-control': 'no-store' };
    if (status === 503) headers['retry-after'] = '5';
    const page = PAGES[status] ?? PAGES[500]!;
    if (request.wantsJson) {
      return { status, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ error: page.title.toLowerCase().replace(/ /g, '_') }) };
    }
    const body = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${page.title}</title><h1>${page.title}</h1><p>${page.text}</p><p><a href="/">Home</a></p></html>`;
    return { status, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }, body };
  };
}

/**
 * The demo's error answer as Express's last middleware.
 * @example
 * app.use(demoErrorHandler(console.error));
 */
export function demoErrorHandler(log?: (line: string) => void): ErrorRequestHandler {
  const answerError = demoErrors(log);
  return function demoErrorsMiddleware(error: unknown, req, res, next) {
    if (res.headersSent) return next(error);
    const answer = answerError(error, { method: req.method, path: req.path, wantsJson: req.accepts(['html', 'json']) === 'json' });
    res.status(answer.status).set(answer.headers).send(answer.body);
  };
}

/** The status an error calls for: a client error a body parser named (4xx), a store failure (503), else 500. */
function statusOf(error: unknown): number {
  if (error instanceof SessionStoreError) return 503;
  const status = (error as { status?: unknown; statusCode?: unknown } | null)?.status ?? (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return status === 413 || status === 415 ? status : 400;
  return 500;
}
