// sessionwarden: sessions you can see, limit and time out. The framework-neutral core, its types and errors (no store, page or locale is loaded).
export { createWarden, Warden, type RequestInput, type RevokeOptions, type PingReply } from './core/warden.js';
export { SessionContext, type LoginOptions } from './core/session-context.js';
export type { WardenOptions, LimitOptions, PassiveRule, TimeoutContext, ResolvedOptions } from './core/options.js';
export type { Duration } from './core/duration.js';
export { toMilliseconds } from './core/duration.js';
export { SessionConfigError, SessionStoreError, SessionLimitError, SessionDataError, SessionStateError, SessionRateLimitError, type SessionStoreErrorCode } from './core/errors.js';
export type { BruteForceOptions } from './core/brute-force.js';
export { formatEventLine } from './core/event-log.js';
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
  type StoreWatcher,
  type StoreWatch,
} from './core/types.js';
export { cacheStore, type CacheOptions, type CacheStats, type CachedSessionStore } from './core/cache.js';
export { normalizeIp, type TrustedProxies } from './core/client-ip.js';
export { safeReturnTo } from './core/redirect.js';
export { planLimit, type LimitPlan } from './core/limit.js';
