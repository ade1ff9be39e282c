// Admin pagination: the sort key of a listing and opaque cursors holding (key, id) of the last row shown.
import { deadlineOf, type ListSessionsQuery, type SessionRecord } from '../core/types.js';

/**
 * The key a listing sorts by, newest first: creation time for "all", and for the status filters the time the
 * session stops (or stopped) being live — most recently active first, most recently ended first.
 * @example
 * listKey(record, 'active')
 */
export function listKey(record: SessionRecord, status: ListSessionsQuery['status']): number {
  if (status === 'active' || status === 'ended') return record.endedAt ?? deadlineOf(record);
  return record.createdAt;
}

/**
 * Encode the position after a row as an opaque cursor.
 * @example
 * encodeCursor(listKey(last, query.status), last.id)
 */
export function encodeCursor(key: number, id: string): string {
  return Buffer.from(`${key}:${id}`).toString('base64url');
}

/**
 * Decode a cursor from a query string; anything malformed means "from the start".
 * @example
 * decodeCursor(req.query.cursor)
 */
export function decodeCursor(cursor: string | null | undefined): { key: number; id: string } | null {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 64) return null;
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^(\d{1,16}):([A-Za-z0-9_-]{22})$/.exec(text);
  if (!match) return null;
  return { key: Number(match[1]), id: match[2]! };
}
