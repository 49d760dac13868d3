import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lanes (src/queue/run-lanes.ts): a run's decides the queue of its step jobs and timers, fixed when
 * the run is created so that every later enqueue picks the same queue; an event's decides its queue
 * and the lane of the runs it starts. A constant default makes each new column a change of the
 * catalogue only (no rewrite of these big tables); the checks are added NOT VALID, so they hold for
 * every new and updated row without a scan of the existing ones, all `interactive` by the default.
 * A campaign under way at the upgrade finishes on the interactive lane, where its jobs already are.
 */
export class RunLane1764000000015 implements MigrationInterface {
  name = 'RunLane1764000000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE runs ADD COLUMN lane text NOT NULL DEFAULT 'interactive';
      ALTER TABLE runs ADD CONSTRAINT runs_lane_check CHECK (lane IN ('interactive', 'campaign')) NOT VALID;
      ALTER TABLE outbox_events ADD COLUMN lane text NOT NULL DEFAULT 'interactive';
      ALTER TABLE outbox_events ADD CONSTRAINT outbox_events_lane_check CHECK (lane IN ('interactive', 'campaign')) NOT VALID;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE outbox_events DROP COLUMN lane; ALTER TABLE runs DROP COLUMN lane;');
  }
}
