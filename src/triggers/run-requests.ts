import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Tx } from '../db/data-source';
import { appendEvent } from '../events/outbox';
import { ConflictError, NotFoundError } from '../lib/errors';
import { INTERNAL_EVENTS } from './internal-events';
import { countCampaignAudience, findContactId } from '../contacts/contact-store';
import { isEnrolled } from '../engine/enrolment-store';
import { cancelRun } from '../engine/run-cancel';
import { lockAccountRunStatus } from '../engine/run-store';

export const startRunsBodySchema = z.union(
  [
    z.strictObject({ contactId: z.uuid() }),
    z.strictObject({
      tag: z
        .string()
        .trim()
        .min(1)
        .max(100)
        .transform((tag) => tag.toLowerCase()),
    }),
    z.strictObject({ contactIds: z.array(z.uuid()).min(1).max(20_000) }),
  ],
  { error: 'expected exactly one of contactId, tag or contactIds' },
);
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
export async function requestManualRun(
  tx: Tx,
  accountId: string,
  workflow: WorkflowRef,
  contactId: string,
): Promise<{ runId: string }> {
  assertActive(workflow);
  if ((await findContactId(tx, accountId, contactId)) === null) throw new NotFoundError('Contact');
  if (!workflow.allowReentry) {
    if (await isEnrolled(tx, workflow.id, contactId))
      throw new ConflictError('This contact was already enrolled and the workflow does not allow re-entry');
  }
  const runId = randomUUID();
  await appendEvent(tx, {
    accountId,
    type: INTERNAL_EVENTS.manualEnrol,
    contactId,
    data: { workflowId: workflow.id, runId },
  });
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
  const enrolled = await countCampaignAudience(tx, {
    accountId,
    tag,
    contactIds: ids,
    workflowId: workflow.id,
    allowReentry: workflow.allowReentry,
  });
  const campaignId = randomUUID();
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
  const status = await lockAccountRunStatus(tx, accountId, runId);
  if (status === null) throw new NotFoundError('Run');
  if (!(await cancelRun(tx, runId))) throw new ConflictError(`The run is already ${status}`);
}

function assertActive(workflow: WorkflowRef): void {
  if (workflow.status !== 'active')
    throw new ConflictError('The workflow is a draft; activate it before enrolling contacts');
}
