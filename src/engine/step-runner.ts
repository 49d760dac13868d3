import { DelayedError, type Job } from 'bullmq';
import type { Container } from '../container';
import { lazyChild, type Logger } from '../lib/logger';
import { toStorableText } from '../lib/storable-json';
import { observeStep, type StepOutcomeLabel } from '../observability/metrics';
import { renderTemplate } from '../templating/template';
import { DEFAULT_RETRY, type StepDefinition, type WorkflowDefinition } from '../definition/definition-schema';
import type { StepType } from '../definition/step-types';
import type { RunLane } from '../queue/run-lanes';
import type { ActionOutcome, ContactWriteInRecord, StepExecutor } from './action-contract';
import type { ChainContext } from './chain-context';
import { classifyStepError } from './classify-step-error';
import type { EngineResources } from './engine-resources';
import { claimStep, failStepAndRun, recordStepError, type StepClaim } from './run-step-store';
import { failRun, type RunRow } from './run-store';
import { WRITE_REFUSED, recordOutcome, type ChainStop, type RecordedOutcome } from './step-record';
import { scheduleStepRetry } from './step-scheduler';

const OUTCOME_LABELS: Record<ActionOutcome['kind'], StepOutcomeLabel> = {
  completed: 'completed',
  skipped: 'skipped',
  wait: 'waiting',
  end: 'ended',
};

/**
 * How a step is being attempted. `job`: it is the step of the BullMQ job at hand, whose attempts and
 * backoff BullMQ applies (failures are thrown to it). `inline`: it follows an earlier step of the same
 * job; a failure that may be retried is handed to a job of the step's own instead of being thrown.
 */
export type AttemptMode = { kind: 'job'; job: Job } | { kind: 'inline' };

export interface RunStepOptions {
  run: RunRow;
  definition: WorkflowDefinition;
  stepId: string;
  mode: AttemptMode;
  resources: EngineResources;
  /** The run's context, loaded by the job's first step and carried through the ones it runs inline. */
  context: ChainContext;
  /** The job's logger, bound to the run. */
  log: Logger;
  /**
   * The step's claim, when made already: by the job's opening statement (openSteps) or by the record of
   * the step before it (finishSteps). Null: that claim was refused. Absent: claim it here.
   */
  claim?: StepClaim | null;
  /** The job runs the next step inline: claim it in the statement that records this one. Default false. */
  claimNext?: boolean;
  /** Told the claim as soon as the step is claimed (the step processor's last-resort failure path). */
  onClaimed?: (claim: StepClaim) => void;
}

/** The claim was refused: the step is past running, or the run no longer runs. */
export const NOT_CLAIMED = Symbol('not claimed');

/** Where a step leaves its job's chain: at the next step (claimed already, or not), or stopped. */
/** `ended`: the `end` step the run went to was recorded with this one's finish (recordOutcome). */
export type StepResult =
  { next: string; claim: StepClaim | null } | { stop: ChainStop; ended?: string } | typeof NOT_CLAIMED;

/** This try of the job is its last: BullMQ will not retry it after a failure. */
export function isLastJobAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** One claimed attempt of a step, as its failure path needs it. */
interface Attempt {
  c: Container;
  definition: WorkflowDefinition;
  step: StepDefinition;
  runId: string;
  /** The run's lane: a retry's job goes to its queue. */
  lane: RunLane;
  claim: StepClaim;
  mode: AttemptMode;
  isLastAttempt: boolean;
  startedAt: number;
  log: Logger;
}

/**
 * Claims (unless the job's opening statement or the step before did), executes and records one step.
 * Returns the step the run goes to next (not yet scheduled; claimed by this job when `claimNext` and
 * the claim went through), why the run stops here for now (waiting, completed, failed, handed to a
 * retry job, or the claim was taken over by another execution), or NOT_CLAIMED. Actions steer with
 * NonRetryableError / RetryAfterError, translated here only. What fails around the action (loading
 * the run's context, storing the output, recording the outcome) follows the same retry rules as the
 * action's own failures, so that the last attempt always ends with the step and the run `failed`.
 */
