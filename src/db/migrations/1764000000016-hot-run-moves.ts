import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run's row is rewritten at every step (current_step_id, updated_at). While an index covered either
 * column, each rewrite was a new row version in every one of the table's twelve indexes; now none
 * does, so a step's move is a heap-only (HOT) update that touches no index, and fillfactor 80 leaves
 * each page the room for it (likewise for run_steps, whose finish writes the step's output into its row).
 * - runs_running_since (updated_at, for the run sweeper's stale runs, with current_step_id in its
 *   predicate) gives way to runs_running_started (started_at): a run untouched since a time was
 *   started before it, so the sweeper reads the running runs started before its cutoff.
 * - runs_contact (contact_id) goes: runs_contact_started and runs_contact_finished both lead with it.
 * The new fillfactor applies to pages written from now on; nothing is rewritten. As in 1764000000014,
 * the index is built CONCURRENTLY (an installation keeps running while it builds) and the drops too;
 * a build that failed half-way leaves an invalid index, which the next start drops and builds again.
 */
export class HotRunMoves1764000000016 implements MigrationInterface {
  name = 'HotRunMoves1764000000016';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    const rows: { valid: boolean }[] = await q.query(
      `SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE c.relname = 'runs_running_started' AND c.relnamespace = current_schema()::regnamespace`,
    );
    if (rows[0]?.valid !== true) {
      if (rows[0]) await q.query('DROP INDEX CONCURRENTLY IF EXISTS runs_running_started');
      await q.query(`CREATE INDEX CONCURRENTLY runs_running_started ON runs (started_at) WHERE status = 'running'`);
    }
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS runs_running_since');
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS runs_contact');
    await q.query('ALTER TABLE runs SET (fillfactor = 80)');
    await q.query('ALTER TABLE run_steps SET (fillfactor = 80)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE run_steps RESET (fillfactor)');
    await q.query('ALTER TABLE runs RESET (fillfactor)');
    await q.query('CREATE INDEX CONCURRENTLY IF NOT EXISTS runs_contact ON runs (contact_id)');
    await q.query(
      `CREATE INDEX CONCURRENTLY IF NOT EXISTS runs_running_since ON runs (updated_at) WHERE status = 'running' AND current_step_id IS NOT NULL`,
    );
    await q.query('DROP INDEX CONCURRENTLY IF EXISTS runs_running_started');
  }
}
