// sessionwarden/pages: the framework-neutral session pages, admin view, activity ping and script tag, mounted by each adapter.
export { pingRoutes, type PingRoutes, type PingRoutesOptions } from '../http/ping/routes.js';
export { clientScriptTag, type ClientScriptTagOptions } from '../http/ping/script-tag.js';
export type { RouteHandler, RouteRequest, RouteResponse } from '../http/types.js';
export { escapeHtml, html, raw, SafeHtml } from '../html/escape.js';
export { sessionRoutes, type SessionRoutesOptions } from '../http/sessions/routes.js';
export { adminRoutes, type AdminRoutesOptions } from '../http/admin/routes.js';
export { STYLESHEET } from '../http/styles.js';
