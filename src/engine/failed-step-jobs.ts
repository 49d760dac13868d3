import type { Container } from '../container';
import { jobCatalog } from '../queue/job-catalog';
import { queuesOf } from '../queue/run-lanes';
import { failStepAndRun } from './run-step-store';
import { selectRunsStrandedByJobs } from './run-store';

/** How many of the newest jobs in the failed set of each queue of step jobs (steps, campaign-runs) one sweep looks at. */
export const FAILED_JOBS_PER_SWEEP = 500;

interface GivenUp {
  runId: string;
  stepId: string;
  failedAt: string;
  reason: string;
}

/**
 * Runs left `running` by a step job BullMQ gave up on (its last attempt threw, or it stalled too
 * often) fail with the job's last error, so that they can be retried: BullMQ keeps the failed job
 * under its id, which makes the sweeper's re-enqueue a no-op, and nothing else would ever move them.
 * A run counts only while it still stands at the job's step and nothing touched it since the job
 * failed (a retried run was touched by its retry: an old failed job is no longer its job).
 * Returns how many runs it failed.
 */
export async function failRunsOfFailedStepJobs(c: Container): Promise<number> {
  const jobs = (
    await Promise.all(
      queuesOf('step.execute').map((queue) => c.queues.queue(queue).getJobs(['failed'], 0, FAILED_JOBS_PER_SWEEP - 1)),
    )
  ).flat();
  const givenUp: GivenUp[] = [];
  for (const job of jobs) {
    const payload = job.name === 'step.execute' ? jobCatalog['step.execute'].payload.safeParse(job.data) : null;
    if (!payload?.success || !job.finishedOn) continue;
    const reason = job.failedReason || 'the step job failed';
    givenUp.push({ ...payload.data, failedAt: new Date(job.finishedOn).toISOString(), reason });
  }
  if (givenUp.length === 0) return 0;
  const stranded = await selectRunsStrandedByJobs(c.db.manager, givenUp);
  let failed = 0;
  for (const index of stranded) {
    const job = givenUp[index - 1]!;
    if (
      await failStepAndRun(c.db.manager, {
        runId: job.runId,
        stepId: job.stepId,
        claimToken: null,
        type: null,
        error: job.reason,
      })
    )
      failed++;
  }
  if (failed > 0) c.logger.warn({ failed }, 'runs of failed step jobs marked failed');
  return failed;
}
