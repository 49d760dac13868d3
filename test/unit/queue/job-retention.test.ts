import { COMPLETED_JOB_RETENTION_SECONDS, DEFAULT_JOB_OPTIONS } from '../../../src/queue/job-catalog';

/**
 * Effectively-once rests on PostgreSQL (test/integration/engine/job-dedup.test.ts), not on BullMQ
 * keeping completed jobs: so they are kept by time only, and Redis holds the jobs of the last minute
 * whatever the rate, never a count that fills up in two minutes at one rate and a day at another.
 */
describe("BullMQ's retention of finished jobs", () => {
  it('keeps completed jobs a minute, by age alone', () => {
    expect(COMPLETED_JOB_RETENTION_SECONDS).toBe(60);
    expect(DEFAULT_JOB_OPTIONS.removeOnComplete).toEqual({ age: 60 });
  });

  it('keeps failed jobs a week, by age alone, for the run sweeper to read', () => {
    expect(DEFAULT_JOB_OPTIONS.removeOnFail).toEqual({ age: 7 * 24 * 3600 });
  });
});
