import type { Db, Tx } from '../db/data-source';
import { ConflictError, NotFoundError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Queues } from '../queue/queues';
import { DEFAULT_RETRY } from '../definition/definition-schema';
import { jobIds } from '../queue/job-ids';
import type { RunLane } from '../queue/run-lanes';
import type { VersionLoader } from './action-contract';
import { failReopenedStep, reopenFailedStep } from './run-step-store';
import { failRestartedRun, lockRun, restartRun } from './run-store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RetryRunOptions {
  runId: string;
  /** Only a run of this account (the API); undefined for any account (the operator's CLI). */
  accountId?: string;
  /** Loads the run's workflow version, for the step's retry policy (src/workflows/workflow-repository.ts). */
  loadVersion: VersionLoader;
}

export interface RetriedRun {
  runId: string;
  stepId: string;
  /** The new `step.execute` job. */
  jobId: string;
}

interface RetryPlan extends RetriedRun {
  attempts: number;
  backoff: number;
  lane: RunLane;
}

/**
 * Sends a failed run back to `running` from its failed step: the step row becomes `running` again
 * (its attempt count goes on, its last error and output stay visible until the next attempt),
 * the run loses its error and finish time, and the step is enqueued under a new job id (the
 * original id is still held by BullMQ's failed or completed set, which would ignore the add).
 * A run that is not failed is a ConflictError; an unknown one (or another account's) a NotFoundError.
 */
export async function retryRun(
  c: { db: Db; queues: Queues; logger: Logger },
  options: RetryRunOptions,
): Promise<RetriedRun> {
  const plan = await c.db.transaction((tx) => resetFailedRun(tx, options));
  try {
    await c.queues.add(
      'step.execute',
      { runId: plan.runId, stepId: plan.stepId },
      {
        jobId: plan.jobId,
        attempts: plan.attempts,
        backoff: { type: 'exponential', delay: plan.backoff },
        lane: plan.lane,
      },
    );
  } catch (error) {
    // Without its job the run would sit in `running` for good: put it back to failed, retryable again.
    await c.db.transaction((tx) => undoReset(tx, plan)).catch(() => undefined);
    throw error;
  }
  c.logger.info({ runId: plan.runId, stepId: plan.stepId, jobId: plan.jobId }, 'run retried');
  return { runId: plan.runId, stepId: plan.stepId, jobId: plan.jobId };
}

async function resetFailedRun(tx: Tx, { runId, accountId, loadVersion }: RetryRunOptions): Promise<RetryPlan> {
  if (!UUID.test(runId)) throw new NotFoundError('Run');
  const run = await lockRun(tx, runId, accountId);
  if (!run) throw new NotFoundError('Run');
  if (run.status !== 'failed') throw new ConflictError(`The run is ${run.status}; only a failed run can be retried`);
  const step = await reopenFailedStep(tx, runId);
  if (!step) throw new ConflictError('The run failed before any step ran; there is no step to retry');
  await restartRun(tx, runId, step.step_id);
  const definition = await loadVersion(tx, run.workflow_id, run.workflow_version);
  const retry = definition.steps.find((candidate) => candidate.id === step.step_id)?.retry ?? DEFAULT_RETRY;
  // The attempt count only grows, so each retry of the same step gets an id of its own.
  const jobId = `${jobIds.step(runId, step.step_id)}.retry${step.attempts}`;
  return { runId, stepId: step.step_id, jobId, attempts: retry.attempts, backoff: retry.backoff, lane: run.lane };
}

async function undoReset(tx: Tx, plan: RetryPlan): Promise<void> {
  if (!(await failReopenedStep(tx, plan.runId, plan.stepId))) return;
  await failRestartedRun(tx, plan.runId, `step '${plan.stepId}' could not be re-enqueued; retry again`);
}
