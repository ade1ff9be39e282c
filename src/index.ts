// sessionwarden: sessions you can see, limit and time out. The framework-neutral core, its types and errors.
export { createWarden, Warden, type RequestInput, type RevokeOptions, type PingReply } from './core/warden.js';
export { SessionContext, type LoginOptions } from './core/session-context.js';
export type { WardenOptions, LimitOptions, PassiveRule, TimeoutContext, ResolvedOptions } from './core/options.js';
export type { Duration } from './core/duration.js';
export { toMilliseconds } from './core/duration.js';
export { SessionConfigError, SessionStoreError, SessionLimitError, SessionDataError, SessionStateError, type SessionStoreErrorCode } from './core/errors.js';
export {
  toPublicSession,
  isLive,
  deadlineOf,
  type EndReason,
  type SessionData,
  type SessionRecord,
  type PublicSession,
  type SessionStore,
  type StoreLimit,
  type CreateSessionInput,
  type CreateSessionResult,
  type ListSessionsQuery,
  type SessionPage,
  type SessionStats,
  type SessionEvent,
  type SessionEventType,
} from './core/types.js';
export { normalizeIp, type TrustedProxies } from './core/client-ip.js';
export { safeReturnTo } from './core/redirect.js';
export { planLimit, type LimitPlan } from './stores/limit.js';
export { device, parseDevice, type DeviceInfo } from './device/index.js';
export { openLocationDatabase, openLocationDatabaseSync, type LocationLookup } from './location/index.js';
export { negotiateLocale, translate, direction, locales, type Locale, type MessageKey } from './i18n/index.js';
export { pingRoutes, type PingRoutes, type PingRoutesOptions } from './http/ping/routes.js';
export { clientScriptTag, type ClientScriptTagOptions } from './http/ping/script-tag.js';
export type { RouteHandler, RouteRequest, RouteResponse } from './http/types.js';
export { escapeHtml, html, raw, SafeHtml } from './html/escape.js';
export { sessionRoutes, type SessionRoutesOptions } from './http/sessions/routes.js';
export { adminRoutes, type AdminRoutesOptions } from './http/admin/routes.js';
