// The small translated HTML page of an error answer (404, 405, a refused form, an unavailable store) for browsers.
import { createHash } from 'node:crypto';
import { html, raw } from '../html/escape.js';
import { chooseLocale, direction, translate, type MessageKey } from '../i18n/index.js';
import { STYLESHEET } from './styles.js';
import type { RequestHeaders, RouteResponse } from './types.js';

// A hash instead of a nonce: the same error gives byte-identical answers (a 404 must not tell one id from another).
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLESHEET).digest('base64')}'`;
const CSP = `default-src 'none'; style-src ${STYLE_HASH}; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

/**
 * An error page in the language the request asks for: a title, one sentence saying what happened and what to do,
 * and a link back (history or the site's root) — never raw JSON or English-only text for a form post.
 * @example
 * return errorPage(404, request.headers, 'notFoundTitle', 'notFoundText');
 */
export function errorPage(status: number, headers: RequestHeaders, title: MessageKey, text: MessageKey, extra: Record<string, string> = {}): RouteResponse {
  const { locale, tag } = chooseLocale(headers.acceptLanguage);
  const body = html`<!doctype html>
<html lang="${tag}" dir="${direction(locale)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${translate(tag, title)}</title>
<style>${raw(STYLESHEET)}</style>
</head>
<body>
<main>
<h1>${translate(tag, title)}</h1>
<p>${translate(tag, text)}</p>
<p><a href="/">${translate(tag, 'backToApp')}</a></p>
</main>
</body>
</html>`.value;
  return {
    status,
    headers: {
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': CSP,
      'referrer-policy': 'same-origin',
      'content-language': tag,
      vary: 'Accept-Language',
      ...extra,
    },
    body,
  };
}
