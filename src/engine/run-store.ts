/**
 * Every statement on the runs table. A statement that moves a run together with its step, in one
 * statement (the step claim, finish and failure), is about the step: it is in run-step-store.ts,
 * which may import this store; this store never imports that one.
 */
import type { Tx } from '../db/data-source';
import { checkedOnRow } from '../db/row-check';
import { execute, queryRows } from '../db/sql';
import { cursorTimeSql, type CursorPosition } from '../lib/keyset-cursor';
import { toStorableText } from '../lib/storable-json';
import type { RunLane } from '../queue/run-lanes';

export type RunStatus = 'running' | 'waiting' | 'completed' | 'failed' | 'cancelled';
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
  /** Started by "Test" in the builder: ignores re-entry and draft status; lists mark it. */
  is_test: boolean;
  /** The queue of the run's jobs, fixed at its creation: `campaign` for a campaign's runs (src/queue/run-lanes.ts). */
  lane: RunLane;
}

/** The columns of RunRow (`enrol_key`, `wait_event`, `wait_until` and `updated_at` stay inside this store). */
const RUN_COLUMNS =
  'id, account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, error, started_at, finished_at, is_test, lane';

/** A row of a page, with its position for the next cursor. */
export type PagedRunRow = RunRow & { position_at: string };

export async function findRun(tx: Tx, runId: string, options: { forUpdate?: boolean } = {}): Promise<RunRow | null> {
  const rows = await queryRows<RunRow>(
    tx,
    `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`,
    [runId],
  );
  return rows[0] ?? null;
}

/** The account's run; null when there is none (`runId` must be a uuid). */
export async function findAccountRun(tx: Tx, accountId: string, runId: string): Promise<RunRow | null> {
  const rows = await queryRows<RunRow>(tx, `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 AND account_id = $2`, [
    runId,
    accountId,
  ]);
  return rows[0] ?? null;
}

/** The run, locked until the transaction ends: of `accountId` when given, of any account otherwise. */
export async function lockRun(tx: Tx, runId: string, accountId: string | undefined): Promise<RunRow | null> {
  const rows = await queryRows<RunRow>(
    tx,
    `SELECT ${RUN_COLUMNS} FROM runs WHERE id = $1 AND ($2::uuid IS NULL OR account_id = $2) FOR UPDATE`,
    [runId, accountId ?? null],
  );
  return rows[0] ?? null;
}

/** The account's run's status, the run locked until the transaction ends; null when there is none. */
export async function lockAccountRunStatus(tx: Tx, accountId: string, runId: string): Promise<RunStatus | null> {
  const rows = await queryRows<{ status: RunStatus }>(
    tx,
    'SELECT status FROM runs WHERE id = $1 AND account_id = $2 FOR UPDATE',
    [runId, accountId],
  );
  return rows[0]?.status ?? null;
}

/** The account's runs, newest first, before `before` on (started_at, id); at most `limit` rows. */
export async function listAccountRuns(
  tx: Tx,
  accountId: string,
  filter: {
    workflowId?: string;
    contactId?: string;
    status?: RunStatus;
    /** Only test runs (true), only real ones (false), or both (undefined). */
    test?: boolean;
    before: CursorPosition | null;
    limit: number;
  },
): Promise<PagedRunRow[]> {
  const { before } = filter;
  return queryRows<PagedRunRow>(
    tx,
    `SELECT ${RUN_COLUMNS}, ${cursorTimeSql('started_at')} AS position_at FROM runs WHERE account_id = $1
       AND ($2::uuid IS NULL OR workflow_id = $2) AND ($3::uuid IS NULL OR contact_id = $3) AND ($4::text IS NULL OR status = $4)
       AND ($5::timestamptz IS NULL OR (started_at, id) < ($5::timestamptz, $6::uuid))
       AND ($8::boolean IS NULL OR is_test = $8)
     ORDER BY started_at DESC, id DESC LIMIT $7`,
    [
      accountId,
      filter.workflowId ?? null,
      filter.contactId ?? null,
      filter.status ?? null,
      before?.at ?? null,
      before?.id ?? null,
      filter.limit,
      filter.test ?? null,
    ],
  );
}

