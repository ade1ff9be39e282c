// Parsing a route's body from raw bytes: urlencoded forms and JSON, bounded, with prototype keys dropped.
import { parseSessionData } from '../core/data.js';
import { MAX_BODY_BYTES } from './types.js';

/**
 * Parse a request body by its content type; anything else (or nothing) gives null. Throws RangeError when too large.
 * @example
 * parseBody('idleFor=3', 'application/x-www-form-urlencoded') // { idleFor: '3' }
 */
export function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> | null {
  if (raw.length === 0) return null;
  if (Buffer.byteLength(raw) > MAX_BODY_BYTES) throw new RangeError('request body too large');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    try {
      return parseSessionData(raw);
    } catch {
      // Malformed JSON is treated like an empty body: the routes then answer with their own validation errors.
      return {};
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [key, value] of new URLSearchParams(raw)) if (key !== '__proto__') out[key] = value;
    return out;
  }
  return null;
}
