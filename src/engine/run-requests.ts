import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { appendEvent } from '../events/outbox';
import { ConflictError, NotFoundError } from '../lib/errors';
import { INTERNAL_EVENTS } from '../triggers/internal-events';
import { cancelRun } from './run-repository';

export const startRunsBodySchema = z.union([
  z.strictObject({ contactId: z.uuid() }),
  z.strictObject({ tag: z.string().trim().min(1).max(100).transform((tag) => tag.toLowerCase()) }),
  z.strictObject({ contactIds: z.array(z.uuid()).min(1).max(20_000) }),
], { error: 'expected exactly one of contactId, tag or contactIds' });
export type StartRunsBody = z.infer<typeof startRunsBodySchema>;

interface WorkflowRef {
  id: string;
  status: string;
  allowReentry: boolean;
}

/**
 * A manual enrolment. The run id is decided here and promised to the caller; the run itself is
 * created by a worker from the outbox event, which applies the same re-entry rule again.
 */
export async function requestManualRun(tx: Tx, accountId: string, workflow: WorkflowRef, contactId: string): Promise<{ runId: string }> {
  assertActive(workflow);
  const contacts: unknown[] = await tx.query('SELECT 1 FROM contacts WHERE id = $1 AND account_id = $2', [contactId, accountId]);
  if (contacts.length === 0) throw new NotFoundError('Contact');
  if (!workflow.allowReentry) {
    const enrolled: unknown[] = await tx.query('SELECT 1 FROM workflow_enrolments WHERE workflow_id = $1 AND contact_id = $2', [workflow.id, contactId]);
    if (enrolled.length > 0) throw new ConflictError('This contact was already enrolled and the workflow does not allow re-entry');
  }
  const runId = randomUUID();
  await appendEvent(tx, { accountId, type: INTERNAL_EVENTS.manualEnrol, contactId, data: { workflowId: workflow.id, runId } });
  return { runId };
}

/**
 * A campaign: counts who will be enrolled now (eligible under the re-entry rule) and leaves the
 * enrolment itself to batched worker jobs, so 100,000 contacts never mean one giant transaction.
 */
export async function requestCampaign(
  tx: Tx,
  accountId: string,
  workflow: WorkflowRef,
  audience: { tag: string } | { contactIds: string[] },
): Promise<{ enrolled: number; campaignId: string }> {
  assertActive(workflow);
  const tag = 'tag' in audience ? audience.tag : null;
  const ids = 'contactIds' in audience ? [...new Set(audience.contactIds)] : null;
  const rows: { count: string }[] = await tx.query(
    `SELECT count(*) FROM contacts c
     WHERE c.account_id = $1 AND ($2::text IS NULL OR $2::text = ANY (c.tags)) AND ($3::uuid[] IS NULL OR c.id = ANY ($3::uuid[]))
       AND ($4::boolean OR NOT EXISTS (SELECT 1 FROM workflow_enrolments e WHERE e.workflow_id = $5 AND e.contact_id = c.id))`,
    [accountId, tag, ids, workflow.allowReentry, workflow.id],
  );
  const campaignId = randomUUID();
  const enrolled = Number(rows[0]!.count);
  if (enrolled > 0) {
    await appendEvent(tx, {
      accountId,
      type: INTERNAL_EVENTS.campaign,
      data: { campaignId, workflowId: workflow.id, ...(tag !== null ? { tag } : { contactIds: ids }) },
    });
  }
  return { enrolled, campaignId };
}

export async function requestCancel(tx: Tx, accountId: string, runId: string): Promise<void> {
  const rows: { status: string }[] = await tx.query('SELECT status FROM runs WHERE id = $1 AND account_id = $2 FOR UPDATE', [runId, accountId]);
  if (!rows[0]) throw new NotFoundError('Run');
  if (!(await cancelRun(tx, runId))) throw new ConflictError(`The run is already ${rows[0].status}`);
}

function assertActive(workflow: WorkflowRef): void {
  if (workflow.status !== 'active') throw new ConflictError('The workflow is a draft; activate it before enrolling contacts');
}
