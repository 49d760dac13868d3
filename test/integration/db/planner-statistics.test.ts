import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../../src/db/data-source';
import { findStaleTables, refreshPlannerStatistics } from '../../../src/db/planner-statistics';
import { createTestDatabase } from '../../helpers/test-env';

/**
 * The maintenance worker's statistics refresh (src/db/planner-statistics.ts): a table that changed
 * much since its last ANALYZE is analyzed again, which replaces the plans PostgreSQL cached for it
 * while it was empty; where autovacuum is off, one with many dead rows is vacuumed too.
 */
describe('planner statistics refresh', () => {
  let drop: () => Promise<void>;
  let db: DataSource;
  let session: Client;

  beforeAll(async () => {
    let url: string;
    ({ url, drop } = await createTestDatabase());
    db = createDataSource({ url, poolSize: 3 });
    await db.initialize();
    session = new Client({ connectionString: url });
    await session.connect();
  });
  afterAll(async () => {
    await session.end();
    await db.destroy();
    await drop();
  });

  /**
   * A statement on the session's connection, its changes counted in the server's statistics before it
   * answers (a backend flushes them when it goes idle, at most once a second unless told otherwise).
   */
  async function write(sql: string): Promise<void> {
    await session.query(sql);
    await session.query('SELECT pg_stat_force_next_flush()');
  }
  const staleEntry = async (name: string, options: { vacuum: boolean }) =>
    (await findStaleTables(db.manager, options)).find((table) => table.name === name);

  it('analyzes a table filled since it was analyzed empty, and the plan cached for the empty table is replaced', async () => {
    await write('CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL)');
    await write('ANALYZE notes');
    // A prepared statement's generic plan, made while the table is empty: a scan of the whole table.
    await session.query('SET plan_cache_mode = force_generic_plan');
    await session.query('PREPARE note(int) AS SELECT body FROM notes WHERE id = $1');
    const plan = async () =>
      (await session.query('EXPLAIN (COSTS OFF) EXECUTE note(7)')).rows.map((row) => row['QUERY PLAN']).join('\n');
    expect(await plan()).toMatch(/Seq Scan on notes/);

    await write(`INSERT INTO notes SELECT g, 'note ' || g FROM generate_series(1, 20000) g`);
    const entry = await staleEntry('notes', { vacuum: false });
    expect(entry).toMatchObject({ name: 'notes', action: 'analyze', rows: 0 });
    expect(entry!.changed).toBeGreaterThanOrEqual(20000);
    // Nothing else replaces the cached plan: 20,000 rows later it still reads them all.
    expect(await plan()).toMatch(/Seq Scan on notes/);

    const done = await refreshPlannerStatistics(db.manager);
    expect(done.map((table) => table.name)).toContain('notes');
    expect(await plan()).toMatch(/Index Scan using notes_pkey on notes/);
    const [analyzed] = await db.query(`SELECT reltuples FROM pg_class WHERE relname = 'notes'`);
    expect(Number(analyzed.reltuples)).toBeGreaterThan(15000);
    // Analyzed: no longer stale.
    expect((await findStaleTables(db.manager, { vacuum: false })).map((table) => table.name)).not.toContain('notes');
  });

  it('leaves a table alone while its changes are under autovacuum’s rule (50 rows + 10 %)', async () => {
    await write('CREATE TABLE quiet (id int PRIMARY KEY)');
    await write('INSERT INTO quiet SELECT generate_series(1, 1000)');
    await write('ANALYZE quiet');
    await write('UPDATE quiet SET id = id + 100000 WHERE id <= 100'); // 100 changes < 50 + 10 % of 1,000
    await write('CREATE TABLE busy (id int PRIMARY KEY)');
    await write('INSERT INTO busy SELECT generate_series(1, 1000)');
    await write('ANALYZE busy');
    await write('UPDATE busy SET id = id + 100000 WHERE id <= 200'); // 200 changes > 150
    const busy = await staleEntry('busy', { vacuum: false });
    expect(busy).toMatchObject({ name: 'busy', action: 'analyze' });
    const names = (await findStaleTables(db.manager, { vacuum: false })).map((table) => table.name);
    expect(names).not.toContain('quiet');
  });

  it('vacuums a table with many dead rows only where autovacuum is off', async () => {
    await write('CREATE TABLE churn (id int PRIMARY KEY, n int NOT NULL)');
    await write('INSERT INTO churn SELECT g, 0 FROM generate_series(1, 1000) g');
    await write('VACUUM (ANALYZE) churn');
    await write('DELETE FROM churn WHERE id <= 600'); // 600 dead rows > 50 + 20 % of 1,000
    const withAutovacuum = await staleEntry('churn', { vacuum: false });
    expect(withAutovacuum).toMatchObject({ action: 'analyze' });
    expect(withAutovacuum!.dead).toBeGreaterThanOrEqual(600);
    const withoutAutovacuum = await staleEntry('churn', { vacuum: true });
    expect(withoutAutovacuum).toMatchObject({ action: 'vacuum' });
  });
});
