import type { Queues } from '../queue/queues';
import { DEFAULT_RETRY, type WorkflowDefinition } from '../definition/definition-schema';
import { jobIds } from '../queue/job-ids';

export interface ScheduledStep {
  runId: string;
  stepId: string;
}

export interface StepRetryLater extends ScheduledStep {
  /** When to try. */
  at: Date;
  /** Attempts the step still has; default its whole policy. */
  attemptsLeft?: number;
}

/** Enqueues steps to execute, each with its own retry policy. Idempotent per (run, step). */
export async function scheduleSteps(
  queues: Queues,
  definition: WorkflowDefinition,
  steps: ScheduledStep[],
): Promise<void> {
  await queues.addBulk(
    'step.execute',
    steps.map(({ runId, stepId }) => {
      const retry = definition.steps.find((step) => step.id === stepId)?.retry ?? DEFAULT_RETRY;
      return {
        payload: { runId, stepId },
        options: {
          jobId: jobIds.step(runId, stepId),
          attempts: retry.attempts,
          backoff: { type: 'exponential', delay: retry.backoff },
          // Runs already under way go first: a campaign's later steps are not stuck behind new enrolments.
          lifo: true,
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
    },
  );
}

/** Arms the timer of a waiting step. Idempotent per (run, step). */
export async function scheduleTimeout(queues: Queues, step: ScheduledStep, until: Date): Promise<void> {
  await queues.add('step.timeout', step, {
    jobId: jobIds.timeout(step.runId, step.stepId),
    delay: Math.max(0, until.getTime() - Date.now()),
  });
}
