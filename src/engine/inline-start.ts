import type { Container } from '../container';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { isDatabaseUnavailable } from '../db/unavailable';
import type { EngineResources } from './engine-resources';
import type { ContextColumns, OpenedStep } from './run-step-store';
import { executeInline } from './step-processor';
import { scheduleSteps, type ScheduledStep } from './step-scheduler';
import type { JobPayload } from '../queue/job-catalog';
import { settleAtMost } from '../lib/batches';

/**
 * Runs one batch job executes at once (a batch holds up to 100 events): enough for their statements to
 * share group commits, few enough that a process's jobs never have more than this many times its job
 * slots of runs in flight, each a webhook or an email perhaps (and each repeated once if it dies).
 */
export const INLINE_STARTS_AT_ONCE = 16;

/** A run's step to start; `opened` when the enrolment claimed it (only for a start with `claimsAtEnrolment`). */
export interface StartingStep extends ScheduledStep {
  opened?: OpenedStep;
}

/** How the job that enrolled new runs starts them: their first steps, of one workflow version. */
export interface StartSteps {
  (definition: WorkflowDefinition, steps: StartingStep[]): Promise<void>;
  /**
   * Set when the start executes the steps at once: then the enrolment claims the new runs' first steps
   * in its own statement and reads their context's rows with these columns (enrolPairs' `claim`), and
   * the start executes from that claim instead of opening the step again. Unset (step jobs): nothing
   * is claimed before a job opens its step.
   */
  readonly claimsAtEnrolment?: ContextColumns;
}

/** The default start: a step job each, on the run's lane (one addBulk). */
export function startStepsAsJobs(c: Container): StartSteps {
  return (definition, steps) => scheduleSteps(c.queues, definition, steps);
}

/**
 * The worker's start: the new runs' first steps executed at once, in the job that enrolled them (an
 * event batch), up to INLINE_STARTS_AT_ONCE of them concurrently, so that their statements are shared
 * (step-finish-writer.ts), instead of a step job each: a queue round trip, a job's Redis commands and
 * its wait in the queue fewer per run. The enrolment claimed each new run's first step and read its
 * context (`claimsAtEnrolment`), so a new run starts with its action, no opening statement of its own
 * (one found where it stands, in a redelivered batch, is opened as a step job's would be). Each run
 * goes on inline as a step job's would (executeInline), retries and waits handed to jobs of their own.
 *
 * Nothing rests on this job finishing: the enrolment committed before, so a crash here is a
 * redelivered batch, which finds its runs by enrol key and starts each again where it stands (a step
 * claimed and not finished is the step in flight, executed again with the same idempotency key; one
 * finished is not). A run whose start fails for another reason than PostgreSQL being away is handed to
 * a step job, as before; with PostgreSQL away the batch fails, to be run again once it is back.
 */
export function startStepsInline(c: Container, resources: EngineResources): StartSteps {
  const start = async (definition: WorkflowDefinition, steps: StartingStep[]) => {
    const results = await settleAtMost(INLINE_STARTS_AT_ONCE, steps, (step) => executeInline(c, resources, step));
    const handedOff: ScheduledStep[] = [];
    let unavailable: unknown;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') return;
      const step = steps[i]!;
      if (isDatabaseUnavailable(result.reason)) unavailable ??= result.reason;
      else {
        c.logger.warn(
          { err: result.reason, runId: step.runId, stepId: step.stepId },
          'a new run could not start inline: handed to a step job',
        );
        handedOff.push(step);
      }
    });
    if (handedOff.length > 0) await scheduleSteps(c.queues, definition, handedOff);
    if (unavailable !== undefined) throw unavailable;
  };
  return Object.assign(start, { claimsAtEnrolment: resources.contextColumns });
}

/**
 * `runs.start`: new runs of one workflow version (a campaign batch's) started in this job, as
 * startStepsInline starts an event batch's. A redelivered job starts each where it stands: a run past
 * its first step is refused its claim and resumed where it is (its step job's id makes that a no-op
 * when queued already).
 */
export async function startRuns(
  c: Container,
  resources: EngineResources,
  { workflowId, version, steps }: JobPayload<'runs.start'>,
): Promise<void> {
  const definition = await resources.loadVersion(c.db.manager, workflowId, version);
  await startStepsInline(c, resources)(definition, steps);
}
