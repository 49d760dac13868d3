import type { Tx } from '../db/data-source';
import { execute, queryRows } from '../db/sql';
import { OUTBOX_CHANNEL } from './outbox-signal';

/** An event as stored in outbox_events and handed to the event worker. */
export interface OutboxEventRow {
  id: string;
  account_id: string;
  type: string;
  contact_id: string | null;
  data: Record<string, unknown>;
}

/** An event as the relay claims it: enough to pick its queue; the worker reads the rest by id. */
export interface UnpublishedEventRow {
  id: string;
  type: string;
}

/**
 * Inserts an event and, in the same round trip, notifies the relay; PostgreSQL delivers the NOTIFY
 * only when the transaction commits. Returns the event's id.
 */
export async function insertOutboxEvent(
  tx: Tx,
  event: { accountId: string; type: string; contactId: string | null; data: Record<string, unknown> },
): Promise<string> {
  const rows = await queryRows<{ id: string }>(
    tx,
    `WITH inserted AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data) VALUES ($1, $2, $3, $4) RETURNING id
     )
     SELECT id, pg_notify('${OUTBOX_CHANNEL}', '') FROM inserted`,
    [event.accountId, event.type, event.contactId, JSON.stringify(event.data)],
  );
  return rows[0]!.id;
}

/**
 * Inserts many events in one statement, in the order given, with one notification: a bulk change
 * (a contact import's batch) costs one round trip instead of one per event.
 */
export async function insertOutboxEvents(
  tx: Tx,
  events: { accountId: string; type: string; contactId: string | null; data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await execute(
    tx,
    `WITH inserted AS (
       INSERT INTO outbox_events (account_id, type, contact_id, data)
       SELECT (e.event->>'accountId')::uuid, e.event->>'type', (e.event->>'contactId')::uuid, e.event->'data'
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(event, n)
        ORDER BY e.n
       RETURNING 1
     )
     SELECT pg_notify('${OUTBOX_CHANNEL}', '') WHERE EXISTS (SELECT 1 FROM inserted)`,
    [JSON.stringify(events)],
  );
}

/**
 * The oldest `limit` unpublished events, locked until the transaction ends. SKIP LOCKED: a batch
 * another relay holds is passed over, so any number of relays can run.
 */
export async function claimUnpublishedEvents(tx: Tx, limit: number): Promise<UnpublishedEventRow[]> {
  return queryRows<UnpublishedEventRow>(
    tx,
    `SELECT id, type FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
}

export async function markEventsPublished(tx: Tx, eventIds: string[]): Promise<void> {
  await execute(tx, 'UPDATE outbox_events SET published_at = now() WHERE id = ANY ($1::bigint[])', [eventIds]);
}

/** The event the relay handed to the event worker; null when it is gone. */
export async function findOutboxEvent(tx: Tx, eventId: string): Promise<OutboxEventRow | null> {
  const rows = await queryRows<OutboxEventRow>(
    tx,
    'SELECT id, account_id, type, contact_id, data FROM outbox_events WHERE id = $1',
    [eventId],
  );
  return rows[0] ?? null;
}
