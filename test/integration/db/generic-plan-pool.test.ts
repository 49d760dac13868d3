import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { POOL_IDLE_MS, createDataSource } from '../../../src/db/data-source';
import { GENERIC_PLAN_POOL_SIZE, genericPlanPoolOf } from '../../../src/db/generic-plan-pool';
import { poolOf } from '../../../src/db/pg-client';
import { queryRows } from '../../../src/db/sql';
import { createTestDatabase } from '../../helpers/test-env';

const APP_NAME = 'generic-plan-pool-test';
const MODE = `SELECT current_setting('plan_cache_mode') AS mode, pg_backend_pid() AS pid`;

/**
 * Prepared statements outside a transaction run on connections that always use the generic plan
 * (src/db/generic-plan-pool.ts); every other statement keeps the server's default; the connections
 * go when the data source is destroyed.
 */
describe('the generic-plan pool of prepared statements', () => {
  let drop: () => Promise<void>;
  let url: string;
  let db: DataSource;
  let outside: Client;

  beforeAll(async () => {
    ({ url, drop } = await createTestDatabase());
    const named = new URL(url);
    named.searchParams.set('application_name', APP_NAME);
    db = createDataSource({ url: named.toString(), poolSize: 10 });
    await db.initialize();
    await db.query('CREATE TABLE items (id int PRIMARY KEY, tag text NOT NULL)');
    await db.query(`INSERT INTO items SELECT n, 't' || (n % 10) FROM generate_series(1, 1000) n`);
    await db.query('ANALYZE items');
    outside = new Client({ connectionString: url });
    await outside.connect();
  });
  afterAll(async () => {
    await outside.end();
    if (db.isInitialized) await db.destroy();
    await drop();
  });

  const connectionsOfTheApp = async () =>
    Number(
      (await outside.query('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [APP_NAME]))
        .rows[0].n,
    );

  it('runs a prepared statement on a connection that forces generic plans, and nothing else there', async () => {
    const [prepared] = await queryRows<{ mode: string; pid: number }>(db.manager, MODE, [], {
      prepare: 'generic-plan-pool-mode',
    });
    const [unnamed] = await queryRows<{ mode: string; pid: number }>(db.manager, MODE);
    const inTransaction = await db.transaction((tx) =>
      queryRows<{ mode: string; pid: number }>(tx, MODE, [], { prepare: 'generic-plan-pool-mode' }),
    );

    expect(prepared!.mode).toBe('force_generic_plan');
    expect(unnamed!.mode).toBe('auto');
    expect(inTransaction[0]!.mode).toBe('auto');
    expect(prepared!.pid).not.toBe(unnamed!.pid);
  });

  it('plans a prepared statement once: its generic plan, whatever the arrays hold', async () => {
    const sql = 'SELECT i.id, i.tag FROM unnest($1::int[]) AS k(id) JOIN items i ON i.id = k.id ORDER BY i.id';
    for (const ids of [[1], [2, 3], [4, 5, 6]]) {
      const rows = await queryRows<{ id: number; tag: string }>(db.manager, sql, [ids], {
        prepare: 'generic-plan-pool-items',
      });
      expect(rows.map((row) => row.id)).toEqual(ids);
    }
    // Each of the pool's connections that ran it holds one generic plan and no custom one.
    const plans = await Promise.all(
      Array.from({ length: GENERIC_PLAN_POOL_SIZE }, () =>
        queryRows<{ generic_plans: string; custom_plans: string }>(
          db.manager,
          `SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'generic-plan-pool-items'`,
          [],
          { prepare: 'generic-plan-pool-counts' },
        ),
      ),
    );
    const counted = plans.flat();
    expect(counted.length).toBeGreaterThan(0);
    for (const row of counted) expect(Number(row.custom_plans)).toBe(0);
    expect(counted.reduce((sum, row) => sum + Number(row.generic_plans), 0)).toBe(3);
  });

  it("keeps idle connections (with their prepared statements) for POOL_IDLE_MS on both pools, not pg's 10 s", () => {
    const idleOf = (pool: object) => (pool as { options: { idleTimeoutMillis?: number } }).options.idleTimeoutMillis;
    const pool = poolOf(db.manager)!;
    expect(POOL_IDLE_MS).toBeGreaterThanOrEqual(60_000);
    expect(idleOf(pool)).toBe(POOL_IDLE_MS);
    expect(idleOf(genericPlanPoolOf(pool))).toBe(POOL_IDLE_MS);
  });

  it('keeps at most GENERIC_PLAN_POOL_SIZE connections, and leaves none once the data source is destroyed', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        queryRows(db.manager, 'SELECT pg_sleep(0.05), $1::int AS n', [1], { prepare: 'generic-plan-pool-sleep' }),
      ),
    );
    const generic = genericPlanPoolOf(poolOf(db.manager)!);
    expect(generic.totalCount).toBeGreaterThan(0);
    expect(generic.totalCount).toBeLessThanOrEqual(GENERIC_PLAN_POOL_SIZE);
    expect(await connectionsOfTheApp()).toBeGreaterThan(0);

    await db.destroy();

    // A backend leaves pg_stat_activity a moment after its client said goodbye.
    const deadline = Date.now() + 5000;
    while ((await connectionsOfTheApp()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await connectionsOfTheApp()).toBe(0);
    expect(generic.ended).toBe(true);
  });
});
