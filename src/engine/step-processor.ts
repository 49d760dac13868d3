import { DelayedError, type Job } from 'bullmq';
import type { Container } from '../container';
import type { WorkflowDefinition } from '../definition/definition-schema';
import { lazyChild } from '../lib/logger';
import { classifyStepError } from './classify-step-error';
import type { EngineResources } from './engine-resources';
import { ChainContext } from './chain-context';
import { failStepAndRun, findStepAndRun, type OpenedStep, type StepClaim } from './run-step-store';
import { TERMINAL_RUN_STATUSES, type RunRow } from './run-store';
import { NOT_CLAIMED, isLastJobAttempt, runStep } from './step-runner';
import { scheduleSteps, scheduleTimeout } from './step-scheduler';
import { waitStateOf } from './wait-state';

export interface StepJob {
  runId: string;
  stepId: string;
}

/** A step to execute inline; `opened` when the statement that created its run also claimed it (the enrolment). */
export interface InlineStep extends StepJob {
  opened?: OpenedStep;
}

/**
 * Steps one job may run back to back before it hands the run to a new job. Running a run's next
 * steps inline saves a queue round trip per step; the bound keeps one job short (locks, fairness).
 */
export const MAX_STEPS_PER_JOB = 10;

/**
 * Executes the job's step and then, inline, the steps that follow it, each effectively once: a step
 * recorded as completed is never executed again, whatever BullMQ redelivers. A crash in the middle
 * of the chain redelivers this job, which finds its own step completed and re-enqueues the step the
 * run stands at, so only the step in flight at the crash runs again, with the same idempotency key.
 * The chain reads the run's context once and carries it from step to step (chain-context.ts); each
 * inline step is claimed by the statement that records the step before it (finishSteps), so
 * a step the crash caught claimed but not yet executed is the step in flight, executed once.
 */
export async function executeStep(
  c: Container,
  resources: EngineResources,
  { runId, stepId }: StepJob,
  job: Job,
): Promise<void> {
  const inFlight: InFlight = { stepId, claimToken: null, type: null };
  try {
    await executeChain(c, resources, { runId, stepId }, job, inFlight);
  } catch (error) {
    if (error instanceof DelayedError || classifyStepError(error).kind === 'unavailable' || !isLastJobAttempt(job))
      throw error;
    await failInFlight(c, runId, inFlight, error);
    throw error;
  }
}

/**
 * A run's step executed at once, outside any job of its own, with the steps that follow it inline:
 * the first steps of the runs an event batch just enrolled (src/engine/inline-start.ts). Every step is
 * attempted as an inline one: a failure that may be retried goes to a step job of its own, a final
 * one fails the step and the run, exactly as for a step after the first of a job. Throws only what
 * fails around the steps (the run or its version could not be read, PostgreSQL is away): the caller
 * then hands the step to a step job, which goes through all of it again. A step given `opened` starts
 * from that claim and those context rows instead of opening the step itself.
 */
export async function executeInline(c: Container, resources: EngineResources, step: InlineStep): Promise<void> {
  await executeChain(c, resources, step, null, { stepId: step.stepId, claimToken: null, type: null });
}

/** The step the job is at, and its claim once made: what the last-resort failure path fails. */
interface InFlight {
  stepId: string;
  claimToken: string | null;
  type: string | null;
}

