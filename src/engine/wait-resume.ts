import type { Container } from '../container';
import { defaultNext } from '../definition/step-navigation';
import type { VersionLoader } from './action-contract';
import { completeWaitingStep, findCompletedStepOfRunningRun, lockWaitingStep } from './run-step-store';
import { advanceRun } from './run-store';
import { scheduleSteps } from './step-scheduler';
import { waitStateOf } from './wait-state';

export type ResumeReason =
  { by: 'timeout' } | { by: 'event'; eventId: string; type: string; data: Record<string, unknown> };

/** What resuming a wait needs beyond the container: how to load the run's workflow version. */
export interface ResumeDeps {
  loadVersion: VersionLoader;
}

/**
 * Ends a waiting step through one of its exits. Event and timer may race: the row locks and the
 * `status = 'waiting'` conditions let exactly one of them through; the other returns false.
 */
export async function resumeWaitingStep(
  c: Container,
  deps: ResumeDeps,
  runId: string,
  stepId: string,
  reason: ResumeReason,
): Promise<boolean> {
  const resumed = await c.db.transaction(async (tx) => {
    const row = await lockWaitingStep(tx, runId, stepId);
    if (!row) return null;
    const definition = await deps.loadVersion(tx, row.workflow_id, row.workflow_version);
    const index = definition.steps.findIndex((step) => step.id === stepId);
    const wait = waitStateOf(row.output);
    const exit = reason.by === 'event' ? wait?.onEvent : wait?.onTimeout;
    const next = exit ?? defaultNext(definition, index);
    const resumedBy =
      reason.by === 'event'
        ? { resumedBy: 'event', resumedByEvent: reason.eventId, event: { type: reason.type, data: reason.data } }
        : { resumedBy: 'timeout' };
    const resumedByEvent = reason.by === 'event' ? reason.eventId : null;
    await completeWaitingStep(tx, {
      runId,
      stepId,
      output: { ...(row.output ?? {}), ...resumedBy },
      next,
      resumedByEvent,
    });
    await advanceRun(tx, runId, next);
    return { definition, next, lane: row.lane };
  });
  if (!resumed) return false;
  if (resumed.next)
    await scheduleSteps(c.queues, resumed.definition, [{ runId, stepId: resumed.next, lane: resumed.lane }]);
  return true;
}

/** A timer job fired: take the timeout exit, or, if an event won, make sure its next step is enqueued. */
export async function handleTimeout(c: Container, deps: ResumeDeps, runId: string, stepId: string): Promise<void> {
  if (await resumeWaitingStep(c, deps, runId, stepId, { by: 'timeout' })) return;
  await reenqueueAfterResume(c, deps, runId, stepId);
}

/** After a crash between a resume's commit and its enqueue, the redelivered job lands here. */
export async function reenqueueAfterResume(
  c: Container,
  deps: ResumeDeps,
  runId: string,
  stepId: string,
): Promise<void> {
  const row = await findCompletedStepOfRunningRun(c.db.manager, runId, stepId);
  if (!row?.next_step_id) return;
  const definition = await deps.loadVersion(c.db.manager, row.workflow_id, row.workflow_version);
  await scheduleSteps(c.queues, definition, [{ runId, stepId: row.next_step_id, lane: row.lane }]);
}
