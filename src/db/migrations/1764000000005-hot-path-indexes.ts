import type { MigrationInterface, QueryRunner } from 'typeorm';
import { definitionHash } from '../../lib/definition-hash';

/** Definitions hashed per round trip while backfilling: they can be a megabyte each. */
const HASH_BATCH = 20;

/**
 * Indexes for the statements that run on every event and step, so that none reads a growing table
 * whole; and what a list of workflow versions shows, so that it never loads the definitions.
 */
export class HotPathIndexes1764000000005 implements MigrationInterface {
  name = 'HotPathIndexes1764000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- The event that resumed a waiting step: its redelivery finds the step by this index, not by
      -- the output JSON. Only runs still running are looked up, so only theirs need the backfill.
      ALTER TABLE run_steps ADD COLUMN resumed_by_event bigint;
      UPDATE run_steps s SET resumed_by_event = (s.output->>'resumedByEvent')::bigint
        FROM runs r
       WHERE r.id = s.run_id AND r.status = 'running' AND s.output ? 'resumedByEvent';
      CREATE INDEX run_steps_resumed_by_event ON run_steps (resumed_by_event) WHERE resumed_by_event IS NOT NULL;

      -- The sweeper's two questions; both index only live runs, a small part of the table.
      CREATE INDEX runs_running_since ON runs (updated_at) WHERE status = 'running' AND current_step_id IS NOT NULL;
      CREATE INDEX runs_waiting_until ON runs (wait_until) WHERE status = 'waiting' AND wait_until IS NOT NULL;

      -- A version's summary: where it came from (null for versions older than this column, except
      -- the current one) and the hash of its canonical definition.
      ALTER TABLE workflow_versions
        ADD COLUMN source text CHECK (source IN ('file', 'api')),
        ADD COLUMN definition_hash text;
      UPDATE workflow_versions v SET source = w.source FROM workflows w WHERE w.id = v.workflow_id AND w.version = v.version;
    `);
    for (;;) {
      const rows: { workflow_id: string; version: number; definition: unknown }[] = await q.query(
        'SELECT workflow_id, version, definition FROM workflow_versions WHERE definition_hash IS NULL LIMIT $1',
        [HASH_BATCH],
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        await q.query('UPDATE workflow_versions SET definition_hash = $3 WHERE workflow_id = $1 AND version = $2', [
          row.workflow_id,
          row.version,
          definitionHash(row.definition),
        ]);
      }
    }
    await q.query('ALTER TABLE workflow_versions ALTER COLUMN definition_hash SET NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE workflow_versions DROP COLUMN definition_hash, DROP COLUMN source;
      DROP INDEX runs_waiting_until, runs_running_since;
      ALTER TABLE run_steps DROP COLUMN resumed_by_event;
    `);
  }
}