/** The run created for `enrolKey` (why it exists), if any. */
export async function findRunByEnrolKey(
  tx: Tx,
  enrolKey: string,
): Promise<Pick<RunRow, 'id' | 'current_step_id' | 'status' | 'lane'> | null> {
  const rows = await queryRows<Pick<RunRow, 'id' | 'current_step_id' | 'status' | 'lane'>>(
    tx,
    'SELECT id, current_step_id, status, lane FROM runs WHERE enrol_key = $1',
    [enrolKey],
  );
  return rows[0] ?? null;
}

export interface NewRun {
  /** Use this id (a manual run whose id was promised to the caller); null for a new one. */
  id: string | null;
  accountId: string;
  workflowId: string;
  workflowVersion: number;
  contactId: string;
  firstStepId: string;
  trigger: RunRow['trigger'];
  enrolKey: string;
  /** A test run (see RunRow.is_test). Default false. */
  isTest?: boolean;
  /** The run's lane (see RunRow.lane). Default interactive. */
  lane?: RunLane;
}

/** Inserts a `running` run standing at its first step; returns its id. */
export async function insertRun(tx: Tx, run: NewRun): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `INSERT INTO runs (id, account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key, is_test, lane)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, 'running', $6, $7, $8, $9, $10)
     RETURNING id`,
    [
      run.id,
      run.accountId,
      run.workflowId,
      run.workflowVersion,
      run.contactId,
      run.firstStepId,
      JSON.stringify(run.trigger),
      run.enrolKey,
      run.isTest ?? false,
      run.lane ?? 'interactive',
    ],
  );
  return rows[0]!.id;
}

/**
 * One `running` run per contact, enrol key `campaign:<campaignId>:<contact>`, on the campaign lane;
 * a key that exists is skipped.
 */
export async function insertCampaignRuns(
  tx: Tx,
  options: {
    accountId: string;
    workflowId: string;
    workflowVersion: number;
    firstStepId: string;
    campaignId: string;
    contactIds: string[];
  },
): Promise<void> {
  await execute(
    tx,
    `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key, lane)
       SELECT $1, $2, $3, contact_id, 'running', $4, $5, 'campaign:' || $6 || ':' || contact_id, 'campaign'
       FROM unnest($7::uuid[]) AS contact_id
       ON CONFLICT (enrol_key) DO NOTHING`,
    [
      options.accountId,
      options.workflowId,
      options.workflowVersion,
      options.firstStepId,
      JSON.stringify({ type: 'manual', data: { campaignId: options.campaignId } }),
      options.campaignId,
      options.contactIds,
    ],
  );
}

/** The runs of these enrol keys that are running and still stand at `stepId`, with their lanes. */
export async function selectRunsAtStep(
  tx: Tx,
  enrolKeys: string[],
  stepId: string,
): Promise<{ id: string; lane: RunLane }[]> {
  return queryRows<{ id: string; lane: RunLane }>(
    tx,
    `SELECT id, lane FROM runs WHERE enrol_key = ANY ($1::text[]) AND ${checkedOnRow("status = 'running'")} AND current_step_id = $2 ORDER BY enrol_key`,
    [enrolKeys, stepId],
  );
}

/** The waiting step's run goes on waiting: for `event` (the contact's next event of that type) and/or `until`. */
export async function markRunWaiting(
  tx: Tx,
  options: { runId: string; event: string | null; until: Date | null },
): Promise<void> {
  await execute(
    tx,
    `UPDATE runs SET status = 'waiting', wait_event = $2, wait_until = $3, updated_at = now() WHERE id = $1 AND ${checkedOnRow("status = 'running'")}`,
    [options.runId, options.event, options.until],
  );
}

/** Moves a run on to `nextStepId`, or completes it when there is none. */
export async function advanceRun(tx: Tx, runId: string, nextStepId: string | null): Promise<void> {
  if (nextStepId === null) {
    await execute(
      tx,
      `UPDATE runs SET status = 'completed', current_step_id = NULL, wait_event = NULL, wait_until = NULL,
         finished_at = now(), updated_at = now()
       WHERE id = $1 AND status IN ('running', 'waiting')`,
      [runId],
    );
    return;
  }
  await execute(
    tx,
    `UPDATE runs SET status = 'running', current_step_id = $2, wait_event = NULL, wait_until = NULL, updated_at = now()
     WHERE id = $1 AND status IN ('running', 'waiting')`,
    [runId, nextStepId],
  );
}

