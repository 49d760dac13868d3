import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who holds a running step: every claim (the first, and each re-claim of a step still `running`)
 * writes a fresh token, and recording the step's outcome requires it. A worker whose job was handed
 * to another (a stalled lock) can then no longer record or advance the run.
 */
export class StepClaimOwner1764000000004 implements MigrationInterface {
  name = 'StepClaimOwner1764000000004';

  async up(q: QueryRunner): Promise<void> {
    // Rows claimed before this migration have no token: their next claim gives them one.
    await q.query('ALTER TABLE run_steps ADD COLUMN claim_token uuid');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE run_steps DROP COLUMN claim_token');
  }
}
