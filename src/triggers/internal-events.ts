import { z } from 'zod';
import type { Container } from '../container';
import { enrolContact } from '../engine/enrolment';
import type { OutboxEventRow } from '../events/outbox-store';
import { jobIds } from '../queue/job-ids';
import { scheduleSteps } from '../engine/step-scheduler';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { findCurrentVersion } from '../workflows/workflow-store';
import { handleTestEnrol, TEST_ENROL_EVENT } from './test-runs';

/** Written by POST /workflows/:id/runs: one contact, with the run id promised to the caller. */
export const manualEnrolSchema = z.object({ workflowId: z.uuid(), runId: z.uuid() });
/** Written by POST /workflows/:id/runs with a tag or contact ids: enrolment happens in batches. */
export const campaignSchema = z.object({
  campaignId: z.uuid(),
  workflowId: z.uuid(),
  tag: z.string().optional(),
  contactIds: z.array(z.uuid()).optional(),
});

export const INTERNAL_EVENTS = {
  manualEnrol: 'linkflow.enrol',
  campaign: 'linkflow.campaign',
  /** Written by POST /workflows/:id/test-runs (see test-runs.ts). */
  testEnrol: TEST_ENROL_EVENT,
} as const;

export async function handleInternalEvent(c: Container, event: OutboxEventRow): Promise<void> {
  if (event.type === INTERNAL_EVENTS.testEnrol) return handleTestEnrol(c, event);
  if (event.type === INTERNAL_EVENTS.manualEnrol && event.contact_id) {
    const data = manualEnrolSchema.parse(event.data);
    const version = await findCurrentVersion(c.db.manager, event.account_id, data.workflowId);
    if (version === null) return;
    const definition = await loadWorkflowVersion(c.db.manager, data.workflowId, version);
    const contactId = event.contact_id;
    const run = await c.db.transaction((tx) =>
      enrolContact(tx, {
        accountId: event.account_id,
        workflow: {
          id: data.workflowId,
          version,
          allowReentry: definition.allowReentry,
          firstStepId: definition.steps[0]!.id,
        },
        contactId,
        enrolKey: `manual:${data.runId}`,
        trigger: { type: 'manual', data: {}, eventId: event.id },
        runId: data.runId,
      }),
    );
    if (run?.stepId)
      await scheduleSteps(c.queues, definition, [{ runId: run.runId, stepId: run.stepId, lane: run.lane }]);
    return;
  }
  if (event.type === INTERNAL_EVENTS.campaign) {
    const data = campaignSchema.parse(event.data);
    await c.queues.add(
      'campaign.batch',
      { ...data, accountId: event.account_id, after: null },
      { jobId: jobIds.campaignBatch(data.campaignId, null) },
    );
  }
}
