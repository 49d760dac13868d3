import type { Db, Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { ConflictError, NotFoundError } from '../lib/errors';
import type { Logger } from '../lib/logger';
import type { Queues } from '../queue/queues';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { DEFAULT_RETRY } from '../definition/definition-schema';
import { jobIds } from '../queue/job-ids';
import type { RunRow } from './run-repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface RetryRunOptions {
  runId: string;
  /** Only a run of this account (the API); undefined for any account (the operator's CLI). */
  accountId?: string;
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
}

/**
 * Sends a failed run back to `running` from its failed step: the step row becomes `running` again
 * (its attempt count goes on, its last error and output stay visible until the next attempt),
 * the run loses its error and finish time, and the step is enqueued under a new job id (the
 * original id is still held by BullMQ's failed or completed set, which would ignore the add).
 * A run that is not failed is a ConflictError; an unknown one (or another account's) a NotFoundError.
 */
export async function retryRun(c: { db: Db; queues: Queues; logger: Logger }, options: RetryRunOptions): Promise<RetriedRun> {
  const plan = await c.db.transaction((tx) => resetFailedRun(tx, options));
  try {
    await c.queues.add(
      'step.execute',
      { runId: plan.runId, stepId: plan.stepId },
      { jobId: plan.jobId, attempts: plan.attempts, backoff: { type: 'exponential', delay: plan.backoff } },
    );
  } catch (error) {
    // Without its job the run would sit in `running` for good: put it back to failed, retryable again.
    await c.db.transaction((tx) => undoReset(tx, plan)).catch(() => undefined);
    throw error;
  }
  c.logger.info({ runId: plan.runId, stepId: plan.stepId, jobId: plan.jobId }, 'run retried');
  return { runId: plan.runId, stepId: plan.stepId, jobId: plan.jobId };
}

async function resetFailedRun(tx: Tx, { runId, accountId }: RetryRunOptions): Promise<RetryPlan> {
  if (!UUID.test(runId)) throw new NotFoundError('Run');
  const runs: RunRow[] = await tx.query(
    'SELECT * FROM runs WHERE id = $1 AND ($2::uuid IS NULL OR account_id = $2) FOR UPDATE',
    [runId, accountId ?? null],
  );
  const run = runs[0];
  if (!run) throw new NotFoundError('Run');
  if (run.status !== 'failed') throw new ConflictError(`The run is ${run.status}; only a failed run can be retried`);
  const steps = await queryRows<{ step_id: string; attempts: number }>(
    tx,
    // No claim holds the step until the retry job claims it: a worker of an earlier attempt records nothing.
    `UPDATE run_steps SET status = 'running', finished_at = NULL, next_step_id = NULL, claim_token = NULL
     WHERE run_id = $1 AND status = 'failed' RETURNING step_id, attempts`,
    [runId],
  );
  const step = steps[0];
  if (!step) throw new ConflictError('The run failed before any step ran; there is no step to retry');
  await tx.query(
    `UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, current_step_id = $2, updated_at = now() WHERE id = $1`,
    [runId, step.step_id],
  );
  const definition = await loadWorkflowVersion(tx, run.workflow_id, run.workflow_version);
  const retry = definition.steps.find((candidate) => candidate.id === step.step_id)?.retry ?? DEFAULT_RETRY;
  // The attempt count only grows, so each retry of the same step gets an id of its own.
  const jobId = `${jobIds.step(runId, step.step_id)}.retry${step.attempts}`;
  return { runId, stepId: step.step_id, jobId, attempts: retry.attempts, backoff: retry.backoff };
}

async function undoReset(tx: Tx, plan: RetryPlan): Promise<void> {
  const steps = await queryRows(
    tx,
    `UPDATE run_steps SET status = 'failed', finished_at = now() WHERE run_id = $1 AND step_id = $2 AND status = 'running' RETURNING 1`,
    [plan.runId, plan.stepId],
  );
  if (steps.length === 0) return;
  await tx.query(
    `UPDATE runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status = 'running'`,
    [plan.runId, `step '${plan.stepId}' could not be re-enqueued; retry again`],
  );
}
