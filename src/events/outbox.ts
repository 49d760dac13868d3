import type { Tx } from '../db/data-source';
import { OUTBOX_CHANNEL } from './outbox-signal';

export interface OutboxEventInput {
  accountId: string;
  /** A trigger type (`contact.created`, `contact.tag_added`, `appointment.booked`, …) or `event:<name>`-free custom name via type 'event'. */
  type: string;
  contactId?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Records an event in the same transaction as the change that caused it. It is published to BullMQ
 * by the relay only once that transaction commits; a rollback leaves no event behind.
 */
export async function appendEvent(tx: Tx, event: OutboxEventInput): Promise<string> {
  // The NOTIFY rides along in the same round trip; PostgreSQL delivers it when the transaction commits.
  const rows: { id: string }[] = await tx.query(
    `WITH inserted AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data) VALUES ($1, $2, $3, $4) RETURNING id
     )
     SELECT id, pg_notify('${OUTBOX_CHANNEL}', '') FROM inserted`,
    [event.accountId, event.type, event.contactId ?? null, JSON.stringify(event.data ?? {})],
  );
  return rows[0]!.id;
}
