// Opaque cursors for admin pagination: (createdAt, id) of the last row shown, newest first.

/**
 * Encode the position after `record` as an opaque cursor.
 * @example
 * encodeCursor({ createdAt: 1700000000000, id: 'abc…' })
 */
export function encodeCursor(record: { createdAt: number; id: string }): string {
  return Buffer.from(`${record.createdAt}:${record.id}`).toString('base64url');
}

/**
 * Decode a cursor from a query string; anything malformed means "from the start".
 * @example
 * decodeCursor(req.query.cursor)
 */
export function decodeCursor(cursor: string | null | undefined): { createdAt: number; id: string } | null {
  if (typeof cursor !== 'string' || cursor.length === 0 || cursor.length > 64) return null;
  const text = Buffer.from(cursor, 'base64url').toString();
  const match = /^(\d{1,16}):([A-Za-z0-9_-]{22})$/.exec(text);
  if (!match) return null;
  return { createdAt: Number(match[1]), id: match[2]! };
}
