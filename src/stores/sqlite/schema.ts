// The SQLite schema: one table, indexed by id (primary key) and by (user | ip | nothing) × (created_at | gone_at) for
// the listings, limit checks and expiry sweeps.

/** The sessions table name. */
export const TABLE = 'sessionwarden_sessions';

/** Idempotent DDL run when the store opens. `gone_at` is when the record stopped (or will stop) being live. */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  id TEXT PRIMARY KEY NOT NULL,
  secret_hash TEXT NOT NULL,
  user_id TEXT,
  created_at INTEGER NOT NULL,
  authenticated_at INTEGER,
  last_active_at INTEGER NOT NULL,
  idle_timeout INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  gone_at INTEGER NOT NULL,
  ip TEXT,
  user_agent TEXT,
  data TEXT NOT NULL DEFAULT '{}',
  ended_at INTEGER,
  end_reason TEXT
);
CREATE INDEX IF NOT EXISTS ${TABLE}_created ON ${TABLE} (created_at, id);
CREATE INDEX IF NOT EXISTS ${TABLE}_user_created ON ${TABLE} (user_id, created_at, id);
CREATE INDEX IF NOT EXISTS ${TABLE}_ip_created ON ${TABLE} (ip, created_at, id);
CREATE INDEX IF NOT EXISTS ${TABLE}_gone_id ON ${TABLE} (gone_at, id);
CREATE INDEX IF NOT EXISTS ${TABLE}_user_gone ON ${TABLE} (user_id, gone_at, id);
CREATE INDEX IF NOT EXISTS ${TABLE}_ip_gone ON ${TABLE} (ip, gone_at, id);
DROP INDEX IF EXISTS ${TABLE}_user;
DROP INDEX IF EXISTS ${TABLE}_gone;
DROP INDEX IF EXISTS ${TABLE}_ip;
`;
