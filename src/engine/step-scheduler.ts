import type { Queues } from '../queue/queues';
import type { RunLane } from '../queue/run-lanes';
import { DEFAULT_RETRY, type WorkflowDefinition } from '../definition/definition-schema';
import { jobIds } from '../queue/job-ids';

export interface ScheduledStep {
  runId: string;
  stepId: string;
  /**
   * The run's lane (runs.lane), which picks the queue. Every job of a run goes to its lane's queue,
   * so that a (run, step) job id exists on one queue only and re-adding it stays a no-op.
   */
  lane: RunLane;
}

export interface StepRetryLater extends ScheduledStep {
  /** When to try. */
  at: Date;
  /** Attempts the step still has; default its whole policy. */
  attemptsLeft?: number;
}

/** Enqueues steps to execute, each with its own retry policy, on its run's lane. Idempotent per (run, step). */
export async function scheduleSteps(
  queues: Queues,
  definition: WorkflowDefinition,
  steps: ScheduledStep[],
): Promise<void> {
  await queues.addBulk(
    'step.execute',
    steps.map(({ runId, stepId, lane }) => {
      const retry = definition.steps.find((step) => step.id === stepId)?.retry ?? DEFAULT_RETRY;
      return {
        payload: { runId, stepId },
        options: {
          jobId: jobIds.step(runId, stepId),
          attempts: retry.attempts,
          backoff: { type: 'exponential', delay: retry.backoff },
          // First come, first served on both lanes. LIFO, once used against a campaign's later steps
          // waiting behind its new enrolments, let a contact's step sink under every batch enrolled
          // after it; with a lane of its own, a campaign's backlog holds up only the campaign. (FIFO
          // also keeps the campaign queue's events in id order, which outbox pruning relies on.)
          lane,
        },
      };
    }),
  );
}

/**
 * Enqueues a step that failed (or was told to come back later) while it ran inline in another
 * step's job: it gets a job of its own, with the attempts it has left.
 */
export async function scheduleStepRetry(
  queues: Queues,
  definition: WorkflowDefinition,
  step: StepRetryLater,
): Promise<void> {
  const retry = definition.steps.find((candidate) => candidate.id === step.stepId)?.retry ?? DEFAULT_RETRY;
  await queues.add(
    'step.execute',
    { runId: step.runId, stepId: step.stepId },
    {
      jobId: jobIds.step(step.runId, step.stepId),
      delay: Math.max(0, step.at.getTime() - Date.now()),
      attempts: Math.max(1, step.attemptsLeft ?? retry.attempts),
      backoff: { type: 'exponential', delay: retry.backoff },
      lane: step.lane,
    },
  );
}

/** Arms the timer of a waiting step, on its run's lane. Idempotent per (run, step). */
export async function scheduleTimeout(queues: Queues, step: ScheduledStep, until: Date): Promise<void> {
  await queues.add(
    'step.timeout',
    { runId: step.runId, stepId: step.stepId },
    {
      jobId: jobIds.timeout(step.runId, step.stepId),
      delay: Math.max(0, until.getTime() - Date.now()),
      lane: step.lane,
    },
  );
}