async function executeChain(
  c: Container,
  resources: EngineResources,
  { runId, stepId, opened: openedBefore }: InlineStep,
  job: Job | null,
  inFlight: InFlight,
): Promise<void> {
  // One statement opens the job (the run, its step's claim and the rows of the run's context),
  // shared with the openings of the process's other jobs of the moment (step-open-writer.ts); a new
  // run's first step was opened by the statement that enrolled it.
  const opened = openedBefore ?? (await resources.opens.submit({ runId, stepId }));
  if (!opened || TERMINAL_RUN_STATUSES.includes(opened.run.status)) return;
  const { run } = opened;
  inFlight.claimToken = opened.claim?.claimToken ?? null;
  const definition = await resources.loadVersion(c.db.manager, run.workflow_id, run.workflow_version);
  const log = lazyChild(c.logger, { runId, workflowId: run.workflow_id, contactId: run.contact_id });
  const context = new ChainContext(
    resources,
    { run, workflow: { slug: definition.id, name: definition.name }, config: c.config },
    opened.context,
  );
  const startedAt = Date.now();

  let current: string | null = stepId;
  let claim: StepClaim | null | undefined = opened.claim;
  let steps = 0;
  let outcome = 'handed on';
  while (current !== null && steps < MAX_STEPS_PER_JOB) {
    const at: string = current;
    Object.assign(inFlight, {
      stepId: at,
      claimToken: null,
      type: definition.steps.find((step) => step.id === at)?.type ?? null,
    });
    const result = await runStep(c, {
      run,
      definition,
      stepId: at,
      mode: steps === 0 && job ? { kind: 'job', job } : { kind: 'inline' },
      resources,
      context,
      log,
      claim,
      claimNext: steps + 1 < MAX_STEPS_PER_JOB,
      onClaimed: (made) => (inFlight.claimToken = made.claimToken),
    });
    if (result === NOT_CLAIMED) {
      if (steps === 0) await resumeAfterRedelivery(c, definition, run, at);
      outcome = 'not claimed';
      current = null;
    } else if ('stop' in result) {
      // An `end` recorded with this step's finish is a step of the job too.
      steps += result.ended ? 2 : 1;
      outcome = result.stop;
      current = null;
    } else {
      steps++;
      current = result.next;
      claim = result.claim ?? undefined;
    }
  }
  if (current !== null) {
    Object.assign(inFlight, { stepId: current, claimToken: null });
    await scheduleSteps(c.queues, definition, [{ runId, stepId: current, lane: run.lane }]);
  }
  // One line per job at info, whatever its number of steps (each step's own line is at debug).
  log.info({ steps, outcome, durationMs: Date.now() - startedAt }, 'run steps executed');
}

/**
 * The job's last try failed outside anything the step runner could record (the run or its workflow
 * version could not be loaded, recording the failure itself failed): without this, BullMQ would
 * keep the job as failed and the run would stay `running`, with nothing left to move it. Fails the
 * step in flight and the run, so that `POST /runs/:id/retry` can resume it. If even this fails, the
 * run sweeper does it from BullMQ's failed set (src/engine/run-sweeper.ts).
 */
async function failInFlight(c: Container, runId: string, inFlight: InFlight, error: unknown): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  const log = c.logger.child({ runId, stepId: inFlight.stepId });
  try {
    const failed = await failStepAndRun(c.db.manager, { runId, ...inFlight, error: message });
    log.error({ err: error, recorded: failed }, 'step job failed on its last attempt, run failed');
  } catch (recordError) {
    log.error(
      { err: error, recordErr: recordError },
      'step job failed on its last attempt, and the failure could not be recorded',
    );
  }
}

/**
 * The job's step is past running: a redelivery after a crash somewhere after its commit. Make sure
 * the run's next move was enqueued (job ids make that a no-op otherwise).
 */
async function resumeAfterRedelivery(
  c: Container,
  definition: WorkflowDefinition,
  { id: runId, lane }: RunRow,
  stepId: string,
): Promise<void> {
  // The step and where its run stands now, in one read (the run read at the job's start is older).
  const row = await findStepAndRun(c.db.manager, runId, stepId);
  if (!row) return;
  if ((row.status === 'completed' || row.status === 'skipped') && row.next_step_id) {
    if (TERMINAL_RUN_STATUSES.includes(row.run_status)) return;
    // The chain may have gone further than the next step before the crash: resume where the run stands
    // (a waiting step's own job then re-arms its timer; a step claimed with the finish of the one
    // before it, whose job died before executing it, is claimed again by its own job).
    await scheduleSteps(c.queues, definition, [{ runId, stepId: row.current_step_id ?? row.next_step_id, lane }]);
  }
  if (row.status === 'waiting') {
    const until = waitStateOf(row.output)?.until;
    if (until) await scheduleTimeout(c.queues, { runId, stepId, lane }, new Date(until));
  }
}
