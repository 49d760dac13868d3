import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { toStorableText } from '../lib/storable-json';

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
  /** The owner of the current claim (see claimStep); null before the first claim. */
  claim_token: string | null;
}

/** A step claimed by this execution: `claimToken` must be shown to record anything about it. */
export interface StepClaim {
  attempts: number;
  claimToken: string;
}

/** Which step, and which claim of it, a record is for. */
export interface ClaimedStep {
  runId: string;
  stepId: string;
  claimToken: string;
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
 * Every claim writes a fresh token, returned: only its holder can record the step. A worker whose job
 * BullMQ declared stalled and handed to another (a frozen event loop, a lost lock) still executes,
 * but the second claim replaced its token, so it records nothing and does not advance the run.
 */
export async function claimStep(tx: Tx, options: { runId: string; stepId: string; type: string }): Promise<StepClaim | null> {
  // One statement, so one round trip and atomic without an explicit transaction.
  const rows: { attempts: number; claim_token: string }[] = await tx.query(
    `WITH claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, claim_token)
       SELECT $1, $2, $3, (SELECT count(*) FROM run_steps WHERE run_id = $1), 'running', 1, gen_random_uuid()
       WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1 AND status = 'running')
       ON CONFLICT (run_id, step_id) DO UPDATE
         SET attempts = run_steps.attempts + 1, error = NULL, type = EXCLUDED.type, claim_token = EXCLUDED.claim_token
         WHERE run_steps.status = 'running'
       RETURNING attempts, claim_token
     ), moved AS (
       UPDATE runs SET current_step_id = $2, updated_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM claimed)
     )
     SELECT attempts, claim_token FROM claimed`,
    [options.runId, options.stepId, options.type],
  );
  const row = rows[0];
  return row ? { attempts: row.attempts, claimToken: row.claim_token } : null;
}

/** Notes a failed attempt's error on a step the caller still holds (it stays `running`). */
export async function recordStepError(tx: Tx, options: ClaimedStep & { error: string }): Promise<void> {
  await tx.query(
    `UPDATE run_steps SET error = $4 WHERE run_id = $1 AND step_id = $2 AND status = 'running' AND claim_token = $3`,
    [options.runId, options.stepId, options.claimToken, toStorableText(options.error)],
  );
}

export async function markStepWaiting(tx: Tx, options: ClaimedStep & { output: unknown; event: string | null; until: Date | null }): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE run_steps SET status = 'waiting', output = $4
     WHERE run_id = $1 AND step_id = $2 AND status = 'running' AND claim_token = $3 RETURNING 1`,
    [options.runId, options.stepId, options.claimToken, jsonOrNull(options.output)],
  );
  if (rows.length === 0) return false;
  await tx.query(
    `UPDATE runs SET status = 'waiting', wait_event = $2, wait_until = $3, updated_at = now() WHERE id = $1 AND status = 'running'`,
    [options.runId, options.event, options.until],
  );
  return true;
}

/**
 * Fails a step and its run, in one statement, with the error on both; for failures the action did
 * not steer (storing its output failed, its workflow version cannot be loaded, BullMQ gave up on its
 * job). The step row is written as `failed` when it is absent (the step never got as far as its
 * claim) or still `running` and, when `claimToken` is given, held by it. `type` is only written to an
 * absent row; null reads it from the stored version (else `unknown`; the next claim corrects it).
 * Returns false when there was nothing to fail.
 */
export async function failStepAndRun(
  tx: Tx,
  options: { runId: string; stepId: string; claimToken: string | null; type: string | null; error: string },
): Promise<boolean> {
  const error = toStorableText(options.error);
  const rows: { failed: string }[] = await tx.query(
    `WITH version_type AS (
       SELECT step->>'type' AS type
       FROM runs r JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.version = r.workflow_version,
         jsonb_array_elements(CASE WHEN jsonb_typeof(v.definition->'steps') = 'array' THEN v.definition->'steps' ELSE '[]' END) step
       WHERE r.id = $1 AND step->>'id' = $2 LIMIT 1
     ), failed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, error, finished_at)
       SELECT $1, $2, coalesce($4, (SELECT type FROM version_type), 'unknown'), (SELECT count(*) FROM run_steps WHERE run_id = $1),
         'failed', 0, $5, now()
       WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1 AND status IN ('running', 'waiting') AND coalesce(current_step_id, $2) = $2)
       ON CONFLICT (run_id, step_id) DO UPDATE SET status = 'failed', error = $5, next_step_id = NULL, finished_at = now()
         WHERE run_steps.status = 'running' AND ($3::uuid IS NULL OR run_steps.claim_token = $3::uuid)
       RETURNING 1
     ), ended AS (
       UPDATE runs SET status = 'failed', error = $6, wait_event = NULL, wait_until = NULL, finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('running', 'waiting') AND EXISTS (SELECT 1 FROM failed)
     )
     SELECT count(*) AS failed FROM failed`,
    [options.runId, options.stepId, options.claimToken, options.type, error, `step '${options.stepId}' failed: ${error}`],
  );
  return rows[0]?.failed === '1';
}

/**
 * Ends a running step and moves its run on to `nextStepId` (or completes the run when there is none),
 * in one statement. Only the first caller wins: the step must still be `running` and held by the
 * caller's claim, the run still live.
 */
export async function finishStepAndAdvance(
  tx: Tx,
  options: ClaimedStep & { status: 'completed' | 'skipped'; output: unknown; nextStepId: string | null },
): Promise<boolean> {
  const rows: { finished: string }[] = await tx.query(
    `WITH finished AS (
       UPDATE run_steps SET status = $4, output = $5, error = NULL, next_step_id = $6, finished_at = now()
       WHERE run_id = $1 AND step_id = $2 AND status = 'running' AND claim_token = $3 RETURNING 1
     ), advanced AS (
       UPDATE runs SET
         status = CASE WHEN $6::text IS NULL THEN 'completed' ELSE 'running' END,
         current_step_id = $6, wait_event = NULL, wait_until = NULL,
         finished_at = CASE WHEN $6::text IS NULL THEN now() END, updated_at = now()
       WHERE id = $1 AND status IN ('running', 'waiting') AND EXISTS (SELECT 1 FROM finished)
     )
     SELECT count(*) AS finished FROM finished`,
    [options.runId, options.stepId, options.claimToken, options.status, jsonOrNull(options.output), options.nextStepId],
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
    [runId, toStorableText(error)],
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
