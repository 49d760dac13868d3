import { DelayedError, type Job } from 'bullmq';
import type { Container } from '../container';
import { getAction } from '../actions/registry';
import type { ActionOutcome } from '../actions/action';
import type { ActionServices } from '../actions/action-deps';
import { AppError } from '../lib/errors';
import { NonRetryableError, RetryAfterError } from '../lib/step-errors';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { observeStep, type StepOutcomeLabel } from '../observability/metrics';
import { renderTemplate } from './template';
import { defaultNext } from './definition/parse-definition';
import type { WorkflowDefinition } from './definition/definition-schema';
import { loadRunContext } from './run-context';
import {
  TERMINAL_RUN_STATUSES,
  advanceRun,
  claimStep,
  failRun,
  findRun,
  findRunStep,
  finishStep,
  markStepWaiting,
  recordStepError,
} from './run-repository';
import { scheduleSteps, scheduleTimeout } from './step-scheduler';

export interface StepJob {
  runId: string;
  stepId: string;
}

const OUTCOME_LABELS: Record<ActionOutcome['kind'], StepOutcomeLabel> = { completed: 'completed', skipped: 'skipped', wait: 'waiting', end: 'ended' };

interface WaitState {
  event: string | null;
  until: string | null;
  onEvent?: string;
  onTimeout?: string;
}

/**
 * Executes one step of one run, effectively once: a step recorded as completed is never executed
 * again, whatever BullMQ redelivers; a redelivery only makes sure the run's next move is enqueued.
 * Actions steer with NonRetryableError / RetryAfterError, translated to BullMQ here and nowhere else.
 */
export async function executeStep(
  c: Container,
  { runId, stepId }: StepJob,
  job: Job,
  services: ActionServices,
): Promise<void> {
  const run = await findRun(c.db.manager, runId);
  if (!run || TERMINAL_RUN_STATUSES.includes(run.status)) return;
  const definition = await loadWorkflowVersion(c.db.manager, run.workflow_id, run.workflow_version);
  const index = definition.steps.findIndex((step) => step.id === stepId);
  const step = definition.steps[index];
  if (!step) {
    await failRun(c.db.manager, runId, `step '${stepId}' is not in version ${run.workflow_version} of the workflow`);
    return;
  }
  const log = c.logger.child({ runId, stepId, workflowId: run.workflow_id, contactId: run.contact_id });

  const claim = await c.db.transaction((tx) => claimStep(tx, { runId, stepId, type: step.type }));
  if (!claim) return resumeAfterRedelivery(c, definition, runId, stepId);

  const action = getAction(step.type)!;
  const startedAt = Date.now();
  let outcome: ActionOutcome;
  try {
    const context = await loadRunContext(c.db.manager, { run, workflow: { slug: definition.id, name: definition.name }, config: c.config });
    outcome = await action.execute({
      config: step.config,
      step,
      runId,
      accountId: run.account_id,
      contactId: run.contact_id,
      context,
      render: (template) => renderTemplate(template, context),
      idempotencyKey: `${runId}:${stepId}`,
      attempt: claim.attempts,
      isLastAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
      sendingWindow: definition.sendingWindow,
      deps: { db: c.db, config: c.config, ...services },
      log,
    });
  } catch (error) {
    if (error instanceof RetryAfterError) {
      // Come back later without spending an attempt (sending windows, provider Retry-After).
      await job.moveToDelayed(error.at.getTime(), job.token);
      observeStep(step.type, 'delayed', startedAt);
      throw new DelayedError();
    }
    const message = describe(error);
    const final =
      error instanceof NonRetryableError || error instanceof AppError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    observeStep(step.type, final ? 'failed' : 'retrying', startedAt);
    if (!final) {
      await recordStepError(c.db.manager, runId, stepId, message);
      log.warn({ attempt: claim.attempts, err: message }, 'step attempt failed, will retry');
      throw error;
    }
    await c.db.transaction(async (tx) => {
      if (await finishStep(tx, { runId, stepId, status: 'failed', error: message, nextStepId: null })) {
        await failRun(tx, runId, `step '${stepId}' failed: ${message}`);
      }
    });
    log.warn({ attempt: claim.attempts, err: message }, 'step failed, run failed');
    return;
  }
  await applyOutcome(c, { definition, runId, stepId, index, outcome });
  observeStep(step.type, OUTCOME_LABELS[outcome.kind], startedAt);
  log.info({ type: step.type, outcome: outcome.kind, durationMs: Date.now() - startedAt }, 'step finished');
}

async function applyOutcome(
  c: Container,
  options: { definition: WorkflowDefinition; runId: string; stepId: string; index: number; outcome: ActionOutcome },
): Promise<void> {
  const { definition, runId, stepId, index, outcome } = options;
  if (outcome.kind === 'wait') {
    const wait: WaitState = {
      event: outcome.event,
      until: outcome.until?.toISOString() ?? null,
      onEvent: outcome.onEvent,
      onTimeout: outcome.onTimeout,
    };
    const output = { ...(isObject(outcome.output) ? outcome.output : {}), wait };
    const marked = await c.db.transaction((tx) =>
      markStepWaiting(tx, { runId, stepId, output, event: outcome.event, until: outcome.until }),
    );
    if (marked && outcome.until) await scheduleTimeout(c.queues, { runId, stepId }, outcome.until);
    return;
  }
  const next = outcome.kind === 'end' ? null : outcome.next === undefined ? defaultNext(definition, index) : outcome.next;
  const status = outcome.kind === 'skipped' ? 'skipped' : 'completed';
  const output = outcome.kind === 'skipped' ? { ...(isObject(outcome.output) ? outcome.output : {}), reason: outcome.reason } : outcome.output;
  const finished = await c.db.transaction(async (tx) => {
    if (!(await finishStep(tx, { runId, stepId, status, output: output ?? {}, nextStepId: next }))) return false;
    await advanceRun(tx, runId, next);
    return true;
  });
  if (finished && next) await scheduleSteps(c.queues, definition, [{ runId, stepId: next }]);
}

/**
 * The step is past running: this is a redelivery after a crash between our commit and the enqueue
 * that follows it. Make sure that enqueue happened (job ids make it a no-op otherwise).
 */
async function resumeAfterRedelivery(c: Container, definition: WorkflowDefinition, runId: string, stepId: string): Promise<void> {
  const row = await findRunStep(c.db.manager, runId, stepId);
  if (!row) return;
  if ((row.status === 'completed' || row.status === 'skipped') && row.next_step_id) {
    await scheduleSteps(c.queues, definition, [{ runId, stepId: row.next_step_id }]);
  }
  if (row.status === 'waiting') {
    const until = (row.output as { wait?: WaitState } | null)?.wait?.until;
    if (until) await scheduleTimeout(c.queues, { runId, stepId }, new Date(until));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
