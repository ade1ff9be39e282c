// The SQL stores' schema, as numbered migrations recorded in a version table, so a later release can upgrade a database.
import { rows, run, type SqlStep } from './driver.js';

/**
 * The migrations in order; a database at version N runs those after N. Each must be safe on a table that a release
 * before versioning created (`IF NOT EXISTS`).
 */
function migrations(table: string): readonly (readonly string[])[] {
  return [
    // 1: the table and its indexes: by id (primary key), and by (user | ip | nothing) × (created_at | gone_at) for the
    // listings, limit checks and expiry sweeps. `gone_at` is when the record stopped (or will stop) being live.
    [
      `CREATE TABLE IF NOT EXISTS ${table} (
        id TEXT PRIMARY KEY NOT NULL,
        secret_hash TEXT NOT NULL,
        user_id TEXT,
        created_at BIGINT NOT NULL,
        authenticated_at BIGINT,
        last_active_at BIGINT NOT NULL,
        idle_timeout BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        gone_at BIGINT NOT NULL,
        ip TEXT,
        user_agent TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        ended_at BIGINT,
        end_reason TEXT
      )`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'created')} ON ${table} (created_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'user_created')} ON ${table} (user_id, created_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'ip_created')} ON ${table} (ip, created_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'gone_id')} ON ${table} (gone_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'user_gone')} ON ${table} (user_id, gone_at, id)`,
      `CREATE INDEX IF NOT EXISTS ${indexName(table, 'ip_gone')} ON ${table} (ip, gone_at, id)`,
    ],
    // 2: rotation leaves a tombstone that forwards to its successor (a logout with the old cookie ends the new session).
    [`ALTER TABLE ${table} ADD COLUMN replaced_by TEXT`],
  ];
}

/** Index names follow the table (a schema prefix stays on the table only). */
function indexName(table: string, suffix: string): string {
  return `${table.slice(table.indexOf('.') + 1)}_${suffix}`;
}

/**
 * Every migration's statements in order, for tools and tests that build a table by hand.
 * @example
 * schemaStatements('sessionwarden_sessions')[0] // the CREATE TABLE
 */
export function schemaStatements(table: string): string[] {
  return migrations(table).flat();
}

/** The schema version this release writes. */
export const SCHEMA_VERSION = migrations('t').length;

/**
 * Check, without changing anything, that the schema is at SCHEMA_VERSION (for a store that must not migrate itself).
 * @example
 * await driver.transaction(() => checkSchemaStep('sessionwarden_sessions'), null);
 */
export function* checkSchemaStep(table: string): SqlStep<void> {
  const [found] = yield* rows(`SELECT MAX(version) FROM ${table}_schema`, {});
  const version = found === undefined || found[0] === null ? 0 : Number(found[0]);
  if (version > SCHEMA_VERSION) throw new Error(`the table ${table} has schema version ${version}, newer than this release's ${SCHEMA_VERSION}: upgrade sessionwarden`);
  if (version < SCHEMA_VERSION) throw new Error(`the table ${table} has schema version ${version}, this release needs ${SCHEMA_VERSION}: run \`npx sessionwarden migrate\``);
}

/**
 * Bring the schema to SCHEMA_VERSION inside the caller's transaction; gives the version found before.
 * @example
 * await driver.transaction(() => migrateStep('sessionwarden_sessions'), 'sessionwarden:schema');
 */
export function* migrateStep(table: string): SqlStep<number> {
  const versions = `${table}_schema`;
  yield* run(`CREATE TABLE IF NOT EXISTS ${versions} (version INTEGER NOT NULL)`, {});
  const [found] = yield* rows(`SELECT MAX(version) FROM ${versions}`, {});
  const before = found === undefined || found[0] === null ? 0 : Number(found[0]);
  if (before > SCHEMA_VERSION) {
    throw new Error(`the table ${table} has schema version ${before}, newer than this release's ${SCHEMA_VERSION}: upgrade sessionwarden`);
  }
  const steps = migrations(table);
  for (let version = before + 1; version <= SCHEMA_VERSION; version += 1) {
    for (const statement of steps[version - 1]!) yield* run(statement, {});
  }
  if (before < SCHEMA_VERSION) {
    yield* run(`DELETE FROM ${versions}`, {});
    yield* run(`INSERT INTO ${versions} (version) VALUES (@version)`, { version: SCHEMA_VERSION });
  }
  return before;
}