export async function failRun(tx: Tx, runId: string, error: string): Promise<void> {
  await execute(
    tx,
    `UPDATE runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND status IN ('running', 'waiting')`,
    [runId, toStorableText(error)],
  );
}

/** A live run becomes `cancelled` (run-cancel.ts cancels its steps too); false when it had already ended. */
export async function markRunCancelled(tx: Tx, runId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `UPDATE runs SET status = 'cancelled', wait_event = NULL, wait_until = NULL, finished_at = now(), updated_at = now()
     WHERE id = $1 AND status IN ('running', 'waiting') RETURNING 1`,
    [runId],
  );
  return rows.length > 0;
}

/** A failed run goes back to `running`, standing at `stepId`, without its error and finish time. */
export async function restartRun(tx: Tx, runId: string, stepId: string): Promise<void> {
  await execute(
    tx,
    `UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, current_step_id = $2, updated_at = now() WHERE id = $1`,
    [runId, stepId],
  );
}

/** A restarted run still `running` goes back to failed, with `error`. */
export async function failRestartedRun(tx: Tx, runId: string, error: string): Promise<void> {
  await execute(
    tx,
    `UPDATE runs SET status = 'failed', error = $2, finished_at = now(), updated_at = now() WHERE id = $1 AND ${checkedOnRow("status = 'running'")}`,
    [runId, error],
  );
}

/**
 * Running runs untouched since `before`, the earliest started first: each may have lost its step job.
 * Read through runs_running_started (a run untouched since `before` started before it): no index
 * covers updated_at or current_step_id, so that a step's move of its run stays a heap-only update.
 */
export async function selectStaleRuns(
  tx: Tx,
  options: { before: Date; limit: number },
): Promise<{ id: string; workflow_id: string; workflow_version: number; current_step_id: string; lane: RunLane }[]> {
  return queryRows(
    tx,
    `SELECT id, workflow_id, workflow_version, current_step_id, lane FROM runs
     WHERE status = 'running' AND started_at < $1 AND updated_at < $1 AND current_step_id IS NOT NULL
     ORDER BY started_at LIMIT $2`,
    [options.before, options.limit],
  );
}

/** Waiting runs whose timer was due before `before`, most overdue first: each may have lost its timer job. */
export async function selectOverdueWaits(
  tx: Tx,
  options: { before: Date; limit: number },
): Promise<{ id: string; current_step_id: string; wait_until: Date; lane: RunLane }[]> {
  return queryRows(
    tx,
    `SELECT id, current_step_id, wait_until, lane FROM runs
     WHERE status = 'waiting' AND wait_until IS NOT NULL AND wait_until < $1 ORDER BY wait_until LIMIT $2`,
    [options.before, options.limit],
  );
}

/**
 * Of these failed step jobs, the (1-based) positions of those whose run is still running at the job's
 * step and untouched since the job failed.
 */
export async function selectRunsStrandedByJobs(
  tx: Tx,
  jobs: { runId: string; stepId: string; failedAt: string }[],
): Promise<number[]> {
  const rows = await queryRows<{ index: number }>(
    tx,
    `SELECT j.index::int AS index
     FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS j(run_id, step_id, failed_at, index)
     JOIN runs r ON r.id = j.run_id
     WHERE ${checkedOnRow("r.status = 'running'")} AND r.current_step_id = j.step_id AND r.updated_at <= j.failed_at`,
    [jobs.map((job) => job.runId), jobs.map((job) => job.stepId), jobs.map((job) => job.failedAt)],
  );
  return rows.map((row) => row.index);
}

/** An event as the resume lookup needs it: whose, what, and the calendar a booking event names. */
export interface ResumingEvent {
  eventId: string;
  contactId: string;
  eventType: string;
  calendarId: string | null;
  calendarSlug: string | null;
}

