// Session data as plain JSON: safe parsing (no prototype keys), size caps and the login carry-over rule.
import { SessionDataError } from './errors.js';
import type { SessionData } from './types.js';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function dropPrototypeKeys(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * Parse stored session data; prototype-polluting keys are dropped and anything but an object gives `{}`.
 * @example
 * parseSessionData('{"__proto__":{"isAdmin":true}}') // {}
 */
export function parseSessionData(text: string | null | undefined): SessionData {
  if (typeof text !== 'string' || text.length === 0 || text === '{}') return {};
  // The reviver is several times slower than a plain parse; only text that could hold such a key needs it.
  const risky = text.includes('__proto__') || text.includes('constructor') || text.includes('prototype') || text.includes('\\u');
  const value: unknown = risky ? JSON.parse(text, dropPrototypeKeys) : JSON.parse(text);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return {};
  return value as SessionData;
}

/**
 * Serialise session data, refusing it when it is larger than `maxBytes` (nothing is written then).
 * @example
 * serializeSessionData({ cart: [1, 2] }, 8192)
 */
export function serializeSessionData(data: SessionData, maxBytes: number): string {
  const text = JSON.stringify(data) ?? '{}';
  // Characters are at most 3 UTF-8 bytes each in JSON output; only measure exactly when it could matter.
  if (text.length * 3 > maxBytes && Buffer.byteLength(text) > maxBytes) {
    throw new SessionDataError(`session data is ${Buffer.byteLength(text)} bytes, over dataMaxBytes (${maxBytes}); store large values elsewhere`);
  }
  return text;
}

/**
 * A deep copy through JSON, the same shape the store will give back (drops functions and undefined).
 * @example
 * const copy = cloneSessionData(ctx.data);
 */
export function cloneSessionData(data: SessionData): SessionData {
  return parseSessionData(JSON.stringify(data));
}

/**
 * The data a new login keeps: all of the same user's, the allowed keys of an anonymous session, nothing of another user's.
 * @example
 * carryOverData(anonymousData, null, 'alice', new Set(['locale']))
 */
export function carryOverData(data: SessionData, fromUserId: string | null, toUserId: string, keep: 'all' | ReadonlySet<string>): SessionData {
  if (fromUserId !== null && fromUserId !== toUserId) return {};
  if (fromUserId === toUserId || keep === 'all') return cloneSessionData(data);
  const kept: SessionData = {};
  for (const key of Object.keys(data)) if (keep.has(key)) kept[key] = data[key];
  return cloneSessionData(kept);
}

/**
 * The data a session keeps when `userOf` finds another user in it: every key written since the data was loaded (or
 * last saved), and of the older keys those `carryOverData` lets cross (an anonymous session's, per keepOnLogin).
 * @example
 * keptOnUserChange(data, '{"cart":[1]}', null, 'all')
 */
export function keptOnUserChange(data: SessionData, snapshot: string, fromUserId: string | null, keep: 'all' | ReadonlySet<string>): SessionData {
  const before = parseSessionData(snapshot);
  const kept: SessionData = {};
  for (const key of Object.keys(data)) {
    const written = !Object.hasOwn(before, key) || JSON.stringify(data[key]) !== JSON.stringify(before[key]);
    if (written || (fromUserId === null && (keep === 'all' || keep.has(key)))) kept[key] = data[key];
  }
  return cloneSessionData(kept);
}
