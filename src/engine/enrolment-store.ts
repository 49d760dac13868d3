/**
 * Every statement on workflow_enrolments: who has ever entered which workflow. The engine writes it
 * in the transaction that creates a run; triggers/ reads it for the re-entry rule.
 */
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import type { RunLane } from '../queue/run-lanes';
import { contextRowsSql, type ContextColumns, type ContextRows, type StepClaim } from './run-step-store';
import type { RunRow, RunStatus } from './run-store';

/**
 * Records the contact's enrolment in the workflow; false when it was enrolled before. The primary key
 * (workflow_id, contact_id) decides, so of racing enrolments exactly one is the first.
 */
export async function recordEnrolment(tx: Tx, workflowId: string, contactId: string): Promise<boolean> {
  const rows = await queryRows(
    tx,
    `INSERT INTO workflow_enrolments (workflow_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [workflowId, contactId],
  );
  return rows.length > 0;
}

/** Records the enrolment of each of these contacts; returns those enrolled for the first time. */
export async function recordEnrolments(tx: Tx, workflowId: string, contactIds: string[]): Promise<string[]> {
  const rows = await queryRows<{ contact_id: string }>(
    tx,
    `INSERT INTO workflow_enrolments (workflow_id, contact_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING contact_id`,
    [workflowId, contactIds],
  );
  return rows.map((row) => row.contact_id);
}

/** Has the contact ever been enrolled in the workflow? */
export async function isEnrolled(tx: Tx, workflowId: string, contactId: string): Promise<boolean> {
  const rows = await queryRows(tx, 'SELECT 1 FROM workflow_enrolments WHERE workflow_id = $1 AND contact_id = $2', [
    workflowId,
    contactId,
  ]);
  return rows.length > 0;
}

/** One (event, workflow) pair to enrol: the run it may start. */
export interface EnrolmentPair {
  /** `event:<eventId>:<workflowId>`: a pair enrolled before (a redelivery) finds its run by it. */
  enrolKey: string;
  accountId: string;
  workflowId: string;
  workflowVersion: number;
  allowReentry: boolean;
  contactId: string;
  firstStepId: string;
  /** The first step's type in this version: what its claim records when the enrolment claims it. */
  firstStepType: string;
  trigger: { type: string; data: Record<string, unknown>; eventId?: string };
  lane: RunLane;
  /** The job whose batch enrols the pair (runs.enrol_job): a later batch finding the run knows whose it is. */
  enrolJob?: string;
}

/** Remembered lists of active workflows to check in the enrolment's statement (insertEnrolmentsAndRuns). */
export interface EnrolmentGuard {
  /** Every (account, trigger type) of the batch, in the order of the fingerprint's key indexes. */
  keys: { accountId: string; triggerType: string }[];
  /** fingerprintOf the lists (src/triggers/active-workflow-cache.ts). */
  fingerprint: string;
}

/** A pair's run: created now, or found by its enrol key (then `status` is its status now). */
export interface PairRun {
  enrol_key: string;
  id: string;
  current_step_id: string | null;
  status: RunStatus;
  lane: RunLane;
  created: boolean;
  /** The job whose batch created the run (EnrolmentPair.enrolJob); null when none was named. */
  enrol_job: string | null;
  /**
   * When the enrolment claimed the first step (`claim` given): the created run as inserted, its first
   * step's claim and the rows of its context (openSteps' for a first step). Absent for a found run.
   */
  opened?: { run: RunRow; claim: StepClaim; context: ContextRows };
}

/**
 * Enrols many (event, workflow) pairs in one statement: the enrolments in workflow_enrolments and the
 * runs they allow (so the statement writes runs too; it is here because enrolment decides them), with
 * the rules enrolContact applies to one pair:
 * - a pair whose enrol key has a run (a redelivery) gets that run back, and nothing new;
 * - every other pair records (workflow, contact) `ON CONFLICT DO NOTHING`; without allowReentry only
 *   the first such pair of a (workflow, contact) in the list, and only if its row is new, starts a
 *   run: the primary key decides between racing enrolments, as it does for one.
 * - runs are inserted `ON CONFLICT (enrol_key) DO NOTHING`: a concurrent delivery of the same event
 *   that committed first keeps its run (and enqueues it); this one returns nothing for the pair.
 * Data-modifying CTEs share one snapshot, so `existing` cannot see what `inserted` writes; the keys
 * of one list are distinct (one per event and workflow). Rows are inserted in key order, so two
 * batches that share contacts wait for each other's keys in the same order and never deadlock.
 *
 * `claim`: the caller executes the new runs' first steps at once (src/engine/inline-start.ts), so the
 * same statement also claims them (a `running` run_steps row, attempt 1, a fresh token, as openSteps
 * claims) and reads the rows of their context (contact, account: a first step has no earlier outputs)
 * with `claim`'s columns: the opening the inline start would otherwise send next, in the enrolment's
 * round trip and commit. A crash after the commit leaves claimed steps whose runs a redelivered batch
 * finds by enrol key and opens again (the claim is then taken over with one more attempt: the step in
 * flight). Without `claim`, nothing is claimed: a step job will open the step.
 *
 * `guard`: the pairs were made from remembered lists of active workflows (src/triggers/active-workflow-cache.ts);
 * the statement enrols them only if the workflows table, in the statement's own snapshot, has exactly
 * the workflows and versions `fingerprint` names for `keys`, and otherwise writes nothing and returns
 * null: the caller asks for the lists and enrols again.
 */
export async function insertEnrolmentsAndRuns(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim?: ContextColumns,
): Promise<PairRun[]>;
export async function insertEnrolmentsAndRuns(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim: ContextColumns | undefined,
  guard: EnrolmentGuard,
): Promise<PairRun[] | null>;
export async function insertEnrolmentsAndRuns(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim?: ContextColumns,
  guard?: EnrolmentGuard,
): Promise<PairRun[] | null> {
  if (pairs.length === 0) return [];
  // The claiming statement's rows carry the created run's RunRow columns and its claim; the other's, the pair's run only.
  const rows = await queryRows<
    RunRow & {
      enrol_key: string;
      created: boolean;
      enrol_job: string | null;
      attempts?: number | null;
      claim_token?: string | null;
      seq?: number | null;
      contact?: Record<string, unknown> | null;
      account?: Record<string, unknown> | null;
    }
  >(
    tx,
    claim ? enrolAndClaimSql(claim, guard !== undefined) : enrolSql(guard !== undefined),
    [
      JSON.stringify(
        pairs.map((pair, n) => ({
          n,
          enrol_key: pair.enrolKey,
          account_id: pair.accountId,
          workflow_id: pair.workflowId,
          workflow_version: pair.workflowVersion,
          allow_reentry: pair.allowReentry,
          contact_id: pair.contactId,
          first_step_id: pair.firstStepId,
          first_step_type: pair.firstStepType,
          trigger: pair.trigger,
          lane: pair.lane,
          enrol_job: pair.enrolJob ?? null,
        })),
      ),
      pairs.map((pair) => pair.enrolKey),
      ...(guard
        ? [guard.keys.map((key) => key.accountId), guard.keys.map((key) => key.triggerType), guard.fingerprint]
        : []),
    ],
    { prepare: `enrol-pairs${claim ? '-and-claim' : ''}${guard ? '-guarded' : ''}` },
  );
  if (guard && rows.some((row) => (row.enrol_key as string | null) === null)) return null;
  return rows.map(
    ({ enrol_key, created, enrol_job, attempts, claim_token: claimToken, seq, contact, account, ...run }) => {
      const pairRun: PairRun = {
        enrol_key,
        id: run.id,
        current_step_id: run.current_step_id,
        status: run.status,
        lane: run.lane,
        created,
        enrol_job,
      };
      // Only the claiming statement returns a claim (the other has no such column).
      if (!created || claimToken == null) return pairRun;
      return {
        ...pairRun,
        opened: {
          run,
          claim: { attempts: attempts!, claimToken, seq: seq! },
          context: { contact: contact ?? null, account: account ?? null, outputs: [] },
        },
      };
    },
  );
}

/**
 * The pairs, the runs their keys already have, and the pairs that may start one (see
 * insertEnrolmentsAndRuns). `guarded`: `fresh` compares the active workflows of the guard's keys
 * ($3, $4) with the fingerprint the caller's lists give ($5, fingerprintOf in
 * src/triggers/active-workflow-cache.ts), and the pairs count only when they are the same.
 */
function pairsCtes(guarded: boolean): string {
  const fresh = guarded
    ? `fresh AS (
       SELECT coalesce(string_agg((k.n - 1)::text || ':' || w.id::text || ':' || w.version::text, ',' ORDER BY k.n, w.id), '')
              = $5::text AS ok
         FROM unnest($3::uuid[], $4::text[]) WITH ORDINALITY AS k(account_id, trigger_type, n)
         JOIN workflows w ON w.account_id = k.account_id AND w.trigger_type = k.trigger_type AND w.status = 'active'
     ),
     `
    : '';
  return `WITH ${fresh}pairs AS (
       SELECT n, enrol_key, account_id, workflow_id, workflow_version, allow_reentry, contact_id, first_step_id, first_step_type, trigger, lane, enrol_job
         FROM jsonb_to_recordset($1::jsonb) AS p(n int, enrol_key text, account_id uuid, workflow_id uuid,
              workflow_version int, allow_reentry boolean, contact_id uuid, first_step_id text, first_step_type text, trigger jsonb, lane text,
              enrol_job text)
        ${guarded ? 'WHERE (SELECT ok FROM fresh)' : ''}
     ),
     existing AS (
       SELECT enrol_key, id, current_step_id, status, lane, enrol_job FROM runs WHERE enrol_key = ANY ($2::text[])
     ),
     candidates AS (
       SELECT p.n, p.enrol_key, p.account_id, p.workflow_id, p.workflow_version, p.allow_reentry, p.contact_id,
              p.first_step_id, p.first_step_type, p.trigger, p.lane, p.enrol_job,
              row_number() OVER (PARTITION BY p.workflow_id, p.contact_id ORDER BY p.n) AS nth
         FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.enrol_key = p.enrol_key)
     ),
     enrolled AS (
       INSERT INTO workflow_enrolments (workflow_id, contact_id)
       SELECT workflow_id, contact_id FROM candidates WHERE nth = 1 ORDER BY workflow_id, contact_id
       ON CONFLICT DO NOTHING RETURNING workflow_id, contact_id
     ),
     inserted AS (
       INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key, lane, enrol_job)
       SELECT c.account_id, c.workflow_id, c.workflow_version, c.contact_id, 'running', c.first_step_id, c.trigger, c.enrol_key, c.lane, c.enrol_job
         FROM candidates c
        WHERE c.allow_reentry
           OR (c.nth = 1 AND EXISTS (SELECT 1 FROM enrolled en WHERE en.workflow_id = c.workflow_id AND en.contact_id = c.contact_id))
        ORDER BY c.enrol_key
       ON CONFLICT (enrol_key) DO NOTHING
       RETURNING enrol_key, id, account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger,
         error, started_at, finished_at, is_test, lane, enrol_job
     )`;
}

/** With the guard, one row of `columns` NULLs (no enrol key) when it found the caller's lists out of date. */
function staleRow(columns: number, guarded: boolean): string {
  if (!guarded) return '';
  return `
     UNION ALL
     SELECT ${Array.from({ length: columns }, () => 'NULL').join(', ')} FROM fresh WHERE NOT ok`;
}

function enrolSql(guarded: boolean): string {
  return `${pairsCtes(guarded)}
     SELECT enrol_key, id, current_step_id, status, lane, true AS created, enrol_job FROM inserted
     UNION ALL
     SELECT enrol_key, id, current_step_id, status, lane, false AS created, enrol_job FROM existing${staleRow(7, guarded)}`;
}

/** enrolSql that also claims each created run's first step and reads its context's rows (as openSteps does). */
function enrolAndClaimSql(columns: ContextColumns, guarded: boolean): string {
  const read = contextRowsSql(columns, 'i');
  return `${pairsCtes(guarded)},
     claimed AS (
       INSERT INTO run_steps (run_id, step_id, type, seq, status, attempts, claim_token)
       SELECT i.id, i.current_step_id, p.first_step_type, 0, 'running', 1, gen_random_uuid()
         FROM inserted i JOIN pairs p ON p.enrol_key = i.enrol_key
        ORDER BY i.id
       RETURNING run_id, attempts, claim_token, seq
     )
     SELECT i.enrol_key, i.id, i.current_step_id, i.status, i.lane, true AS created, i.enrol_job,
       i.account_id, i.workflow_id, i.workflow_version, i.contact_id, i.trigger, i.error, i.started_at, i.finished_at, i.is_test,
       c.attempts, c.claim_token, c.seq,
       ${read.contact} AS contact,
       ${read.account} AS account
       FROM inserted i LEFT JOIN claimed c ON c.run_id = i.id
     UNION ALL
     SELECT enrol_key, id, current_step_id, status, lane, false AS created, enrol_job,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
       FROM existing${staleRow(21, guarded)}`;
}