/** A run to resume for an event (`waiting`), or a step it resumed earlier whose next step to re-enqueue (`resumed`). */
export interface RunToResume {
  /** The event's position in the list given (0-based). */
  event: number;
  found: 'waiting' | 'resumed';
  run_id: string;
  step_id: string;
}

/**
 * For each of these events, in one statement (a batch's events, or one):
 * - `waiting`: the contact's runs waiting for the event's type at a step whose wait names no calendar
 *   or the event's (by id or slug), leaving out runs this event resumed already: an event processed
 *   again, after BullMQ forgot its job, must not end the run's next wait for the same type;
 * - `resumed`: the steps this event resumed, of the contact's runs that are running again (a
 *   redelivery after a crash between a resume's commit and its enqueue: the next step to enqueue).
 * Both by index: runs_waiting_for_event, and the event's own run_steps_resumed_by_event, never a
 * filter on the steps' JSON, which PostgreSQL cannot estimate and answered by reading every step of
 * every run. Ordered by event, so a batch resumes in the order its events happened.
 */
export async function selectRunsToResume(tx: Tx, events: ResumingEvent[]): Promise<RunToResume[]> {
  if (events.length === 0) return [];
  return queryRows<RunToResume>(
    tx,
    `WITH e AS (
       SELECT (e.n - 1)::int AS n, e.event_id, e.contact_id, e.type, e.calendar_id, e.calendar_slug
         FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[])
              WITH ORDINALITY AS e(event_id, contact_id, type, calendar_id, calendar_slug, n)
     )
     SELECT e.n AS event, 'waiting' AS found, r.id AS run_id, r.current_step_id AS step_id
       FROM e
       JOIN runs r ON r.contact_id = e.contact_id AND r.status = 'waiting' AND r.wait_event = e.type
       JOIN run_steps s ON s.run_id = r.id AND s.step_id = r.current_step_id
      WHERE (s.output->'wait'->>'calendar' IS NULL OR s.output->'wait'->>'calendar' IN (e.calendar_id, e.calendar_slug))
        AND NOT EXISTS (
          SELECT 1 FROM run_steps d WHERE d.resumed_by_event = e.event_id AND d.resumed_by_event IS NOT NULL AND d.run_id = r.id)
     UNION ALL
     SELECT e.n, 'resumed', s.run_id, s.step_id
       FROM e
       JOIN run_steps s ON s.resumed_by_event = e.event_id AND s.resumed_by_event IS NOT NULL
       JOIN runs r ON r.id = s.run_id AND r.contact_id = e.contact_id AND ${checkedOnRow("r.status = 'running'")}
     ORDER BY 1`,
    [
      events.map((event) => event.eventId),
      events.map((event) => event.contactId),
      events.map((event) => event.eventType),
      events.map((event) => event.calendarId),
      events.map((event) => event.calendarSlug),
    ],
    { prepare: 'runs-to-resume' },
  );
}

/** Run counts by workflow and status, from the (workflow_id, status) index. */
export async function countRunsByWorkflow(
  tx: Tx,
  accountId: string,
  workflowIds: string[],
): Promise<{ workflow_id: string; status: RunStatus; count: string }[]> {
  return queryRows(
    tx,
    `SELECT workflow_id, status, count(*) FROM runs
     WHERE workflow_id = ANY($1::uuid[]) AND account_id = $2 GROUP BY workflow_id, status`,
    [workflowIds, accountId],
  );
}

/** How many live runs (running or waiting) of the workflow stand at each step. */
export async function countLiveRunsByStep(
  tx: Tx,
  accountId: string,
  workflowId: string,
): Promise<{ current_step_id: string; count: string }[]> {
  return queryRows(
    tx,
    `SELECT current_step_id, count(*) FROM runs
     WHERE workflow_id = $1 AND account_id = $2 AND status IN ('running', 'waiting') AND current_step_id IS NOT NULL
     GROUP BY current_step_id`,
    [workflowId, accountId],
  );
}

/**
 * The start of the contact's (offset + 1)-th newest run among those started before `before` (all of
 * them when null), as a cursor time; null when there is no such run. The contact timeline's lower
 * bound (src/console/contacts/contact-timeline.ts), from runs_contact_started.
 */
