/** BullMQ job ids: deterministic, so that re-adding the same work is a no-op. (BullMQ forbids ':' in ids.) */
export const jobIds = {
  step: (runId: string, stepId: string) => `${runId}.${stepId}`,
  timeout: (runId: string, stepId: string) => `${runId}.${stepId}.timeout`,
  event: (eventId: string) => `event.${eventId}`,
  /**
   * A job carrying the consecutive claimed events `firstId`…`lastId` of one lane (`event.batch`,
   * `booking.batch`): `events.<first>.<last>`; a batch of one keeps the id its event always had,
   * `event.<id>`. Deterministic, but nothing relies on it: a relay that crashed before its commit may
   * cut different batches the next time, and the events are then processed twice, which PostgreSQL
   * makes a no-op (enrol keys, resumed_by_event).
   */
  eventBatch: (firstId: string, lastId: string) =>
    firstId === lastId ? `event.${firstId}` : `events.${firstId}.${lastId}`,
  /**
   * `appointment.notify` shares the bookings queue with `booking.process` (`event.<id>`): a prefix of
   * its own; `notify.<first>.<last>` for the events `firstId`…`lastId` of one relay transaction,
   * `notify.<id>` for one.
   */
  notify: (firstId: string, lastId = firstId) =>
    firstId === lastId ? `notify.${firstId}` : `notify.${firstId}.${lastId}`,
  campaignBatch: (campaignId: string, after: string | null) => `campaign.${campaignId}.${after ?? 'start'}`,
  /** The `n`th `runs.start` job of a campaign batch (the batch's runs in key order, cut in chunks). */
  campaignStart: (campaignId: string, after: string | null, n: number) =>
    `campaign.${campaignId}.${after ?? 'start'}.runs.${n}`,
  contactImport: (importId: string, from: number) => `import.${importId}.${from}`,
};
