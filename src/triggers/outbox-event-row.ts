/** An event as stored in outbox_events and handed to the event worker. */
export interface OutboxEventRow {
  id: string;
  account_id: string;
  type: string;
  contact_id: string | null;
  data: Record<string, unknown>;
}
