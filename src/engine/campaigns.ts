import type { Container } from '../container';
import type { JobPayload } from '../queue/job-catalog';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { jobIds } from '../queue/job-ids';
import { scheduleSteps } from './step-scheduler';

/** Contacts enrolled per transaction: a campaign over 100,000 contacts is 200 small transactions. */
export const CAMPAIGN_BATCH_SIZE = 500;

/**
 * Enrols one batch of a campaign (contacts after `after`, by id), then enqueues the next batch.
 * Idempotent: runs carry enrol key `campaign:<id>:<contact>`, so a redelivered batch creates none twice
 * and re-enqueues the first step of the runs it finds.
 */
export async function processCampaignBatch(c: Container, job: JobPayload<'campaign.batch'>): Promise<void> {
  const workflows: { version: number }[] = await c.db.query('SELECT version FROM workflows WHERE id = $1 AND account_id = $2', [
    job.workflowId,
    job.accountId,
  ]);
  if (!workflows[0]) return;
  const version = workflows[0].version;
  const definition = await loadWorkflowVersion(c.db.manager, job.workflowId, version);
  const firstStepId = definition.steps[0]!.id;

  const contactIds: string[] = (
    await c.db.query(
      `SELECT id FROM contacts
       WHERE account_id = $1 AND ($2::uuid IS NULL OR id > $2::uuid)
         AND ($3::text IS NULL OR $3::text = ANY (tags)) AND ($4::uuid[] IS NULL OR id = ANY ($4::uuid[]))
       ORDER BY id LIMIT $5`,
      [job.accountId, job.after, job.tag ?? null, job.contactIds ?? null, CAMPAIGN_BATCH_SIZE],
    )
  ).map((row: { id: string }) => row.id);
  if (contactIds.length === 0) return;

  const keys = contactIds.map((id) => `campaign:${job.campaignId}:${id}`);
  await c.db.transaction(async (tx) => {
    // Record enrolment; with allowReentry false only first-timers go on to get a run.
    const eligible: string[] = (
      await tx.query(
        `INSERT INTO workflow_enrolments (workflow_id, contact_id) SELECT $1, unnest($2::uuid[])
         ON CONFLICT DO NOTHING RETURNING contact_id`,
        [job.workflowId, contactIds],
      )
    ).map((row: { contact_id: string }) => row.contact_id);
    const enrol = definition.allowReentry ? contactIds : eligible;
    await tx.query(
      `INSERT INTO runs (account_id, workflow_id, workflow_version, contact_id, status, current_step_id, trigger, enrol_key)
       SELECT $1, $2, $3, contact_id, 'running', $4, $5, 'campaign:' || $6 || ':' || contact_id
       FROM unnest($7::uuid[]) AS contact_id
       ON CONFLICT (enrol_key) DO NOTHING`,
      [job.accountId, job.workflowId, version, firstStepId, JSON.stringify({ type: 'manual', data: { campaignId: job.campaignId } }), job.campaignId, enrol],
    );
  });
  const runs: { id: string }[] = await c.db.query(
    `SELECT id FROM runs WHERE enrol_key = ANY ($1::text[]) AND status = 'running' AND current_step_id = $2`,
    [keys, firstStepId],
  );
  await scheduleSteps(
    c.queues,
    definition,
    runs.map((run) => ({ runId: run.id, stepId: firstStepId })),
  );
  if (contactIds.length === CAMPAIGN_BATCH_SIZE) {
    const after = contactIds[contactIds.length - 1]!;
    await c.queues.add('campaign.batch', { ...job, after }, { jobId: jobIds.campaignBatch(job.campaignId, after) });
  }
}
