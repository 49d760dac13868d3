import type { Container } from '../container';
import { selectCampaignBatch } from '../contacts/contact-store';
import { recordEnrolments } from '../engine/enrolment-store';
import { insertCampaignRuns, selectRunsAtStep } from '../engine/run-store';
import { findCurrentVersion } from '../workflows/workflow-store';
import type { JobPayload } from '../queue/job-catalog';
import { loadWorkflowVersion } from '../workflows/workflow-repository';
import { jobIds } from '../queue/job-ids';
import { INLINE_STARTS_AT_ONCE } from '../engine/inline-start';
import { chunks } from '../lib/batches';

/** Contacts enrolled per transaction: a campaign over 100,000 contacts is 200 small transactions. */
export const CAMPAIGN_BATCH_SIZE = 500;

/**
 * Enrols one batch of a campaign (contacts after `after`, by id), then enqueues the next batch. The
 * runs are on the campaign lane (src/queue/run-lanes.ts): their jobs queue apart from one contact's.
 * Idempotent: runs carry enrol key `campaign:<id>:<contact>`, so a redelivered batch creates none twice
 * and re-enqueues the first step of the runs it finds.
 */
export async function processCampaignBatch(c: Container, job: JobPayload<'campaign.batch'>): Promise<void> {
  const version = await findCurrentVersion(c.db.manager, job.accountId, job.workflowId);
  if (version === null) return;
  const definition = await loadWorkflowVersion(c.db.manager, job.workflowId, version);
  const firstStepId = definition.steps[0]!.id;

  const contactIds = await selectCampaignBatch(c.db.manager, {
    accountId: job.accountId,
    tag: job.tag ?? null,
    contactIds: job.contactIds ?? null,
    after: job.after,
    limit: CAMPAIGN_BATCH_SIZE,
  });
  if (contactIds.length === 0) return;

  const keys = contactIds.map((id) => `campaign:${job.campaignId}:${id}`);
  await c.db.transaction(async (tx) => {
    // Record enrolment; with allowReentry false only first-timers go on to get a run.
    const eligible = await recordEnrolments(tx, job.workflowId, contactIds);
    const enrol = definition.allowReentry ? contactIds : eligible;
    await insertCampaignRuns(tx, {
      accountId: job.accountId,
      workflowId: job.workflowId,
      workflowVersion: version,
      firstStepId,
      campaignId: job.campaignId,
      contactIds: enrol,
    });
  });
  // With their stored lanes: a batch redelivered across the upgrade that added lanes finds runs whose
  // jobs are on the interactive queue, and must not give them a second job on the campaign one.
  const runs = await selectRunsAtStep(c.db.manager, keys, firstStepId);
  // Started by `runs.start` jobs of up to INLINE_STARTS_AT_ONCE runs each, which run them concurrently
  // (their statements shared), not a step job per run; the chunks are cut in the runs' key order, with
  // ids of their own, so that a batch redelivered while they are queued adds none twice.
  const chunked: JobPayload<'runs.start'>['steps'][] = [];
  for (const lane of ['campaign', 'interactive'] as const) {
    const steps = runs.filter((run) => run.lane === lane).map((run) => ({ runId: run.id, stepId: firstStepId, lane }));
    chunked.push(...chunks(steps, INLINE_STARTS_AT_ONCE));
  }
  await c.queues.addBulk(
    'runs.start',
    chunked.map((steps, n) => ({
      payload: { workflowId: job.workflowId, version, steps },
      options: { jobId: jobIds.campaignStart(job.campaignId, job.after, n), lane: steps[0]!.lane },
    })),
  );
  if (contactIds.length === CAMPAIGN_BATCH_SIZE) {
    const after = contactIds[contactIds.length - 1]!;
    await c.queues.add('campaign.batch', { ...job, after }, { jobId: jobIds.campaignBatch(job.campaignId, after) });
  }
}