export async function runStep(c: Container, options: RunStepOptions): Promise<StepResult> {
  const { run, definition, stepId, mode, resources } = options;
  const runId = run.id;
  const index = definition.steps.findIndex((step) => step.id === stepId);
  const step = definition.steps[index];
  if (!step) {
    await failRun(c.db.manager, runId, `step '${stepId}' is not in version ${run.workflow_version} of the workflow`);
    return { stop: 'failed' };
  }
  const log = lazyChild(options.log, { stepId });
  const claim =
    options.claim === undefined ? await claimStep(c.db.manager, { runId, stepId, type: step.type }) : options.claim;
  if (!claim) return NOT_CLAIMED;
  options.onClaimed?.(claim);

  const policy = step.retry ?? DEFAULT_RETRY;
  const isLastAttempt = mode.kind === 'job' ? isLastJobAttempt(mode.job) : policy.attempts <= 1;
  const attempt: Attempt = {
    c,
    definition,
    step,
    runId,
    lane: run.lane,
    claim,
    mode,
    isLastAttempt,
    startedAt: Date.now(),
    log,
  };
  // A parsed definition names known step types only.
  const executor = resources.executors[step.type as StepType] as StepExecutor;
  let outcome: ActionOutcome;
  let contact: Record<string, unknown> | undefined;
  try {
    const context = await options.context.forStep(c.db.manager, { firstStep: claim.seq === 0 });
    outcome = await executor.execute({
      config: step.config,
      step,
      runId,
      accountId: run.account_id,
      contactId: run.contact_id,
      context,
      render: (template) => renderTemplate(template, context),
      idempotencyKey: `${runId}:${stepId}`,
      attempt: claim.attempts,
      isLastAttempt,
      sendingWindow: definition.sendingWindow,
      log,
      contactChanged: (changed) => (contact = changed),
      ...(resources.finishes.writesContacts && { recordsContactWrites: true }),
    });
  } catch (error) {
    return failAttempt(attempt, error);
  }
  const record = (recordedOutcome: ActionOutcome) =>
    recordOutcome(c, resources, {
      definition,
      runId,
      accountId: run.account_id,
      contactId: run.contact_id,
      lane: run.lane,
      stepId,
      claimToken: claim.claimToken,
      index,
      outcome: recordedOutcome,
      claimNext: options.claimNext ?? false,
    });
  let recorded: RecordedOutcome;
  try {
    recorded = await record(outcome);
  } catch (error) {
    // Storing the outcome failed: the action ran (its idempotency key makes a repeat recognisable).
    return failAttempt(attempt, error);
  }
  if (recorded === WRITE_REFUSED) {
    // The contact write the record was to make could not be (the step is still ours, unrecorded): the
    // action's own path says why, or writes it and gives the outcome to record.
    try {
      outcome = await (outcome as { contactWrite: ContactWriteInRecord }).contactWrite.otherwise();
      recorded = await record(outcome);
    } catch (error) {
      return failAttempt(attempt, error);
    }
    if (recorded === WRITE_REFUSED) return failAttempt(attempt, new Error('the contact write was refused twice'));
  }
  if ('contact' in recorded && recorded.contact) contact = recorded.contact;
  observeStep(step.type, OUTCOME_LABELS[outcome.kind], attempt.startedAt);
  log.debug({ type: step.type, outcome: outcome.kind, durationMs: Date.now() - attempt.startedAt }, 'step finished');
  if ('stop' in recorded) {
    // The `end` after it was recorded with its finish (recordOutcome): counted as an executed one is.
    if (recorded.ended) {
      observeStep('end', OUTCOME_LABELS.end, Date.now());
      lazyChild(options.log, { stepId: recorded.ended }).debug(
        { type: 'end', outcome: 'end', durationMs: 0 },
        'step finished',
      );
    }
    return recorded;
  }
  if (recorded.claim) {
    options.context.recorded({ stepId, type: step.type, output: recorded.output, contact }, executor);
    return { next: recorded.next, claim: recorded.claim };
  }
  options.context.drop();
  return { next: recorded.next, claim: null };
}

/**
 * The failure of an attempt, by the step's retry rules: come back later (RetryAfterError), retry
 * (BullMQ for the job's own step, a job of its own for an inline one), or, when final, fail the step
 * and the run. Every write is fenced by the attempt's claim.
 */
async function failAttempt(attempt: Attempt, error: unknown): Promise<{ stop: ChainStop }> {
  const { c, definition, step, runId, lane, claim, mode, log } = attempt;
  const stepId = step.id;
  const classified = classifyStepError(error);
  // PostgreSQL down is no failure of the step: the worker waits it out (src/queue/worker-factory.ts).
  if (classified.kind === 'unavailable') throw error;
  if (classified.kind === 'later') {
    // Come back later without spending an attempt (sending windows, rate limits, Retry-After).
    observeStep(step.type, 'delayed', attempt.startedAt);
    if (mode.kind === 'inline') {
      await scheduleStepRetry(c.queues, definition, { runId, stepId, lane, at: classified.at });
      return { stop: 'delayed' };
    }
    await mode.job.moveToDelayed(classified.at.getTime(), mode.job.token);
    throw new DelayedError();
  }
  const message = toStorableText(error instanceof Error ? error.message : String(error));
  const final = classified.kind === 'final' || attempt.isLastAttempt;
  observeStep(step.type, final ? 'failed' : 'retrying', attempt.startedAt);
  if (!final) {
    await recordStepError(c.db.manager, { runId, stepId, claimToken: claim.claimToken, error: message });
    log.warn({ attempt: claim.attempts, err: message }, 'step attempt failed, will retry');
    if (mode.kind === 'job') throw error;
    const policy = step.retry ?? DEFAULT_RETRY;
    const at = new Date(Date.now() + policy.backoff);
    await scheduleStepRetry(c.queues, definition, { runId, stepId, lane, at, attemptsLeft: policy.attempts - 1 });
    return { stop: 'retrying' };
  }
  const failed = await failStepAndRun(c.db.manager, {
    runId,
    stepId,
    claimToken: claim.claimToken,
    type: step.type,
    error: message,
  });
  log.warn({ attempt: claim.attempts, err: message, recorded: failed }, 'step failed, run failed');
  return { stop: 'failed' };
}
