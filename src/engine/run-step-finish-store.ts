/**
 * The statement that finishes running steps on the run_steps table and moves their runs on in the
 * same statement: the group commit's (src/engine/step-finish-writer.ts), one finish or many. Split
 * from run-step-store.ts, whose claim fragment it shares.
 */
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import {
  RECLAIM_ON_CONFLICT_SET,
  RECLAIM_ON_CONFLICT_WHERE,
  jsonOrNull,
  type ClaimedStep,
  type StepClaim,
} from './run-step-store';

/** RECLAIM_ON_CONFLICT, which also ends a `running` row of an `end` recorded with the finish before it. */
const RECLAIM_OR_END_ON_CONFLICT = `${RECLAIM_ON_CONFLICT_SET},
         status = EXCLUDED.status, output = EXCLUDED.output, finished_at = EXCLUDED.finished_at
         ${RECLAIM_ON_CONFLICT_WHERE}`;

/**
 * What a finish did: `claim` is null when the next step was not claimed (or not asked for).
 * `refused`: the finish's contact write could not be made (ContactWritesSql.allowed), so neither was
 * the finish, though the step is still held by the caller's claim.
 */
export type FinishedAndClaimed =
  | { finished: false; refused?: true }
  | {
      finished: true;
      output: unknown;
      claim: StepClaim | null;
      /** The `end` step after it was recorded completed with the run (StepFinish.nextType). */
      ended?: true;
      /** With a contact write: the contact's row as the statement left it (ContactWritesSql.contact). */
      contact?: unknown;
    };

/**
 * The SQL of the contact writes a finish may make in its own statement, injected from the layer that
 * owns the contacts table (src/contacts/contact-record-writes.ts) as the context columns are: the engine
 * knows only that a finish may carry a write, as JSON. The fragments read the CTE `finishes`, aliased
 * `v` where a row of it is in scope (columns `n`, `contact_id`, `account_id`, `write` jsonb, `output`),
 * and `finished` (`n`, the finishes recorded).
 */
export interface ContactWritesSql {
  /** CTEs the finish reads: they lock the finishes' contacts (in id order) before any step row. */
  before: string;
  /** Given `v` with a write: whether it can be made (the step is recorded only then). */
  allowed: string;
  /** Given `v` with a write: the output as stored (`v.output` and what the write tells of itself). */
  output: string;
  /** Data-modifying CTEs that make the writes of the rows of `finished`. */
  after: string;
  /** Given `f`, a row of `finished` with a write: the contact's row, as jsonb. */
  contact: string;
}

/**
 * One step's finish: end the running step and move its run on to `nextStepId` (or complete the run
 * when there is none). With `nextType`, also claim the step the run goes on to, for a job that runs it
 * inline next.
 */
export type StepFinish = ClaimedStep & {
  status: 'completed' | 'skipped';
  output: unknown;
  nextStepId: string | null;
  /**
   * Claim `nextStepId` (which must differ from `stepId`) in the same statement; null: do not. An
   * `end` is not claimed: it is recorded completed (what executing it records: an empty output, no
   * next step) and the run completed, in the same statement, so a run's end costs no step execution
   * and no finish of its own.
   */
  nextType: string | null;
  /** A write of the run's contact made with the finish, or not at all (ContactWriteInRecord.write). */
  contactWrite?: { accountId: string; contactId: string; write: Record<string, unknown> };
};

/**
 * Steps' finishes in one statement (one round trip, one commit), each exactly as it would be on its
 * own. Only the first caller wins: a step is finished only if still `running` and held by the
 * caller's claim, its run moved on (or completed) only if still live. The next step is claimed only
 * when asked, the finish was made and the run moved on, like claimStep does (inserted, or a `running`
 * row re-claimed with a fresh token), and refused when it is past running; its seq is counted on the
 * statement's snapshot, which holds the finished step's row (the count a separate claim after the
 * finish would make), and its started_at is the clock's, not the transaction's, so that it starts
 * after the step before it finished, not in the same instant. Each result carries the stored output
 * as PostgreSQL keeps it (jsonb), which is what a later step's context must show. Answers one result
 * per finish, in order. No two finishes may be of one run: a statement may not claim or move a row
 * twice (the group commit keys its batches by run). Rows are locked in run order, as every batch
 * orders them.
 */
