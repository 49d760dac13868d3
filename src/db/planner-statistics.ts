/**
 * The planner's statistics of the application's tables, kept fresh by the maintenance worker.
 *
 * Why: every hot statement is a prepared statement or a foreign-key check, and PostgreSQL keeps the
 * plan it made for one of those until a table's statistics change. A plan made while a table was
 * empty (a fresh install, a table analyzed empty) reads the whole table through an index on every
 * call: measured on the bench's 4-step run, the step-finish statement read 6,250 buffers per call at
 * 10,000 runs instead of ~300, and its cost grew with every run. autovacuum's ANALYZE replaces such
 * plans within a minute or so; where autovacuum is off (the CI machine) nothing ever does. So this
 * does what autovacuum's analyze would, on the same rule (50 rows + 10 % changed since the last
 * ANALYZE), every few seconds: cheap when nothing changed (one catalog read), and a no-op for a table
 * autovacuum analyzed already. Where autovacuum is off it also vacuums, on autovacuum's rule for that
 * (50 rows + 20 % dead), so that dead rows do not pile up in the indexes every hot statement reads.
 */
import type { Tx } from './data-source';
import { execute, queryRows } from './sql';

/** How often the maintenance worker looks (src/roles/worker.ts). */
export const STATISTICS_EVERY_MS = 15_000;

/** autovacuum's own defaults (autovacuum_analyze_threshold / _scale_factor, autovacuum_vacuum_…). */
export const ANALYZE_RULE = { rows: 50, share: 0.1 } as const;
export const VACUUM_RULE = { rows: 50, share: 0.2 } as const;

/** A table of the application's schema whose statistics (or dead rows) are past the rule. */
export interface StaleTable {
  name: string;
  /** Rows inserted, updated or deleted since its last ANALYZE. */
  changed: number;
  /** Dead rows not yet vacuumed. */
  dead: number;
  /** The planner's idea of its size (0 when never analyzed). */
  rows: number;
  /** What to run: `vacuum` (with analyze) only when autovacuum is off and dead rows are past the rule. */
  action: 'analyze' | 'vacuum';
}

/**
 * The tables of the current schema whose statistics are stale by autovacuum's rule, the most changed
 * first; with `vacuum`, those whose dead rows are past the vacuum rule too.
 */
export async function findStaleTables(tx: Tx, options: { vacuum: boolean }): Promise<StaleTable[]> {
  const rows = await queryRows<{ name: string; changed: string; dead: string; rows: number; vacuum: boolean }>(
    tx,
    `SELECT s.relname AS name, s.n_mod_since_analyze AS changed, s.n_dead_tup AS dead,
       greatest(c.reltuples, 0)::float8 AS rows,
       $5::boolean AND s.n_dead_tup > $3 + $4 * greatest(c.reltuples, 0) AS vacuum
     FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.schemaname = current_schema()
       AND (s.n_mod_since_analyze > $1 + $2 * greatest(c.reltuples, 0)
         OR ($5::boolean AND s.n_dead_tup > $3 + $4 * greatest(c.reltuples, 0)))
     ORDER BY s.n_mod_since_analyze DESC, s.relname`,
    [ANALYZE_RULE.rows, ANALYZE_RULE.share, VACUUM_RULE.rows, VACUUM_RULE.share, options.vacuum],
  );
  return rows.map((row) => ({
    name: row.name,
    changed: Number(row.changed),
    dead: Number(row.dead),
    rows: row.rows,
    action: row.vacuum ? 'vacuum' : 'analyze',
  }));
}

/** autovacuum is on for this server (the `autovacuum` setting). */
export async function autovacuumIsOn(tx: Tx): Promise<boolean> {
  const rows = await queryRows<{ on: boolean }>(tx, `SELECT current_setting('autovacuum') = 'on' AS on`);
  return rows[0]?.on ?? true;
}

/**
 * Analyzes (and, where autovacuum is off, vacuums) the tables found stale, one at a time, each its own
 * statement outside any transaction (VACUUM cannot run in one; neither takes a lock that blocks reads
 * or writes). Returns what it did.
 */
export async function refreshPlannerStatistics(tx: Tx): Promise<StaleTable[]> {
  const vacuum = !(await autovacuumIsOn(tx));
  const stale = await findStaleTables(tx, { vacuum });
  for (const table of stale) {
    const name = quoteIdentifier(table.name);
    await execute(tx, table.action === 'vacuum' ? `VACUUM (ANALYZE) ${name}` : `ANALYZE ${name}`);
  }
  return stale;
}

/** A name from the catalog as an SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
