// The PostgreSQL store behind PgBouncer in transaction pooling mode (consecutive transactions of one client land on
// different server connections): the contract and its two-handle races still pass, and no lock outlives a transaction.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresStore } from '../../src/stores/postgres/index.js';
import { makeRecord, runStoreContract, T0 } from '../../src/testing/index.js';
import { freshPostgresDatabase, requirePgBouncer, startPgBouncer, type FreshDatabase, type PrivatePgBouncer } from '../helpers/services.js';

const SKIP = await requirePgBouncer('PostgreSQL store behind PgBouncer');
let db: FreshDatabase;
let bouncer: PrivatePgBouncer;
let tables = 0;
beforeAll(async () => {
  if (SKIP) return;
  db = await freshPostgresDatabase('pg_bouncer');
  // Three server connections for every client pool: transactions of different clients share them.
  bouncer = await startPgBouncer(3);
}, 60_000);
afterAll(async () => {
  bouncer?.destroy();
  await db?.drop();
});

const throughBouncer = (table: string) => postgresStore({ connectionString: bouncer.urlFor(db.name), table });

if (SKIP) describe.skip('SEC-51 store contract: postgres behind PgBouncer (no PgBouncer)', () => it('skipped'));
else {
  runStoreContract('postgres behind PgBouncer (transaction mode)', () => throughBouncer(`t${tables++}`), {
    makePair: () => {
      const table = `pair${tables++}`;
      return [throughBouncer(table), throughBouncer(table)];
    },
  });
}

describe.skipIf(SKIP)('behind PgBouncer in transaction mode', () => {
  it('SEC-49 many logins of one user through two pools: exactly max get in, and no advisory lock is left held', async () => {
    const table = `locks${tables++}`;
    const [a, b] = [throughBouncer(table), throughBouncer(table)];
    try {
      await a.migrate();
      const limit = { max: 2, lockMs: 0, onExceed: 'reject' as const };
      for (let round = 0; round < 20; round += 1) {
        const userId = `bounced-${round}`;
        const results = await Promise.all(Array.from({ length: 10 }, (_, i) => [a, b][i % 2]!.create({ record: makeRecord({ userId }), limit, now: T0 })));
        expect(results.filter((result) => result.ok), `round ${round}`).toHaveLength(2);
      }
      const direct = new pg.Client({ connectionString: db.url });
      await direct.connect();
      try {
        const held = await direct.query("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        expect(held.rows).toEqual([{ n: 0 }]);
      } finally {
        await direct.end();
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
