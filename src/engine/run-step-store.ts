/**
 * Every statement on the run_steps table. The step claim, finish and failure move the step's run in
 * the same statement (one round trip, atomic without an explicit transaction): they are about the
 * step, so they live here; a run's own statements are in run-store.ts, which this store may import.
 */
import type { Tx } from '../db/data-source';
import { checkedOnRow } from '../db/row-check';
import { execute, queryRows } from '../db/sql';
import { toStorableText } from '../lib/storable-json';
import type { RunLane } from '../queue/run-lanes';
import { markRunWaiting, type RunRow, type RunStatus } from './run-store';

export type StepStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'skipped' | 'cancelled';

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

/** The columns of RunStepRow (`resumed_by_event` stays inside this store). */
const STEP_COLUMNS =
  'run_id, step_id, type, seq, status, attempts, output, error, next_step_id, started_at, finished_at, claim_token';

/**
 * The end of every claim's INSERT: a row already there is claimed again only while it is `running` (a
 * retry, or a redelivery after a crash), with one more attempt and a fresh token; a row past running
 * is left alone and nothing is returned, so the caller does not execute the step.
 */
export const RECLAIM_ON_CONFLICT_SET = `ON CONFLICT (run_id, step_id) DO UPDATE
         SET attempts = run_steps.attempts + 1, error = NULL, type = EXCLUDED.type, claim_token = EXCLUDED.claim_token`;
export const RECLAIM_ON_CONFLICT_WHERE = `WHERE run_steps.status = 'running'`;
export const RECLAIM_ON_CONFLICT = `${RECLAIM_ON_CONFLICT_SET}
         ${RECLAIM_ON_CONFLICT_WHERE}`;
const RECLAIM_IF_RUNNING = `${RECLAIM_ON_CONFLICT}
       RETURNING attempts, claim_token, seq`;

/** A step claimed by this execution: `claimToken` must be shown to record anything about it. */
export interface StepClaim {
  attempts: number;
  claimToken: string;
  /** The step's place in its run: 0 for the run's first row (no step was recorded before it). */
  seq: number;
}

/** Which step, and which claim of it, a record is for. */
export interface ClaimedStep {
  runId: string;
  stepId: string;
  claimToken: string;
}

