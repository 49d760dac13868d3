import { DelayedError, type Job } from 'bullmq';
import type { Container } from '../container';
import type { Logger } from '../lib/logger';
import { toStorableJson, toStorableText } from '../lib/storable-json';
import { observeStep, type StepOutcomeLabel } from '../observability/metrics';
import { renderTemplate } from '../templating/template';
import { defaultNext } from '../definition/step-navigation';
import { DEFAULT_RETRY, type StepDefinition, type WorkflowDefinition } from '../definition/definition-schema';
import type { StepType } from '../definition/step-types';
import type { RunLane } from '../queue/run-lanes';
import type { ActionOutcome, StepExecutor } from './action-contract';
import { classifyStepError } from './classify-step-error';
import type { EngineResources } from './engine-resources';
import { toStoredOutput } from './step-outputs';
import {
  claimStep,
  failStepAndRun,
  finishStepAndAdvance,
  markStepWaiting,
  recordStepError,
  type StepClaim,
} from './run-step-store';
import { failRun, type RunRow } from './run-store';
import { scheduleStepRetry, scheduleTimeout } from './step-scheduler';
import { withWaitState, type WaitState } from './wait-state';

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
  /** Told the claim as soon as the step is claimed (the step processor's last-resort failure path). */
  onClaimed?: (claim: StepClaim) => void;
}

/** The claim was refused: the step is past running, or the run no longer runs. */
export const NOT_CLAIMED = Symbol('not claimed');

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
 * Claims, executes and records one step. Returns the id of the step the run goes to next (not yet
 * scheduled), null when the run stops here for now (waiting, ended, failed, handed to a retry job,
 * or the claim was taken over by another execution), or NOT_CLAIMED. Actions steer with
 * NonRetryableError / RetryAfterError, translated here only. What fails around the action (loading
 * the run's context, storing the output, recording the outcome) follows the same retry rules as the
 * action's own failures, so that the last attempt always ends with the step and the run `failed`.
 */
export async function runStep(c: Container, options: RunStepOptions): Promise<string | null | typeof NOT_CLAIMED> {
  const { run, definition, stepId, mode, resources } = options;
  const runId = run.id;
  const index = definition.steps.findIndex((step) => step.id === stepId);
  const step = definition.steps[index];
  if (!step) {
    await failRun(c.db.manager, runId, `step '${stepId}' is not in version ${run.workflow_version} of the workflow`);
    return null;
  }
  const log = c.logger.child({ runId, stepId, workflowId: run.workflow_id, contactId: run.contact_id });
  const claim = await claimStep(c.db.manager, { runId, stepId, type: step.type });
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
  let outcome: ActionOutcome;
  try {
    const context = await resources.loadContext(c.db.manager, {
      run,
      workflow: { slug: definition.id, name: definition.name },
      config: c.config,
    });
    // A parsed definition names known step types only.
    const executor = resources.executors[step.type as StepType] as StepExecutor;
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
    });
  } catch (error) {
    return failAttempt(attempt, error);
  }
  let next: string | null;
  try {
    next = await recordOutcome(c, resources, {
      definition,
      runId,
      lane: run.lane,
      stepId,
      claimToken: claim.claimToken,
      index,
      outcome,
    });
  } catch (error) {
    // Storing the outcome failed: the action ran (its idempotency key makes a repeat recognisable).
    return failAttempt(attempt, error);
  }
  observeStep(step.type, OUTCOME_LABELS[outcome.kind], attempt.startedAt);
  log.info({ type: step.type, outcome: outcome.kind, durationMs: Date.now() - attempt.startedAt }, 'step finished');
  return next;
}

/**
 * The failure of an attempt, by the step's retry rules: come back later (RetryAfterError), retry
 * (BullMQ for the job's own step, a job of its own for an inline one), or, when final, fail the step
 * and the run. Every write is fenced by the attempt's claim.
 */
async function failAttempt(attempt: Attempt, error: unknown): Promise<null> {
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
      return null;
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
    return null;
  }
  const failed = await failStepAndRun(c.db.manager, {
    runId,
    stepId,
    claimToken: claim.claimToken,
    type: step.type,
    error: message,
  });
  log.warn({ attempt: claim.attempts, err: message, recorded: failed }, 'step failed, run failed');
  return null;
}

/** Records the outcome; returns the step to go on with, or null (waiting, ended, or lost the claim). */
async function recordOutcome(
  c: Container,
  resources: EngineResources,
  options: {
    definition: WorkflowDefinition;
    runId: string;
    lane: RunLane;
    stepId: string;
    claimToken: string;
    index: number;
    outcome: ActionOutcome;
  },
): Promise<string | null> {
  const { definition, runId, lane, stepId, claimToken, index, outcome } = options;
  const type = definition.steps[index]!.type;
  if (outcome.kind === 'wait') {
    const wait: WaitState = {
      event: outcome.event,
      calendar: outcome.calendar,
      until: outcome.until?.toISOString() ?? null,
      onEvent: outcome.onEvent,
      onTimeout: outcome.onTimeout,
    };
    const output = toStorableJson(withWaitState(outcome.output, wait));
    const marked = await c.db.transaction((tx) =>
      markStepWaiting(tx, { runId, stepId, claimToken, output, event: outcome.event, until: outcome.until }),
    );
    if (marked && outcome.until) await scheduleTimeout(c.queues, { runId, stepId, lane }, outcome.until);
    return null;
  }
  const next =
    outcome.kind === 'end' ? null : outcome.next === undefined ? defaultNext(definition, index) : outcome.next;
  const status = outcome.kind === 'skipped' ? 'skipped' : 'completed';
  const output =
    outcome.kind === 'skipped'
      ? { ...(isObject(outcome.output) ? outcome.output : {}), reason: outcome.reason }
      : outcome.output;
  const stored = toStoredOutput(resources.executors, type, output ?? {});
  const finished = await finishStepAndAdvance(c.db.manager, {
    runId,
    stepId,
    claimToken,
    status,
    output: stored,
    nextStepId: next,
  });
  return finished ? next : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
