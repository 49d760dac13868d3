import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The job whose batch of events created a run (`runs.enrol_job`): a batch that finds a run another
 * job created leaves it to that job (src/triggers/event-batch.ts). Nullable, no default: a change of
 * the catalogue only, no rewrite of the table; runs created before it, or outside a batch job, have none.
 */
export class RunEnrolJob1764000000017 implements MigrationInterface {
  name = 'RunEnrolJob1764000000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE runs ADD COLUMN enrol_job text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE runs DROP COLUMN enrol_job');
  }
}