export async function finishSteps(
  tx: Tx,
  finishes: StepFinish[],
  writes?: ContactWritesSql,
): Promise<FinishedAndClaimed[]> {
  if (finishes.length === 0) return [];
  // Only a batch that carries a contact write takes the statement that makes them (its own prepared plan).
  const carriesWrites = finishes.some((f) => f.contactWrite);
  if (carriesWrites && !writes) throw new Error('a finish carries a contact write but no writer of it was given');
  const withWrites = carriesWrites ? writes : undefined;
  const params: unknown[] = [
    finishes.map((f) => f.runId),
    finishes.map((f) => f.stepId),
    finishes.map((f) => f.claimToken),
    finishes.map((f) => f.status),
    finishes.map((f) => jsonOrNull(f.output)),
    finishes.map((f) => f.nextStepId),
    finishes.map((f) => f.nextType),
  ];
  if (withWrites)
    params.push(
      finishes.map((f) => f.contactWrite?.contactId ?? null),
      finishes.map((f) => f.contactWrite?.accountId ?? null),
      finishes.map((f) => (f.contactWrite ? JSON.stringify(f.contactWrite.write) : null)),
    );
  const rows = await queryRows<{
    n: number;
    output: unknown;
    attempts: number | null;
    claim_token: string | null;
    seq: number | null;
    next_status: string | null;
    contact?: unknown;
    refused?: boolean;
  }>(
    tx,
    finishStepsSql(withWrites),
    params,
    // Its generic plan joins the arrays to each table by primary key, whatever their length (query-plans.test.ts).
    { prepare: withWrites ? 'step-finish-batch-contacts' : 'step-finish-batch' },
  );
  const results: FinishedAndClaimed[] = finishes.map(() => ({ finished: false }));
  for (const row of rows) {
    if (row.refused) {
      results[row.n] = { finished: false, refused: true };
      continue;
    }
    const contact = row.contact === null || row.contact === undefined ? {} : { contact: row.contact };
    if (row.next_status === 'completed') {
      results[row.n] = { finished: true, output: row.output, claim: null, ended: true, ...contact };
      continue;
    }
    const claim =
      row.claim_token === null ? null : { attempts: row.attempts!, claimToken: row.claim_token, seq: row.seq! };
    results[row.n] = { finished: true, output: row.output, claim, ...contact };
  }
  return results;
}

/**
 * finishSteps' statement; with `writes`, each finish with a contact write is made only together with
 * it, and one whose write was refused while its step is still held by its claim is answered `refused`.
 */
function finishStepsSql(writes?: ContactWritesSql): string {
  const writeColumns = writes ? ', v.contact_id, v.account_id, v.write::jsonb AS write' : '';
  const writeArrays = writes ? ', $8::uuid[], $9::uuid[], $10::text[]' : '';
  const writeNames = writes ? ', contact_id, account_id, write' : '';
  return `WITH finishes AS (
       SELECT (v.n - 1)::int AS n, v.run_id, v.step_id, v.claim_token, v.status, v.output::jsonb AS output, v.next_step_id,
              v.next_type, coalesce(v.next_type = 'end', false) AS next_ends${writeColumns}
       FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[]${writeArrays})
         WITH ORDINALITY AS v(run_id, step_id, claim_token, status, output, next_step_id, next_type${writeNames}, n)
     ),${writes ? ` ${writes.before},` : ''} finished AS (
       UPDATE run_steps s SET status = v.status,
         output = ${writes ? `CASE WHEN v.write IS NULL THEN v.output ELSE ${writes.output} END` : 'v.output'},
         error = NULL, next_step_id = v.next_step_id, finished_at = now()
       FROM finishes v WHERE s.run_id = v.run_id AND s.step_id = v.step_id AND s.status = 'running' AND s.claim_token = v.claim_token
         ${writes ? `AND (v.write IS NULL OR ${writes.allowed})` : ''}
       RETURNING v.n, s.run_id, s.output
     ), advanced AS (
       UPDATE runs r SET
         status = CASE WHEN v.next_step_id IS NULL OR v.next_ends THEN 'completed' ELSE 'running' END,
         current_step_id = CASE WHEN v.next_ends THEN NULL ELSE v.next_step_id END, wait_event = NULL, wait_until = NULL,
         finished_at = CASE WHEN v.next_step_id IS NULL OR v.next_ends THEN now() END, updated_at = now()
       FROM finished f JOIN finishes v ON v.n = f.n
       WHERE r.id = f.run_id AND r.status IN ('running', 'waiting')
       RETURNING r.id
     ), claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, claim_token, started_at, output, finished_at)
       SELECT v.run_id, v.next_step_id, v.next_type, (SELECT count(*) FROM run_steps c WHERE c.run_id = v.run_id),
         CASE WHEN v.next_ends THEN 'completed' ELSE 'running' END, 1, gen_random_uuid(), clock_timestamp(),
         CASE WHEN v.next_ends THEN '{}'::jsonb END, CASE WHEN v.next_ends THEN clock_timestamp() END
       FROM finishes v JOIN advanced a ON a.id = v.run_id
       WHERE v.next_type IS NOT NULL AND v.next_step_id IS NOT NULL
       ORDER BY v.run_id
       ${RECLAIM_OR_END_ON_CONFLICT}
       RETURNING run_id, attempts, claim_token, seq, status
     )${writes ? `, ${writes.after}` : ''}
     SELECT f.n, f.output, c.attempts, c.claim_token, c.seq, c.status AS next_status${
       writes ? `, ${writes.contact} AS contact, false AS refused` : ''
     }
       FROM finished f LEFT JOIN claimed c ON c.run_id = f.run_id${
         writes
           ? `
     UNION ALL
     SELECT v.n, NULL, NULL, NULL, NULL, NULL, NULL, true FROM finishes v
      WHERE v.write IS NOT NULL AND NOT ${writes.allowed}
        AND EXISTS (SELECT 1 FROM run_steps s WHERE s.run_id = v.run_id AND s.step_id = v.step_id AND s.status = 'running'
                       AND s.claim_token = v.claim_token)`
           : ''
       }`;
}
