/** BullMQ job ids: deterministic, so that re-adding the same work is a no-op. (BullMQ forbids ':' in ids.) */
export const jobIds = {
  step: (runId: string, stepId: string) => `${runId}.${stepId}`,
  timeout: (runId: string, stepId: string) => `${runId}.${stepId}.timeout`,
  event: (eventId: string) => `event.${eventId}`,
  /** `appointment.notify` shares the bookings queue with `booking.process` (`event.<id>`): a prefix of its own. */
  notify: (eventId: string) => `notify.${eventId}`,
  campaignBatch: (campaignId: string, after: string | null) => `campaign.${campaignId}.${after ?? 'start'}`,
  contactImport: (importId: string, from: number) => `import.${importId}.${from}`,
};