export async function contactRunStartAt(
  tx: Tx,
  options: { accountId: string; contactId: string; before: string | null; offset: number },
): Promise<string | null> {
  const rows = await queryRows<{ at: string }>(
    tx,
    `SELECT ${cursorTimeSql('started_at')} AS at FROM runs
     WHERE contact_id = $1 AND account_id = $2 AND ($3::timestamptz IS NULL OR started_at < $3)
     ORDER BY started_at DESC, id DESC OFFSET $4 LIMIT 1`,
    [options.contactId, options.accountId, options.before, options.offset],
  );
  return rows[0]?.at ?? null;
}

/** A run as the contact timeline shows it: times as cursor times (microseconds), the trigger's type only. */
export type TimelineRunRow = Pick<
  RunRow,
  'id' | 'workflow_id' | 'workflow_version' | 'status' | 'error' | 'is_test'
> & {
  trigger_type: string;
  started_at_us: string;
  finished_at_us: string | null;
};

/**
 * The contact's runs started by `until` that were live at `since` or ended after it (either bound
 * open when null): the only runs whose start, steps or end can fall inside [since, until]. Newest
 * first, at most `limit`. Live or ended since comes from runs_contact_finished, so a page of a
 * contact's history never reads their older runs.
 */
export async function selectContactRunsInWindow(
  tx: Tx,
  options: { accountId: string; contactId: string; since: string | null; until: string | null; limit: number },
): Promise<TimelineRunRow[]> {
  return queryRows<TimelineRunRow>(
    tx,
    `SELECT id, workflow_id, workflow_version, status, error, is_test, trigger->>'type' AS trigger_type,
       ${cursorTimeSql('started_at')} AS started_at_us, ${cursorTimeSql('finished_at')} AS finished_at_us
     FROM runs
     WHERE contact_id = $1 AND account_id = $2 AND ($3::timestamptz IS NULL OR started_at <= $3)
       AND ($4::timestamptz IS NULL OR finished_at IS NULL OR finished_at >= $4)
     ORDER BY started_at DESC, id DESC LIMIT $5`,
    [options.contactId, options.accountId, options.until, options.since, options.limit],
  );
}

/**
 * Deletes up to `limit` runs that finished (completed, failed, cancelled) before `before`, oldest
 * first, by the partial index `runs_finished`; returns how many. Their steps and messages go with
 * them (ON DELETE CASCADE, by the keys that start with run_id); a one-time link a run minted stays,
 * for its own retention, with `run_id` set to NULL. In the same statement, what the deleted runs and
 * their messages counted for /metrics is added to `pruned_totals`, so those counts never go down.
 * SKIP LOCKED: a run being retried (locked, then running again) is left. `= ANY (ARRAY(…))`
 * deletes the batch by primary key (a join may be planned as a scan of the whole table). Reads
 * messages for their counts; answers about runs.
 */
export async function deleteFinishedRuns(tx: Tx, options: { before: Date; limit: number }): Promise<number> {
  const rows = await queryRows<{ deleted: number }>(
    tx,
    `WITH batch AS (
       SELECT id FROM runs
       WHERE status IN ('completed', 'failed', 'cancelled') AND finished_at < $1
       ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED
     ), counted_messages AS (
       SELECT channel, status, count(*) AS n FROM messages WHERE run_id = ANY (ARRAY(SELECT id FROM batch))
       GROUP BY channel, status
     ), gone AS (
       DELETE FROM runs WHERE id = ANY (ARRAY(SELECT id FROM batch)) RETURNING workflow_id, status
     ), totals AS (
       INSERT INTO pruned_totals (metric, label_a, label_b, n)
       SELECT 'runs', workflow_id::text, status, count(*) FROM gone GROUP BY workflow_id, status
       UNION ALL
       SELECT 'messages', channel, status, n FROM counted_messages
       ON CONFLICT (metric, label_a, label_b) DO UPDATE SET n = pruned_totals.n + EXCLUDED.n
     )
     SELECT count(*)::int AS deleted FROM gone`,
    [options.before, options.limit],
  );
  return rows[0]?.deleted ?? 0;
}
