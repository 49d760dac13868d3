import type { Tx } from '../db/data-source';
import type { RunLane } from '../queue/run-lanes';
import {
  insertEnrolmentsAndRuns,
  recordEnrolment,
  type EnrolmentGuard,
  type EnrolmentPair,
  type PairRun,
} from './enrolment-store';
import type { ContextColumns } from './run-step-store';

export type { EnrolmentGuard, EnrolmentPair } from './enrolment-store';
import { findRunByEnrolKey, insertRun } from './run-store';

export interface EnrolOptions {
  accountId: string;
  workflow: { id: string; version: number; allowReentry: boolean; firstStepId: string };
  contactId: string;
  /** Why the run exists; a second enrolment with the same key returns the first run (redelivery). */
  enrolKey: string;
  trigger: { type: string; data: Record<string, unknown>; eventId?: string };
  /** Use this run id (a manual run whose id was promised to the caller). */
  runId?: string;
  /**
   * A test run from the builder: not recorded in workflow_enrolments, so it neither needs re-entry
   * nor spends the contact's one entry of a workflow without it. Default false.
   */
  test?: boolean;
  /** The run's lane: that of the event that started it (a campaign's tag starts campaign work). Default interactive. */
  lane?: RunLane;
}

export interface EnrolledRun {
  runId: string;
  /** The step to (re)enqueue; null when the run is already past its start. */
  stepId: string | null;
  /** The run's lane, whose queue the step goes to. */
  lane: RunLane;
  created: boolean;
  /** The created run's first step, claimed by the enrolment itself (enrolPairs with `claim`). */
  opened?: PairRun['opened'];
  /** The job whose batch created the run (EnrolmentPair.enrolJob), when enrolPairs found it; absent otherwise. */
  enrolJob?: string | null;
}

/**
 * Enrols one contact in one workflow, inside the caller's transaction. Idempotent by `enrolKey`;
 * `allowReentry: false` is enforced by the workflow_enrolments primary key, so racing enrolments of
 * the same contact create one run. Returns null when the contact may not enter.
 */
export async function enrolContact(tx: Tx, options: EnrolOptions): Promise<EnrolledRun | null> {
  const existing = await findRunByEnrolKey(tx, options.enrolKey);
  if (existing) {
    return {
      runId: existing.id,
      stepId: existing.status === 'running' ? existing.current_step_id : null,
      lane: existing.lane,
      created: false,
    };
  }
  if (!options.test) {
    const firstTime = await recordEnrolment(tx, options.workflow.id, options.contactId);
    if (!firstTime && !options.workflow.allowReentry) return null;
  }
  const runId = await insertRun(tx, {
    id: options.runId ?? null,
    accountId: options.accountId,
    workflowId: options.workflow.id,
    workflowVersion: options.workflow.version,
    contactId: options.contactId,
    firstStepId: options.workflow.firstStepId,
    trigger: options.trigger,
    enrolKey: options.enrolKey,
    isTest: options.test ?? false,
    lane: options.lane ?? 'interactive',
  });
  return { runId, stepId: options.workflow.firstStepId, lane: options.lane ?? 'interactive', created: true };
}

/**
 * Enrols many contacts, one (event, workflow) pair each, in one statement and so one commit (see
 * insertEnrolmentsAndRuns for the rules, the same as enrolContact's). Returns the run of every pair
 * that has one, by enrol key: created now, or found (a redelivery), with the step to (re)enqueue.
 * `claim`: the created runs' first steps are claimed in the same statement, their context's rows
 * read with these columns (`opened`), for a caller that executes them at once. `guard`: the pairs
 * come from remembered lists of active workflows, checked by the statement (insertEnrolmentsAndRuns);
 * null when they were out of date and nothing was written.
 */
export async function enrolPairs(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim?: ContextColumns,
): Promise<Map<string, EnrolledRun>>;
export async function enrolPairs(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim: ContextColumns | undefined,
  guard: EnrolmentGuard,
): Promise<Map<string, EnrolledRun> | null>;
export async function enrolPairs(
  tx: Tx,
  pairs: EnrolmentPair[],
  claim?: ContextColumns,
  guard?: EnrolmentGuard,
): Promise<Map<string, EnrolledRun> | null> {
  const rows = guard
    ? await insertEnrolmentsAndRuns(tx, pairs, claim, guard)
    : await insertEnrolmentsAndRuns(tx, pairs, claim);
  if (!rows) return null;
  const runs = new Map<string, EnrolledRun>();
  for (const row of rows) {
    runs.set(row.enrol_key, {
      runId: row.id,
      stepId: row.created || row.status === 'running' ? row.current_step_id : null,
      lane: row.lane,
      created: row.created,
      enrolJob: row.enrol_job,
      ...(row.opened && { opened: row.opened }),
    });
  }
  return runs;
}
