import type { Container } from '../container';
import type { Tx } from '../db/data-source';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { defaultNext } from '../definition/parse-definition';
import { advanceRun } from './run-repository';
import { scheduleSteps } from './step-scheduler';

export type ResumeReason = { by: 'timeout' } | { by: 'event'; eventId: string; type: string; data: Record<string, unknown> };

interface WaitingRow {
  workflow_id: string;
  workflow_version: number;
  output: { wait?: { onEvent?: string; onTimeout?: string } } | null;
}

/**
 * Ends a waiting step through one of its exits. Event and timer may race: the row locks and the
 * `status = 'waiting'` conditions let exactly one of them through; the other returns false.
 */
export async function resumeWaitingStep(c: Container, runId: string, stepId: string, reason: ResumeReason): Promise<boolean> {
  const resumed = await c.db.transaction(async (tx) => {
    const rows: WaitingRow[] = await tx.query(
      `SELECT r.workflow_id, r.workflow_version, s.output
       FROM runs r JOIN run_steps s ON s.run_id = r.id
       WHERE r.id = $1 AND s.step_id = $2 AND r.status = 'waiting' AND s.status = 'waiting'
       FOR UPDATE OF r, s`,
      [runId, stepId],
    );
    const row = rows[0];
    if (!row) return null;
    const definition = await loadWorkflowVersion(tx, row.workflow_id, row.workflow_version);
    const index = definition.steps.findIndex((step) => step.id === stepId);
    const exit = reason.by === 'event' ? row.output?.wait?.onEvent : row.output?.wait?.onTimeout;
    const next = exit ?? defaultNext(definition, index);
    const resumedBy = reason.by === 'event' ? { resumedBy: 'event', resumedByEvent: reason.eventId, event: { type: reason.type, data: reason.data } } : { resumedBy: 'timeout' };
    const resumedByEvent = reason.by === 'event' ? reason.eventId : null;
    await completeWaitingStep(tx, { runId, stepId, output: { ...(row.output ?? {}), ...resumedBy }, next, resumedByEvent });
    await advanceRun(tx, runId, next);
    return { definition, next };
  });
  if (!resumed) return false;
  if (resumed.next) await scheduleSteps(c.queues, resumed.definition, [{ runId, stepId: resumed.next }]);
  return true;
}

/**
 * `resumed_by_event` repeats the output's `resumedByEvent` in an indexed column: a redelivered event
 * finds the steps it resumed by that index, never by reading every step's JSON.
 */
async function completeWaitingStep(
  tx: Tx,
  options: { runId: string; stepId: string; output: unknown; next: string | null; resumedByEvent: string | null },
): Promise<void> {
  await tx.query(
    `UPDATE run_steps SET status = 'completed', output = $3, next_step_id = $4, resumed_by_event = $5, finished_at = now()
     WHERE run_id = $1 AND step_id = $2 AND status = 'waiting'`,
    [options.runId, options.stepId, JSON.stringify(options.output), options.next, options.resumedByEvent],
  );
}

/** A timer job fired: take the timeout exit, or, if an event won, make sure its next step is enqueued. */
export async function handleTimeout(c: Container, runId: string, stepId: string): Promise<void> {
  if (await resumeWaitingStep(c, runId, stepId, { by: 'timeout' })) return;
  await reenqueueAfterResume(c, runId, stepId);
}

/** After a crash between a resume's commit and its enqueue, the redelivered job lands here. */
export async function reenqueueAfterResume(c: Container, runId: string, stepId: string): Promise<void> {
  const rows: { next_step_id: string | null; workflow_id: string; workflow_version: number }[] = await c.db.query(
    `SELECT s.next_step_id, r.workflow_id, r.workflow_version FROM run_steps s JOIN runs r ON r.id = s.run_id
     WHERE s.run_id = $1 AND s.step_id = $2 AND s.status = 'completed' AND r.status = 'running'`,
    [runId, stepId],
  );
  const row = rows[0];
  if (!row?.next_step_id) return;
  const definition = await loadWorkflowVersion(c.db.manager, row.workflow_id, row.workflow_version);
  await scheduleSteps(c.queues, definition, [{ runId, stepId: row.next_step_id }]);
}
