/** BullMQ job ids: deterministic, so that re-adding the same work is a no-op. (BullMQ forbids ':' in ids.) */
export const jobIds = {
  step: (runId: string, stepId: string) => `${runId}.${stepId}`,
  timeout: (runId: string, stepId: string) => `${runId}.${stepId}.timeout`,
  event: (eventId: string) => `event.${eventId}`,
  campaignBatch: (campaignId: string, after: string | null) => `campaign.${campaignId}.${after ?? 'start'}`,
};
