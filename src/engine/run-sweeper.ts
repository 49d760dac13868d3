import type { Container } from '../container';
import type { VersionLoader } from './action-contract';
import { failRunsOfFailedStepJobs } from './failed-step-jobs';
import { selectOverdueWaits, selectStaleRuns } from './run-store';
import { scheduleSteps, scheduleTimeout } from './step-scheduler';

/** How often the sweeper looks. */
export const RUN_SWEEP_EVERY_MS = 60_000;
/**
 * A running run untouched this long may have lost its job. Far longer than any one step can take
 * (webhook timeouts are at most 60 s, SMTP's socket timeout 10 min), so a step still executing is
 * never handed to a second job.
 */
export const STALE_RUNNING_MS = 30 * 60_000;
/** A waiting run whose timer is this late may have lost its timer job. */
export const OVERDUE_WAIT_MS = 60_000;
const BATCH = 500;

/**
 * The safety net for work that only Redis knew about (a Redis that lost data, a flushed queue): runs
 * that have stood still re-enqueue the step they stand at, and waits whose time has passed re-arm
 * their timer. Job ids make both no-ops whenever the job still exists, so a healthy run is untouched:
 * each job goes to the queue of the run's lane, where the original is (a campaign's run waiting its
 * turn in a long campaign backlog is stale by this measure, and must not get a second job elsewhere).
 * First, runs whose step job BullMQ gave up on are failed (see failed-step-jobs.ts): re-adding
 * that job would be a no-op. Returns how many runs it failed or nudged.
 */
export async function sweepRuns(c: Container, deps: { loadVersion: VersionLoader }, now = new Date()): Promise<number> {
  const failed = await failRunsOfFailedStepJobs(c);
  const stale = await selectStaleRuns(c.db.manager, {
    before: new Date(now.getTime() - STALE_RUNNING_MS),
    limit: BATCH,
  });
  for (const run of stale) {
    try {
      const definition = await deps.loadVersion(c.db.manager, run.workflow_id, run.workflow_version);
      await scheduleSteps(c.queues, definition, [{ runId: run.id, stepId: run.current_step_id, lane: run.lane }]);
    } catch (error) {
      // One run whose version cannot be loaded must not stop the sweep of the others.
      c.logger.warn({ runId: run.id, err: error }, 'cannot re-enqueue a stale run');
    }
  }
  const overdue = await selectOverdueWaits(c.db.manager, {
    before: new Date(now.getTime() - OVERDUE_WAIT_MS),
    limit: BATCH,
  });
  for (const run of overdue)
    await scheduleTimeout(
      c.queues,
      { runId: run.id, stepId: run.current_step_id, lane: run.lane },
      new Date(run.wait_until),
    );
  if (stale.length + overdue.length > 0) c.logger.info({ stale: stale.length, overdue: overdue.length }, 'runs swept');
  return failed + stale.length + overdue.length;
}
