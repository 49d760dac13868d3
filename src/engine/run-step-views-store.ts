/**
 * Read-only views of run_steps for the console and the API (a workflow's funnel, a contact's
 * timeline): the engine's statements on the table are in run-step-store.ts.
 */
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import { cursorTimeSql } from '../lib/keyset-cursor';
import type { RunStepRow } from './run-step-store';

/** One step's line of a workflow's funnel: how many runs reached it, by the state their step is in. */
export interface StepFunnelRow {
  step_id: string;
  reached: number;
  completed: number;
  failed: number;
  /** Waiting, or running (claimed by a worker right now). */
  waiting: number;
  skipped: number;
}

/**
 * The funnel of a workflow's real runs (test runs left out) started in [from, to), by step. About
 * steps, so it lives here although it filters on runs: runs_workflow_started finds the runs, the
 * run_steps primary key their steps; no other run of the workflow or the account is read.
 */
export async function selectStepFunnel(
  tx: Tx,
  options: { workflowId: string; from: Date; to: Date },
): Promise<StepFunnelRow[]> {
  return queryRows<StepFunnelRow>(
    tx,
    `SELECT s.step_id, count(*)::int AS reached,
       count(*) FILTER (WHERE s.status = 'completed')::int AS completed,
       count(*) FILTER (WHERE s.status = 'failed')::int AS failed,
       count(*) FILTER (WHERE s.status IN ('waiting', 'running'))::int AS waiting,
       count(*) FILTER (WHERE s.status = 'skipped')::int AS skipped
     FROM runs r JOIN run_steps s ON s.run_id = r.id
     WHERE r.workflow_id = $1 AND r.started_at >= $2 AND r.started_at < $3 AND NOT r.is_test
     GROUP BY s.step_id`,
    [options.workflowId, options.from, options.to],
  );
}

/**
 * A step as the contact timeline shows it: times as cursor times (microseconds), and of its output
 * only what a sentence needs (a wait's state, how a wait ended), never outputs or event data whole.
 */
export interface TimelineStepRow extends Pick<
  RunStepRow,
  'run_id' | 'step_id' | 'type' | 'seq' | 'status' | 'attempts' | 'error'
> {
  started_at_us: string;
  finished_at_us: string | null;
  /** The output's `wait` (see wait-state.ts); null for a step that never waited. */
  wait: unknown;
  /** `event` or `timeout`, for a wait that ended. */
  resumed_by: string | null;
  /** The type of the event that ended a wait. */
  resumed_event: string | null;
}

/**
 * The steps of these runs with something inside [since, until] (either bound open when null): a step
 * starts by `until` and ends (or is still going) at or after `since`. By the run_steps primary key,
 * a run at a time; at most `limit`, latest first.
 */
export async function selectTimelineSteps(
  tx: Tx,
  options: { runIds: string[]; since: string | null; until: string | null; limit: number },
): Promise<TimelineStepRow[]> {
  if (options.runIds.length === 0) return [];
  return queryRows<TimelineStepRow>(
    tx,
    `SELECT run_id, step_id, type, seq, status, attempts, error,
       ${cursorTimeSql('started_at')} AS started_at_us, ${cursorTimeSql('finished_at')} AS finished_at_us,
       output->'wait' AS wait, output->>'resumedBy' AS resumed_by, output->'event'->>'type' AS resumed_event
     FROM run_steps
     WHERE run_id = ANY ($1::uuid[]) AND ($2::timestamptz IS NULL OR coalesce(finished_at, started_at) >= $2)
       AND ($3::timestamptz IS NULL OR started_at <= $3)
     ORDER BY coalesce(finished_at, started_at) DESC LIMIT $4`,
    [options.runIds, options.since, options.until, options.limit],
  );
}
