import type { Tx } from '../db/data-source';
import { getWorkflow } from '../workflows/workflow-repository';
import { requestCampaign } from './run-requests';

/**
 * A bulk action's enrolment of one batch of contacts: a campaign by contact ids, the very path of
 * `POST /workflows/:id/runs {contactIds}` (re-entry rule, enrol keys, batched runs), written to the
 * outbox in the batch's transaction. A workflow deactivated meanwhile is a ConflictError, which
 * fails the bulk action rather than enrolling the rest.
 */
export async function enrolContactsInWorkflow(
  tx: Tx,
  options: { accountId: string; workflowId: string; contactIds: string[] },
): Promise<{ enrolled: number }> {
  const workflow = await getWorkflow(tx, options.accountId, options.workflowId);
  const { enrolled } = await requestCampaign(tx, options.accountId, workflow, { contactIds: options.contactIds });
  return { enrolled };
}
