// One event, one log line: structured JSON with a UTC timestamp, so no value (a user id, a reason) can start a line.
import type { SessionEvent, SessionEventType } from './types.js';

/** Events that record something refused or failed; the rest record a change that happened. */
const FAILURES = new Set<SessionEventType>(['refused', 'invalid-token', 'cookie-anomaly', 'csrf-rejected', 'store-error', 'bruteforce-suspected']);

/**
 * The event as one JSON line (no trailing newline): `at` (ISO 8601 UTC), `event`, `outcome` (`success` or `failure`),
 * `session` (the public id), `user`, `ip` (as derived through `trustedProxies`), `reason` and `actor` when present.
 * JSON escapes CR, LF and U+2028/9, so a crafted value stays inside its string.
 * @example
 * createWarden({ onEvent: (event) => process.stdout.write(`${formatEventLine(event)}\n`) });
 */
export function formatEventLine(event: SessionEvent): string {
  const line: Record<string, unknown> = {
    at: new Date(event.at).toISOString(),
    event: event.type,
    outcome: FAILURES.has(event.type) ? 'failure' : 'success',
    session: event.session?.id ?? null,
    user: event.userId,
    ip: event.ip,
  };
  if (event.reason !== undefined) line.reason = event.reason;
  if (event.actor !== undefined) line.actor = event.actor;
  if (event.retryAfter !== undefined) line.retryAfter = event.retryAfter;
  return JSON.stringify(line).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