export async function findRunStep(
  tx: Tx,
  runId: string,
  stepId: string,
  options: { forUpdate?: boolean } = {},
): Promise<RunStepRow | null> {
  const rows = await queryRows<RunStepRow>(
    tx,
    `SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = $1 AND step_id = $2${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [runId, stepId],
  );
  return rows[0] ?? null;
}

/** A step with where its run stands now, as a redelivered job of the step reads them (one round trip). */
export interface StepAndRun {
  status: StepStatus;
  next_step_id: string | null;
  output: unknown;
  run_status: RunStatus;
  current_step_id: string | null;
}

export async function findStepAndRun(tx: Tx, runId: string, stepId: string): Promise<StepAndRun | null> {
  const rows = await queryRows<StepAndRun>(
    tx,
    `SELECT s.status, s.next_step_id, s.output, r.status AS run_status, r.current_step_id
     FROM run_steps s JOIN runs r ON r.id = s.run_id WHERE s.run_id = $1 AND s.step_id = $2`,
    [runId, stepId],
  );
  return rows[0] ?? null;
}

export async function listRunSteps(tx: Tx, runId: string): Promise<RunStepRow[]> {
  return queryRows<RunStepRow>(tx, `SELECT ${STEP_COLUMNS} FROM run_steps WHERE run_id = $1 ORDER BY seq`, [runId]);
}

/**
 * Starts (or restarts after a crash or a failed attempt) a step: inserts its row, or bumps the attempt
 * count of a row still `running`. Returns null when the step is already past running (completed,
 * skipped, waiting, failed, cancelled) or the run no longer runs: the caller must not execute it.
 * Every claim writes a fresh token, returned: only its holder can record the step. A worker whose job
 * BullMQ declared stalled and handed to another (a frozen event loop, a lost lock) still executes,
 * but the second claim replaced its token, so it records nothing and does not advance the run.
 */
export async function claimStep(
  tx: Tx,
  options: { runId: string; stepId: string; type: string },
): Promise<StepClaim | null> {
  // One statement, so one round trip and atomic without an explicit transaction.
  const rows = await queryRows<{ attempts: number; claim_token: string; seq: number }>(
    tx,
    `WITH claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, claim_token)
       SELECT $1, $2, $3, (SELECT count(*) FROM run_steps WHERE run_id = $1), 'running', 1, gen_random_uuid()
       WHERE EXISTS (SELECT 1 FROM runs WHERE id = $1 AND ${checkedOnRow("status = 'running'")})
       ${RECLAIM_IF_RUNNING}
     ), moved AS (
       UPDATE runs SET current_step_id = $2, updated_at = now() WHERE id = $1 AND EXISTS (SELECT 1 FROM claimed)
     )
     SELECT attempts, claim_token, seq FROM claimed`,
    [options.runId, options.stepId, options.type],
  );
  const row = rows[0];
  return row ? { attempts: row.attempts, claimToken: row.claim_token, seq: row.seq } : null;
}

/** The column lists of the rows a run's context is built from, as the stores of those tables write them. */
export interface ContextColumns {
  contact: string;
  account: string;
}

/**
 * The subselects that read a claimed step's context rows (ContextRows' contact and account) for the
 * run aliased `run`, by primary key: openSteps' and the enrolment's claim read them alike.
 */
export function contextRowsSql(columns: ContextColumns, run: string): { contact: string; account: string } {
  return {
    contact: `(SELECT row_to_json(x) FROM (SELECT ${columns.contact} FROM contacts WHERE id = ${run}.contact_id AND account_id = ${run}.account_id) x)`,
    account: `(SELECT row_to_json(x) FROM (SELECT ${columns.account} FROM accounts WHERE id = ${run}.account_id) x)`,
  };
}

/** A row of listRecordedStepOutputs. */
export interface RecordedOutputRow {
  step_id: string;
  type: string;
  output: unknown;
}

/** The rows a run's context is built from, as openSteps reads them (src/actions/run-context.ts maps them). */
export interface ContextRows {
  /** The run's contact and account as `row_to_json` writes them (timestamps as ISO text); null when absent. */
  contact: Record<string, unknown> | null;
  account: Record<string, unknown> | null;
  /** listRecordedStepOutputs' rows; none are read when the claimed step is the run's first (seq 0). */
  outputs: RecordedOutputRow[];
}

/** What a step job starts from: its run, its step's claim and, with the claim, its context's rows. */
export interface OpenedStep {
  run: RunRow;
  /** Null: not claimed (the run does not run, the step is past running, or the run's version has no such step). */
  claim: StepClaim | null;
  /** Read only when the step was claimed. */
  context: ContextRows | null;
}

/** RunRow's columns (run-store.ts's list), of the run `r` openSteps reads. */
const OPENED_RUN_COLUMNS =
  'r.id, r.account_id, r.workflow_id, r.workflow_version, r.contact_id, r.status, r.current_step_id, r.trigger, r.error, r.started_at, r.finished_at, r.is_test, r.lane';

/** Which step of which run a job opens. */
export interface StepOpen {
  runId: string;
  stepId: string;
}

/**
 * Step jobs' openings, each in one statement with the openings of the process's other jobs of the
 * moment (the group commit of src/engine/step-open-writer.ts): one round trip, one commit before the
 * actions. For each: the run, the claim of the job's step (exactly claimStep's), and when the claim
 * was made the rows the run's context is built from, read in the claim's snapshot. The claim's type
 * is the step's in the run's stored version (the job does not know the version before it has read the
 * run); a step the version does not have is not claimed, so the caller fails the run as it would
 * without a claim. Null for an opening of no run. The returned run is as it was before the claim
 * moved it to the step. One result per opening, in order; no two openings may be of one run (a
 * statement may not claim a row twice); rows are claimed in run order.
 */
export async function openSteps(tx: Tx, opens: StepOpen[], columns: ContextColumns): Promise<(OpenedStep | null)[]> {
  if (opens.length === 0) return [];
  const read = contextRowsSql(columns, 'r');
  const rows = await queryRows<
    RunRow & {
      n: number;
      attempts: number | null;
      claim_token: string | null;
      seq: number | null;
      contact: Record<string, unknown> | null;
      account: Record<string, unknown> | null;
      outputs: RecordedOutputRow[] | null;
    }
  >(
    tx,
    // Every read is by a primary key: runs, workflow_versions, contacts, accounts, run_steps (run_id, …).
    `WITH opens AS (
       SELECT (o.n - 1)::int AS n, o.run_id, o.step_id FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS o(run_id, step_id, n)
     ), claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, claim_token)
       SELECT o.run_id, o.step_id, t.type, (SELECT count(*) FROM run_steps s WHERE s.run_id = o.run_id), 'running', 1, gen_random_uuid()
       FROM opens o JOIN runs r ON r.id = o.run_id
         JOIN workflow_versions v ON v.workflow_id = r.workflow_id AND v.version = r.workflow_version,
         LATERAL (SELECT jsonb_path_query_first(v.definition, '$.steps[*] ? (@.id == $id).type', jsonb_build_object('id', o.step_id)) #>> '{}' AS type) t
       WHERE ${checkedOnRow("r.status = 'running'")} AND t.type IS NOT NULL
       ORDER BY o.run_id
       ${RECLAIM_ON_CONFLICT}
       RETURNING run_id, attempts, claim_token, seq
     ), moved AS (
       UPDATE runs SET current_step_id = o.step_id, updated_at = now()
       FROM claimed c JOIN opens o ON o.run_id = c.run_id WHERE runs.id = c.run_id
     )
     SELECT o.n, ${OPENED_RUN_COLUMNS}, c.attempts, c.claim_token, c.seq,
       CASE WHEN c.seq IS NOT NULL THEN ${read.contact} END AS contact,
       CASE WHEN c.seq IS NOT NULL THEN ${read.account} END AS account,
       CASE WHEN c.seq > 0 THEN
         (SELECT json_agg(json_build_object('step_id', step_id, 'type', type, 'output', output) ORDER BY seq)
          FROM run_steps WHERE run_id = o.run_id AND status IN ('completed', 'skipped', 'waiting'))
       END AS outputs
     FROM opens o JOIN runs r ON r.id = o.run_id LEFT JOIN claimed c ON c.run_id = o.run_id`,
    [opens.map((open) => open.runId), opens.map((open) => open.stepId)],
    { prepare: 'step-open-batch' },
  );
  const opened: (OpenedStep | null)[] = opens.map(() => null);
  for (const { n, attempts, claim_token: claimToken, seq, contact, account, outputs, ...run } of rows) {
    opened[n] =
      claimToken === null
        ? { run, claim: null, context: null }
        : {
            run,
            claim: { attempts: attempts!, claimToken, seq: seq! },
            context: { contact, account, outputs: outputs ?? [] },
          };
  }
  return opened;
}

/** Notes a failed attempt's error on a step the caller still holds (it stays `running`). */
export async function recordStepError(tx: Tx, options: ClaimedStep & { error: string }): Promise<void> {
  await execute(
    tx,
    `UPDATE run_steps SET error = $4 WHERE run_id = $1 AND step_id = $2 AND status = 'running' AND claim_token = $3`,
    [options.runId, options.stepId, options.claimToken, toStorableText(options.error)],
  );
}

/**
 * A running step the caller still holds starts waiting, with its output (the wait state); then its run
 * does (run-store's markRunWaiting), in the caller's transaction. False when the claim was lost.
 */
export async function markStepWaiting(
  tx: Tx,
  options: ClaimedStep & { output: unknown; event: string | null; until: Date | null },
): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE run_steps SET status = 'waiting', output = $4
     WHERE run_id = $1 AND step_id = $2 AND status = 'running' AND claim_token = $3 RETURNING 1`,
    [options.runId, options.stepId, options.claimToken, jsonOrNull(options.output)],
  );
  if (rows.length === 0) return false;
  await markRunWaiting(tx, { runId: options.runId, event: options.event, until: options.until });
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
  // Reads the step's type from the run's stored version (workflow_versions) in the same statement.
  const rows = await queryRows<{ failed: string }>(
    tx,
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
    [
      options.runId,
      options.stepId,
      options.claimToken,
      options.type,
      error,
      `step '${options.stepId}' failed: ${error}`,
    ],
  );
  return rows[0]?.failed === '1';
}

