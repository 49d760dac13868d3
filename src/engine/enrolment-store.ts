/**
 * Every statement on workflow_enrolments: who has ever entered which workflow. The engine writes it
 * in the transaction that creates a run; triggers/ reads it for the re-entry rule.
 */
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';
import type { RunLane } from '../queue/run-lanes';
import type { RunStatus } from './run-store';

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
  trigger: { type: string; data: Record<string, unknown>; eventId?: string };
  lane: RunLane;
}

/** A pair's run: created now, or found by its enrol key (then `status` is its status now). */
export interface PairRun {
  enrol_key: string;
  id: string;
  current_step_id: string | null;
  status: RunStatus;
  lane: RunLane;
  created: boolean;
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
 */
export async function insertEnrolmentsAndRuns(tx: Tx, pairs: EnrolmentPair[]): Promise<PairRun[]> {
  if (pairs.length === 0) return [];
  return queryRows<PairRun>(
    tx,
    `WITH pairs AS (
       SELECT n, enrol_key, account_id, workflow_id, workflow_version, allow_reentry, contact_id, first_step_id, trigger, lane
         FROM jsonb_to_recordset($1::jsonb) AS p(n int, enrol_key text, account_id uuid, workflow_id uuid,
              workflow_version int, allow_reentry boolean, contact_id uuid, first_step_id text, trigger jsonb, lane text)
     ),
     existing AS (
       SELECT enrol_key, id, current_step_id, status, lane FROM runs WHERE enrol_key = ANY ($2::text[])
     ),
     candidates AS (
       SELECT p.n, p.enrol_key, p.account_id, p.workflow_id, p.workflow_version, p.allow_reentry, p.contact_id,
              p.first_step_id, p.trigger, p.lane, row_number() OVER (PARTITION BY p.workflow_id, p.contact_id ORDER BY p.n) AS nth
         FROM pairs p WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.enrol_key = p.enrol_key)
     ),
     enrolled AS (
       INSERT INTO workflow_enrolments (workflow_id, contact_id)
       SELECT workflow_id, contact_id FROM candidates WHERE nth = 1 ORDER BY workflow_id, contact_id
       ON CONFLICT DO NOTHING RETURNING workflow_id, contact_id
     ),
     inserted AS (
       INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key, lane)
       SELECT c.account_id, c.workflow_id, c.workflow_version, c.contact_id, 'running', c.first_step_id, c.trigger, c.enrol_key, c.lane
         FROM candidates c
        WHERE c.allow_reentry
           OR (c.nth = 1 AND EXISTS (SELECT 1 FROM enrolled en WHERE en.workflow_id = c.workflow_id AND en.contact_id = c.contact_id))
        ORDER BY c.enrol_key
       ON CONFLICT (enrol_key) DO NOTHING
       RETURNING enrol_key, id, current_step_id, status, lane
     )
     SELECT enrol_key, id, current_step_id, status, lane, true AS created FROM inserted
     UNION ALL
     SELECT enrol_key, id, current_step_id, status, lane, false AS created FROM existing`,
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
          trigger: pair.trigger,
          lane: pair.lane,
        })),
      ),
      pairs.map((pair) => pair.enrolKey),
    ],
  );
}
