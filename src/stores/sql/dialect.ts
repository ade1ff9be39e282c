// What differs between the SQL dialects the stores speak: everything else in sql-store.ts is written once.

/**
 * The dialect's few differences.
 * @example
 * dialect.least('a', 'b') // SQLite: 'MIN(a, b)', PostgreSQL: 'LEAST(a, b)'
 */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** The scalar minimum of two expressions. */
  least(a: string, b: string): string;
  /** Whether a driver error is a primary-key or unique violation. */
  isUniqueViolation(error: unknown): boolean;
}

/** SQLite (better-sqlite3). */
export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  least: (a, b) => `MIN(${a}, ${b})`,
  isUniqueViolation: (error) => /^SQLITE_CONSTRAINT_(PRIMARYKEY|UNIQUE)$/.test(String((error as { code?: unknown })?.code)),
};

/** PostgreSQL (pg). */
export const postgresDialect: SqlDialect = {
  name: 'postgres',
  least: (a, b) => `LEAST(${a}, ${b})`,
  isUniqueViolation: (error) => (error as { code?: unknown })?.code === '23505',
};
