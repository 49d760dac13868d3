/**
 * Every statement on workflow_enrolments: who has ever entered which workflow. The engine writes it
 * in the transaction that creates a run; triggers/ reads it for the re-entry rule.
 */
import type { Tx } from '../db/data-source';
import { queryRows } from '../db/sql';

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
