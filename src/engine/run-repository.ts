import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
export type StepStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled';
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'cancelled'];

export interface RunRow {
  id: string;
  account_id: string;
  workflow_id: string;
  workflow_version: number;
  contact_id: string;
  status: RunStatus;
  current_step_id: string | null;
  trigger: { type: string; data: Record<string, unknown>; eventId?: string };
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export interface RunStepRow {
  run_id: string;
  step_id: string;
  type: string;
  seq: number;
  status: StepStatus;
  attempts: number;
  output: unknown;
  error: string | null;
  next_step_id: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export async function findRun(tx: Tx, runId: string, options: { forUpdate?: boolean } = {}): Promise<RunRow | null> {
  const rows: RunRow[] = await tx.query(`SELECT * FROM runs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [runId]);
  return rows[0] ?? null;
}

export async function findRunStep(tx: Tx, runId: string, stepId: string, options: { forUpdate?: boolean } = {}): Promise<RunStepRow | null> {
  const rows: RunStepRow[] = await tx.query(
    `SELECT * FROM run_steps WHERE run_id = $1 AND step_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [runId, stepId],
  );
  return rows[0] ?? null;
}

export async function listRunSteps(tx: Tx, runId: string): Promise<RunStepRow[]> {
  return tx.query('SELECT * FROM run_steps WHERE run_id = $1 ORDER BY seq', [runId]);
}

/**
 * Starts (or restarts after a crash or a failed attempt) a step: inserts its row, or bumps the attempt
 * count of a row still `running`. Returns null when the step is already past running (completed,
 * skipped, waiting, failed, cancelled) or the run no longer runs: the caller must not execute it.
 */
export async function claimStep(tx: Tx, options: { runId: string; stepId: string; type: string }): Promise<{ attempts: number } | null> {
  // One statement, so one round trip and atomic without an explicit transaction.
  const rows: { attempts: number }[] = await tx.query(
    `WITH claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts)
       SELECT $1, $2, $3, (SELECT count(*) FROM run_steps WHERE run_id = $1), 'running', 1
       WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1 AND status = 'running')
       ON CONFLICT (run_id, step_id) DO UPDATE SET attempts = run_steps.attempts + 1, error = NULL
         WHERE run_steps.status = 'running'
       RETURNING attempts
     ), moved AS (
       UPDATE runs SET current_step_id = $2, updated_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM claimed)
     )
     SELECT attempts FROM claimed`,
    [options.runId, options.stepId, options.type],
  );
  return rows[0] ?? null;
}

export async function recordStepError(tx: Tx, runId: string, stepId: string, error: string): Promise<void> {
  await tx.query(`UPDATE run_steps SET error = $3 WHERE run_id = $1 AND step_id = $2 AND status = 'running'`, [runId, stepId, error]);
}

/** Ends a running step; only the first caller wins (status must still be `running`). */
export async function finishStep(
  tx: Tx,
  options: { runId: string; stepId: string; status: 'completed' | 'skipped' | 'failed'; output?: unknown; error?: string | null; nextStepId: string | null },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE run_steps SET status = $3, output = $4, error = $5, next_step_id = $6, finished_at = now()
     WHERE run_id = $1 AND step_id = $2 AND status = 'running' RETURNING 1`,
    [options.runId, options.stepId, options.status, jsonOrNull(options.output), options.error ?? null, options.nextStepId],
  );
  return rows.length > 0;
}

export async function markStepWaiting(tx: Tx, options: { runId: string; stepId: string; output: unknown; event: string | null; until: Date | null }): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE run_steps SET status = 'waiting', output = $3 WHERE run_id = $1 AND step_id = $2 AND status = 'running' RETURNING 1`,
    [options.runId, options.stepId, jsonOrNull(options.output)],
  );
  if (rows.length === 0) return false;
  await tx.query(
    `UPDATE runs SET status = 'waiting', wait_event = $2, wait_until = $3, updated_at = now() WHERE id = $1 AND status = 'running'`,
    [options.runId, options.event, options.until],
  );
  return true;
}

/**
 * Ends a running step and moves its run on to `nextStepId` (or completes the run when there is none),
 * in one statement. Only the first caller wins: the step must still be `running`, the run still live.
 */
export async function finishStepAndAdvance(
  tx: Tx,
  options: { runId: string; stepId: string; status: 'completed' | 'skipped'; output: unknown; nextStepId: string | null },
): Promise<boolean> {
  const rows: { finished: string }[] = await tx.query(
    `WITH finished AS (
       UPDATE run_steps SET status = $3, output = $4, error = NULL, next_step_id = $5, finished_at = now()
       WHERE run_id = $1 AND step_id = $2 AND status = 'running' RETURNING 1
     ), advanced AS (
       UPDATE runs SET
         status = CASE WHEN $5::text IS NULL THEN 'completed' ELSE 'running' END,
         current_step_id = $5, wait_event = NULL, wait_until = NULL,
         finished_at = CASE WHEN $5::text IS NULL THEN now() END, updated_at = now()
       WHERE id = $1 AND status IN ('running', 'waiting') AND EXISTS (SELECT 1 FROM finished)
     )
     SELECT count(*) AS finished FROM finished`,
    [options.runId, options.stepId, options.status, jsonOrNull(options.output), options.nextStepId],
  );
  return rows[0]?.finished === '1';
}

/** Moves a run on to `nextStepId`, or completes it when there is none. */
export async function advanceRun(tx: Tx, runId: string, nextStepId: string | null): Promise<void> {
  if (nextStepId === null) {
    await tx.query(
      `UPDATE runs SET status = 'completed', current_step_id = NULL, wait_event = NULL, wait_until = NULL,
         finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('running', 'waiting')`,
      [runId],
    );
    return;
  }
  await tx.query(
    `UPDATE runs SET status = 'running', current_step_id = $2, wait_event = NULL, wait_until = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('running', 'waiting')`,
    [runId, nextStepId],
  );
}

export async function failRun(tx: Tx, runId: string, error: string): Promise<void> {
  await tx.query(
    `UPDATE runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status IN ('running', 'waiting')`,
    [runId, error],
  );
}

/** Cancels a live run and its waiting/running step. Returns false when the run had already ended. */
export async function cancelRun(tx: Tx, runId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE runs SET status = 'cancelled', wait_event = NULL, wait_until = NULL, finished_at = now(), updated_at = now()
     WHERE id = $1 AND status IN ('running', 'waiting') RETURNING 1`,
    [runId],
  );
  if (rows.length === 0) return false;
  await tx.query(
    `UPDATE run_steps SET status = 'cancelled', finished_at = now() WHERE run_id = $1 AND status IN ('running', 'waiting')`,
    [runId],
  );
  return true;
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
