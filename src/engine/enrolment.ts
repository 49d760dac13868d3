import type { Tx } from '../db/data-source';

export interface EnrolOptions {
  accountId: string;
  workflow: { id: string; version: number; allowReentry: boolean; firstStepId: string };
  contactId: string;
  /** Why the run exists; a second enrolment with the same key returns the first run (redelivery). */
  enrolKey: string;
  trigger: { type: string; data: Record<string, unknown>; eventId?: string };
  /** Use this run id (a manual run whose id was promised to the caller). */
  runId?: string;
}

export interface EnrolledRun {
  runId: string;
  /** The step to (re)enqueue; null when the run is already past its start. */
  stepId: string | null;
  created: boolean;
}

/**
 * Enrols one contact in one workflow, inside the caller's transaction. Idempotent by `enrolKey`;
 * `allowReentry: false` is enforced by the workflow_enrolments primary key, so racing enrolments of
 * the same contact create one run. Returns null when the contact may not enter.
 */
export async function enrolContact(tx: Tx, options: EnrolOptions): Promise<EnrolledRun | null> {
  const existing: { id: string; current_step_id: string | null; status: string }[] = await tx.query(
    'SELECT id, current_step_id, status FROM runs WHERE enrol_key = $1',
    [options.enrolKey],
  );
  if (existing[0]) {
    const run = existing[0];
    return { runId: run.id, stepId: run.status === 'running' ? run.current_step_id : null, created: false };
  }
  const firstTime: unknown[] = await tx.query(
    `INSERT INTO workflow_enrolments (workflow_id, contact_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
    [options.workflow.id, options.contactId],
  );
  if (firstTime.length === 0 && !options.workflow.allowReentry) return null;
  const rows: { id: string }[] = await tx.query(
    `INSERT INTO runs (id, account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key)
     VALUES (coalesce($1::uuid, gen_random_uuid()), $2, $3, $4, $5, 'running', $6, $7, $8)
     RETURNING id`,
    [
      options.runId ?? null,
      options.accountId,
      options.workflow.id,
      options.workflow.version,
      options.contactId,
      options.workflow.firstStepId,
      JSON.stringify(options.trigger),
      options.enrolKey,
    ],
  );
  return { runId: rows[0]!.id, stepId: options.workflow.firstStepId, created: true };
}