/** The run's live (running or waiting) steps are cancelled with it (see run-cancel.ts). */
export async function cancelLiveSteps(tx: Tx, runId: string): Promise<void> {
  await execute(
    tx,
    `UPDATE run_steps SET status = 'cancelled', finished_at = now() WHERE run_id = $1 AND status IN ('running', 'waiting')`,
    [runId],
  );
}

/** Outputs of the run's steps that produced one (completed, skipped, or waiting with its wait state), in order. */
export async function listRecordedStepOutputs(tx: Tx, runId: string): Promise<RecordedOutputRow[]> {
  return queryRows(
    tx,
    `SELECT step_id, type, output FROM run_steps WHERE run_id = $1 AND status IN ('completed', 'skipped', 'waiting') ORDER BY seq`,
    [runId],
  );
}

/**
 * The failed run's failed step goes back to `running` (its attempt count goes on, its last error and
 * output stay visible until the next attempt); null when the run has no failed step.
 */
export async function reopenFailedStep(tx: Tx, runId: string): Promise<{ step_id: string; attempts: number } | null> {
  const rows = await queryRows<{ step_id: string; attempts: number }>(
    tx,
    // No claim holds the step until the retry job claims it: a worker of an earlier attempt records nothing.
    `UPDATE run_steps SET status = 'running', finished_at = NULL, next_step_id = NULL, claim_token = NULL
     WHERE run_id = $1 AND status = 'failed' RETURNING step_id, attempts`,
    [runId],
  );
  return rows[0] ?? null;
}

