import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the workflow builder needs: test runs told apart from real ones, the funnel's questions
 * answered from indexes, and the first time a booking page was opened (analytics only).
 */
export class Builder1764000000007 implements MigrationInterface {
  name = 'Builder1764000000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      -- A run started by "Test" in the builder: it ignores re-entry and draft status, and lists say so.
      ALTER TABLE runs ADD COLUMN is_test boolean NOT NULL DEFAULT false;

      -- The funnel: a workflow's runs started in a period, without reading its other runs.
      CREATE INDEX runs_workflow_started ON runs (workflow_id, started_at);

      -- Set once by the first GET of the booking page; never read by booking, expiry or redemption.
      ALTER TABLE one_time_links ADD COLUMN first_viewed_at timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE one_time_links DROP COLUMN first_viewed_at;
      DROP INDEX runs_workflow_started;
      ALTER TABLE runs DROP COLUMN is_test;
    `);
  }
}