/** A reopened step no claim has taken since goes back to failed; false when it is no longer `running`. */
export async function failReopenedStep(tx: Tx, runId: string, stepId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE run_steps SET status = 'failed', finished_at = now() WHERE run_id = $1 AND step_id = $2 AND status = 'running' RETURNING 1`,
    [runId, stepId],
  );
  return rows.length > 0;
}

/** A waiting step with its run's workflow version, as resuming it reads them. */
export interface WaitingStepRow {
  workflow_id: string;
  workflow_version: number;
  /** The run's lane, for the job of the step it resumes to. */
  lane: RunLane;
  output: Record<string, unknown> | null;
}

/**
 * The waiting step of a waiting run, both rows locked until the transaction ends; null when either has
 * moved on. Event and timer may race: the locks and the `status = 'waiting'` conditions let exactly
 * one of them through. Joins the run (its version, its lock); answers about the step.
 */
export async function lockWaitingStep(tx: Tx, runId: string, stepId: string): Promise<WaitingStepRow | null> {
  const rows = await queryRows<WaitingStepRow>(
    tx,
    `SELECT r.workflow_id, r.workflow_version, r.lane, s.output
     FROM runs r JOIN run_steps s ON s.run_id = r.id
     WHERE r.id = $1 AND s.step_id = $2 AND ${checkedOnRow("r.status = 'waiting'")} AND s.status = 'waiting'
     FOR UPDATE OF r, s`,
    [runId, stepId],
  );
  return rows[0] ?? null;
}

/**
 * Completes a waiting step through the exit `next`. `resumed_by_event` repeats the output's
 * `resumedByEvent` in an indexed column: a redelivered event finds the steps it resumed by that index,
 * never by reading every step's JSON.
 */
export async function completeWaitingStep(
  tx: Tx,
  options: { runId: string; stepId: string; output: unknown; next: string | null; resumedByEvent: string | null },
): Promise<void> {
  await execute(
    tx,
    `UPDATE run_steps SET status = 'completed', output = $3, next_step_id = $4, resumed_by_event = $5, finished_at = now()
     WHERE run_id = $1 AND step_id = $2 AND status = 'waiting'`,
    [options.runId, options.stepId, JSON.stringify(options.output), options.next, options.resumedByEvent],
  );
}

/** A completed step of a running run: where it went on to, and the run's workflow version. */
export async function findCompletedStepOfRunningRun(
  tx: Tx,
  runId: string,
  stepId: string,
): Promise<{ next_step_id: string | null; workflow_id: string; workflow_version: number; lane: RunLane } | null> {
  const rows = await queryRows<{
    next_step_id: string | null;
    workflow_id: string;
    workflow_version: number;
    lane: RunLane;
  }>(
    tx,
    `SELECT s.next_step_id, r.workflow_id, r.workflow_version, r.lane FROM run_steps s JOIN runs r ON r.id = s.run_id
     WHERE s.run_id = $1 AND s.step_id = $2 AND s.status = 'completed' AND ${checkedOnRow("r.status = 'running'")}`,
    [runId, stepId],
  );
  return rows[0] ?? null;
}

/** A JSON column's parameter: the value's JSON text, or NULL for no value. */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
